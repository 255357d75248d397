"""Questions about work and handing it out: due and overdue lists, task cards, my tasks,
assigning."""
