"""Reading chat messages: intents, vocabulary, periods, report fields, questions."""
