"""Dates as posts give them, read in the site's zone, and written in a way that never depends
on the machine's locale."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date(value: Any, tz: ZoneInfo) -> tuple[datetime, bool]:
    """Return an aware datetime in the site's zone and whether a time of day was given."""
    if isinstance(value, str):
        text = value.strip()
        value = date.fromisoformat(text) if DAY.fullmatch(text) else datetime.fromisoformat(text)
    if isinstance(value, datetime):
        aware = value if value.tzinfo else _wall_clock(value, tz)
        return aware.astimezone(tz), True
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=tz), False
    raise ValueError(
        f"expected a date such as 2011-02-03 or 2011-02-03T09:30:00+00:00, not {value!r}"
    )


def _wall_clock(naive: datetime, tz: ZoneInfo) -> datetime:
    """naive as the clocks in tz showed it. A time they skipped (01:30 on the night they go
    forward) is read with the offset before the change, and so shows as the time it really
    was (02:30): kept as written, it was listed before a post of 02:15."""
    return naive.replace(tzinfo=tz).astimezone(UTC).astimezone(tz)


DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

_CODES = {
    "A": lambda d: DAYS[d.weekday()],
    "a": lambda d: DAYS[d.weekday()][:3],
    "B": lambda d: MONTHS[d.month - 1],
    "b": lambda d: MONTHS[d.month - 1][:3],
    "d": lambda d: f"{d.day:02d}",
    "-d": lambda d: str(d.day),
    "m": lambda d: f"{d.month:02d}",
    "-m": lambda d: str(d.month),
    "Y": lambda d: f"{d.year:04d}",
    "y": lambda d: f"{d.year % 100:02d}",
    "H": lambda d: f"{d.hour:02d}",
    "-H": lambda d: str(d.hour),
    "I": lambda d: f"{(d.hour % 12) or 12:02d}",
    "-I": lambda d: str((d.hour % 12) or 12),
    "M": lambda d: f"{d.minute:02d}",
    "S": lambda d: f"{d.second:02d}",
    "p": lambda d: "AM" if d.hour < 12 else "PM",
    "z": lambda d: d.strftime("%z"),
    "Z": lambda d: d.tzname() or "",
    "%": lambda d: "%",
}
_DIRECTIVE = re.compile(r"%(-?[A-Za-z%])")
DIRECTIVES = tuple(_CODES)


def unknown_directives(fmt: str) -> list[str]:
    """The %-codes in fmt that format_date would print as they are, e.g. ['%e']."""
    codes = (m.group(1) for m in re.finditer(r"%(-?[A-Za-z%])?", fmt))
    return ["a '%' alone" if code is None else f"%{code}" for code in codes if code not in _CODES]


def format_date(when: datetime, fmt: str) -> str:
    """strftime's directives (plus %-d style), always in English.

    >>> format_date(datetime(2011, 2, 3), "%A %-d %B %Y")
    'Thursday 3 February 2011'
    """

    return "".join(part if isinstance(part, str) else part(when) for part in _parts(fmt))


@lru_cache(maxsize=64)  # a site has a few formats, used on every page
def _parts(fmt: str) -> tuple[str | Callable[[datetime], str], ...]:
    """fmt split into its text and its directives' functions; unknown directives are text."""
    parts: list[str | Callable[[datetime], str]] = []
    end = 0
    for match in _DIRECTIVE.finditer(fmt):
        parts.append(fmt[end : match.start()])
        parts.append(_CODES.get(match.group(1)) or match.group(0))
        end = match.end()
    parts.append(fmt[end:])
    return tuple(part for part in parts if part != "")


def for_machines(when: datetime) -> datetime:
    """when, or the same instant in UTC if its offset has seconds.

    Zones kept local mean time before they took round offsets (Monrovia -0:44:30 until 1972),
    but RFC 3339 and RFC 822 offsets are hours and minutes only: feed readers misread such a
    date by seconds (Atom) or by days (RSS).
    """
    offset = when.utcoffset()
    return when.astimezone(UTC) if offset and offset % timedelta(minutes=1) else when


def rfc3339(when: datetime) -> str:
    return for_machines(when).isoformat(timespec="seconds")
