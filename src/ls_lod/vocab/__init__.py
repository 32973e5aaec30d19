"""The curated vocabularies (vocab/*.ttl): loading, reconciling keywords, candidates, quality checks."""
