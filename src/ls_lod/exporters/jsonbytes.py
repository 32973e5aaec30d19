"""Compact JSON in UTF-8, written by orjson: the bytes of json.dumps(ensure_ascii=False,
separators=(",", ":")) about four times as fast (tests/test_jsonld_node.py compares them), for
what ls-lod writes: strings, integers, booleans, null, lists and objects. A float is written in
orjson's form, which may differ from json's (1e-7, not 1e-07); none is written here.

What orjson refuses (a lone surrogate, which UTF-8 cannot carry; an integer past 64 bits) is
written by json with every non-ASCII character escaped: still JSON, still UTF-8, and read back
to the same value.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

_ESCAPING = json.JSONEncoder(ensure_ascii=True, separators=(",", ":"))


def dumps(value: Any) -> bytes:
    try:
        return orjson.dumps(value)
    except orjson.JSONEncodeError:
        return _ESCAPING.encode(value).encode("ascii")
