"""Source records to typed records to RDF: normalise, map, graph."""
