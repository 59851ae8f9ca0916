"""Date formatting that never depends on the machine's locale."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

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

    def one(match: re.Match[str]) -> str:
        code = _CODES.get(match.group(1))
        return code(when) if code else match.group(0)

    return _DIRECTIVE.sub(one, fmt)


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
