"""The leaders' dashboard: server-rendered pages under `/app` (see `bot.web.app`)."""
