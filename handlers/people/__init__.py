"""People and chats: linking an official to a unit, join requests, one identity across apps,
groups."""
