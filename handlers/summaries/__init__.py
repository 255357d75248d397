"""What the bot compiles and pushes: reminders, digests, scores, roll-ups and the daily report."""
