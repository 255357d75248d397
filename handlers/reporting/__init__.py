"""Progress reports in chat: one-line reports, the guided flow, confirmations, undo, evidence,
extensions."""
