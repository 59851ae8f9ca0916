"""Every date directive at its edges: noon and midnight on the 12-hour clock, the first and
last day and month, one-digit days and months, the turn of a year and of a century."""

from __future__ import annotations

import os
import time
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from blogsite.site.dates import DIRECTIVES, for_machines, format_date, rfc3339, unknown_directives

LONDON = ZoneInfo("Europe/London")
NOON = datetime(2011, 2, 3, 12, 30)
MIDNIGHT = datetime(2011, 2, 3, 0, 5)
NEW_YEARS_EVE = datetime(1999, 12, 31, 23, 59, 59)  # a Friday
NEW_YEAR = datetime(2000, 1, 1, 0, 0, 0)  # a Saturday
MONDAY = datetime(2011, 1, 3, 9, 7, 5)  # the first day of the week, a one-digit day and month
SUNDAY = datetime(2011, 10, 9, 13, 0, 0)
YEAR_9 = datetime(9, 7, 4, 1, 2, 3)

# Each directive: (a date, what it shows). A directive added to dates.DIRECTIVES without a row
# here fails test_every_directive_has_its_edges.
EDGES: dict[str, list[tuple[datetime, str]]] = {
    "A": [
        (MONDAY, "Monday"),
        (SUNDAY, "Sunday"),
        (NEW_YEARS_EVE, "Friday"),
        (NEW_YEAR, "Saturday"),
    ],
    "a": [(MONDAY, "Mon"), (SUNDAY, "Sun"), (datetime(2011, 2, 2), "Wed")],
    "B": [(NEW_YEAR, "January"), (NEW_YEARS_EVE, "December"), (SUNDAY, "October")],
    "b": [(NEW_YEAR, "Jan"), (NEW_YEARS_EVE, "Dec"), (datetime(2011, 9, 1), "Sep")],
    "d": [(NEW_YEAR, "01"), (MONDAY, "03"), (NEW_YEARS_EVE, "31"), (SUNDAY, "09")],
    "-d": [(NEW_YEAR, "1"), (SUNDAY, "9"), (datetime(2011, 2, 10), "10"), (NEW_YEARS_EVE, "31")],
    "m": [(NEW_YEAR, "01"), (SUNDAY, "10"), (NEW_YEARS_EVE, "12"), (datetime(2011, 9, 1), "09")],
    "-m": [(NEW_YEAR, "1"), (datetime(2011, 9, 1), "9"), (SUNDAY, "10"), (NEW_YEARS_EVE, "12")],
    "Y": [(NEW_YEARS_EVE, "1999"), (NEW_YEAR, "2000"), (YEAR_9, "0009")],
    "y": [(NEW_YEARS_EVE, "99"), (NEW_YEAR, "00"), (YEAR_9, "09"), (MONDAY, "11")],
    "H": [(MIDNIGHT, "00"), (MONDAY, "09"), (NOON, "12"), (NEW_YEARS_EVE, "23")],
    "-H": [(MIDNIGHT, "0"), (MONDAY, "9"), (NOON, "12"), (NEW_YEARS_EVE, "23")],
    "I": [(MIDNIGHT, "12"), (NOON, "12"), (YEAR_9, "01"), (SUNDAY, "01"), (NEW_YEARS_EVE, "11")],
    "-I": [(MIDNIGHT, "12"), (NOON, "12"), (YEAR_9, "1"), (SUNDAY, "1"), (NEW_YEARS_EVE, "11")],
    "M": [(NEW_YEAR, "00"), (MIDNIGHT, "05"), (NOON, "30"), (NEW_YEARS_EVE, "59")],
    "S": [(NEW_YEAR, "00"), (MONDAY, "05"), (NEW_YEARS_EVE, "59")],
    "p": [
        (MIDNIGHT, "AM"),
        (datetime(2011, 2, 3, 11, 59), "AM"),
        (datetime(2011, 2, 3, 12, 0), "PM"),
        (NEW_YEARS_EVE, "PM"),
    ],
    "z": [
        (NOON, ""),  # a naive time has no offset
        (datetime(2011, 1, 3, tzinfo=LONDON), "+0000"),
        (datetime(2011, 7, 3, tzinfo=LONDON), "+0100"),
        (datetime(2011, 7, 3, tzinfo=timezone(timedelta(hours=-5, minutes=-30))), "-0530"),
    ],
    "Z": [
        (NOON, ""),
        (datetime(2011, 1, 3, tzinfo=LONDON), "GMT"),
        (datetime(2011, 7, 3, tzinfo=LONDON), "BST"),
    ],
    "%": [(NOON, "%")],
}


class TestDirectiveEdges:
    def test_every_directive_has_its_edges(self) -> None:
        assert set(EDGES) == set(DIRECTIVES)

    @pytest.mark.parametrize(
        ("code", "when", "shown"),
        [(code, when, shown) for code, rows in EDGES.items() for when, shown in rows],
        ids=lambda value: value if isinstance(value, str) else "",
    )
    def test_a_directive_at_its_edge(self, code: str, when: datetime, shown: str) -> None:
        assert format_date(when, f"%{code}") == shown
        assert format_date(when, f"<%{code}>") == f"<{shown}>"  # text around it is kept

    def test_the_12_hour_clock_at_half_past_noon_and_five_past_midnight(self) -> None:
        assert format_date(NOON, "%I:%M %p") == "12:30 PM"
        assert format_date(MIDNIGHT, "%-I:%M %p") == "12:05 AM"

    def test_every_hour_on_the_12_hour_clock(self) -> None:
        shown = [format_date(datetime(2011, 2, 3, h), "%-I%p") for h in range(24)]
        assert shown == [f"{h % 12 or 12}{'AM' if h < 12 else 'PM'}" for h in range(24)]
        assert format_date(datetime(2011, 2, 3, 13), "%I") == "01"

    def test_every_day_of_a_leap_year_has_its_english_names(self) -> None:
        day = datetime(2012, 1, 1)
        while day.year == 2012:
            assert format_date(day, "%A %a %B %b %d %-d %m %-m") == day.strftime(
                "%A %a %B %b %d %-d %m %-m"
            )  # the C locale's names, which are English
            day += timedelta(days=1)
        assert format_date(datetime(2012, 2, 29), "%-d %B") == "29 February"


class TestFormats:
    def test_text_between_directives_and_unknown_directives_are_kept_as_written(self) -> None:
        assert format_date(MONDAY, "on %A, %e at %H%%") == "on Monday, %e at 09%"
        assert format_date(MONDAY, "%") == "%"
        assert format_date(MONDAY, "") == ""
        assert format_date(MONDAY, "%-e%-") == "%-e%-"

    def test_the_default_formats(self) -> None:
        assert format_date(MONDAY, "%A %-d %B %Y") == "Monday 3 January 2011"
        assert format_date(MONDAY, "%H:%M") == "09:07"

    def test_unknown_directives_are_named(self) -> None:
        assert unknown_directives("%A %-d %B %Y %H:%M %%") == []
        assert unknown_directives("%e %-e %Q") == ["%e", "%-e", "%Q"]
        assert unknown_directives("50% off") == ["a '%' alone"]
        assert unknown_directives("at the end %") == ["a '%' alone"]


class TestMachineDates:
    def test_round_offsets_are_kept(self) -> None:
        summer = datetime(2011, 7, 3, 9, 30, 15, tzinfo=LONDON)
        assert for_machines(summer) is summer
        assert rfc3339(summer) == "2011-07-03T09:30:15+01:00"
        utc = datetime(2011, 1, 3, 9, 30, tzinfo=LONDON)
        assert rfc3339(utc) == "2011-01-03T09:30:00+00:00"

    def test_an_offset_of_odd_minutes_is_kept(self) -> None:
        kathmandu = datetime(2011, 1, 3, 9, 30, tzinfo=ZoneInfo("Asia/Kathmandu"))
        assert rfc3339(kathmandu) == "2011-01-03T09:30:00+05:45"

    def test_an_offset_with_seconds_becomes_utc_whatever_the_machines_zone(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        before = os.environ.get("TZ")
        monkeypatch.setenv("TZ", "Asia/Tokyo")
        time.tzset()
        try:
            self.test_an_offset_with_seconds_becomes_utc()
        finally:
            if before is None:
                monkeypatch.delenv("TZ")
            else:
                monkeypatch.setenv("TZ", before)
            time.tzset()  # the C library's zone, which monkeypatch's undo leaves alone

    def test_an_offset_with_seconds_becomes_utc(self) -> None:
        monrovia = datetime(1960, 1, 1, 12, 0, tzinfo=ZoneInfo("Africa/Monrovia"))
        assert monrovia.utcoffset() == -timedelta(minutes=44, seconds=30)
        assert rfc3339(monrovia) == "1960-01-01T12:44:30+00:00"

    def test_microseconds_are_not_shown(self) -> None:
        when = datetime(2011, 1, 3, 9, 30, 0, 999_999, tzinfo=LONDON)
        assert rfc3339(when) == "2011-01-03T09:30:00+00:00"
