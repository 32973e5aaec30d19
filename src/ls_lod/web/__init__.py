"""The HTTP side of ls-lod: one ASGI app serving what `ls-lod build` wrote."""
