"""Zalo Official Account channel: signed webhooks in, consultation messages out."""
