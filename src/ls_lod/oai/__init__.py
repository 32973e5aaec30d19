"""OAI-PMH 2.0 data provider: arguments, errors, tokens, sets, verbs, XML, /oai, static file.

arguments.py checks a request, errors.py names the spec's error codes, tokens.py keeps list
positions in the token itself, sets.py derives the set hierarchy from the vocabularies,
verbs.py answers the six verbs from the store (repository.py), xml.py and templates/ write
the XML, protocol.py joins them, http.py serves /oai, static.py writes static-repository.xml.
"""
