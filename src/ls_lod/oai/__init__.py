"""OAI-PMH 2.0: verbs, arguments, errors and resumption tokens."""
