"""Datestamps in the one form OAI-PMH and the store use (UTC, seconds: 2026-11-30T01:04:51Z), and
the two clocks: a build's (SOURCE_DATE_EPOCH honoured, so builds are reproducible) and the wall
clock that a response's date must show."""

from __future__ import annotations

import datetime as dt
import os

FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def format_datestamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime(FORMAT)


def parse_datestamp(text: str) -> dt.datetime:
    """The moment a datestamp names; ValueError when it is not one."""
    return dt.datetime.strptime(text, FORMAT).replace(tzinfo=dt.UTC)


def build_now() -> str:
    """The build's clock: SOURCE_DATE_EPOCH when set (reproducible builds), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return format_datestamp(dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.now(dt.UTC))


def utc_now() -> str:
    """The wall clock, for what must show the real time (an OAI-PMH responseDate)."""
    return format_datestamp(dt.datetime.now(dt.UTC))
