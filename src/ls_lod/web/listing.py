"""A page of a listing (browse lists, search results): its rows and what the pager needs."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DocumentRow:
    """One line of a list of documents."""

    number: str
    title: str
    issued: str | None


@dataclass(frozen=True)
class Page:
    """One page of a longer list, with what the pager needs."""

    rows: list[DocumentRow]
    total: int
    page: int
    size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))
