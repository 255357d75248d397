"""Zalo Bot Platform channel, and what both Zalo channels share (HTTP, rendering, translation)."""
