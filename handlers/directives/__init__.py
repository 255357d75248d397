"""Directives and announcements: importing a directive file, reviewing the draft, broadcasts."""
