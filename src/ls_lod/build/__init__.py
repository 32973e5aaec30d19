"""The build driver: sources through the record pipeline (in worker processes where it pays) into the
catalog store, then the outputs, published in one step."""
