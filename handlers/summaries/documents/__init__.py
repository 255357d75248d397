"""Documents the bot files: the compiled daily report and the roll-ups (.docx, .xlsx)."""
