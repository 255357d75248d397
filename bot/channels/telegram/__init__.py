"""Telegram channel: python-telegram-bot inside our event loop (see `channel`)."""
