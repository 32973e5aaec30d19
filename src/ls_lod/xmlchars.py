"""The characters XML 1.0 forbids (control characters, U+FFFE/U+FFFF, lone surrogates): one pattern
for everything that writes or checks XML."""

from __future__ import annotations

import re

XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def strip_xml_illegal(text: str) -> str:
    return XML_ILLEGAL.sub("", text)
