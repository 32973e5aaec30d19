"""Indexes the build writes and the server reads: the browse index and the SPARQL store."""
