"""A vocabulary's concepts as XML payload elements, each written once a build.

A record names some ten concepts, and looking up and escaping each one's label anew was a third
of the oai_dc and oai_openaire payloads' time. Both formats keep what they write here, keyed by
the function that writes it and its value (a candidate's ConceptRef compares its label too).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from ls_lod.convert.context import Conversion
    from ls_lod.vocab.vocabulary import Vocabulary

Value = TypeVar("Value", bound=Hashable)


class ConceptElements:
    def __init__(self, vocabulary: Vocabulary, scheme: str) -> None:
        self.vocabulary = vocabulary
        self.scheme = scheme  # the keyword scheme's IRI (oai_openaire's subjects name it)
        self._written: dict[Callable[..., str], dict[Hashable, str]] = {}

    def element(self, write: Callable[[ConceptElements, Value], str], value: Value) -> str:
        """What `write` makes of `value`, written the first time it is asked for."""
        written = self._written.get(write)
        if written is None:
            written = self._written[write] = {}
        found = written.get(value)
        if found is None:
            found = written[value] = write(self, value)
        return found


# vocabulary -> its concepts' elements, for the keyword scheme of the conversion last seen with it
_ELEMENTS: weakref.WeakKeyDictionary[Vocabulary, ConceptElements] = weakref.WeakKeyDictionary()


def concept_elements(conversion: Conversion) -> ConceptElements:
    """The conversion's vocabulary's elements, kept as long as the vocabulary is."""
    scheme = conversion.minter.scheme("keyword")
    found = _ELEMENTS.get(conversion.vocabulary)
    if found is None or found.scheme != scheme:
        found = _ELEMENTS[conversion.vocabulary] = ConceptElements(conversion.vocabulary, scheme)
    return found
