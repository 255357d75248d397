"""The delivery outbox: queued pushes sent under each platform's rate limits, and interactive
replies."""
