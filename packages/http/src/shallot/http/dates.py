"""HTTP dates: formatting timestamps as IMF-fixdate and reading the three forms RFC 9110 allows.

Senders must use IMF-fixdate (``Sun, 06 Nov 1994 08:49:37 GMT``); recipients must also read the
obsolete RFC 850 and asctime forms (RFC 9110 section 5.6.7). A date that cannot be read is returned
as ``None`` rather than raised, because every header that carries one says to ignore it then.
"""

from __future__ import annotations

import time
from datetime import datetime, timezone

__all__ = ["http_date", "parse_http_date"]

_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTHS = {name.lower(): number for number, name in enumerate(_MONTH_NAMES, start=1)}
_SHORT_DAYS = frozenset(name.lower() for name in _DAY_NAMES)
_LONG_DAYS = frozenset(
    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
)
_UTC = timezone.utc


def http_date(value: datetime | float) -> str:
    """Format ``value`` as an IMF-fixdate, e.g. ``Sun, 06 Nov 1994 08:49:37 GMT``.

    ``value`` is a :class:`~datetime.datetime` (naive ones are taken as UTC, aware ones are
    converted) or seconds since the epoch. Fractions of a second are dropped. Raises
    :class:`ValueError` when the moment has no four-digit UTC year or is not a finite number.
    """
    if isinstance(value, datetime):
        if value.tzinfo is not None and value.utcoffset():
            try:
                value = value.astimezone(_UTC)
            except OverflowError:
                raise ValueError(f"{value!r} has no UTC date") from None
        year, month, day, weekday = value.year, value.month, value.day, value.weekday()
        hour, minute, second = value.hour, value.minute, value.second
    else:
        try:
            moment = time.gmtime(value)
        except (OverflowError, OSError, ValueError):
            raise ValueError(f"{value!r} is not a representable timestamp") from None
        year = moment.tm_year
        weekday, day, month = moment.tm_wday, moment.tm_mday, moment.tm_mon
        hour, minute, second = moment.tm_hour, moment.tm_min, moment.tm_sec
    if not 0 < year <= 9999:
        raise ValueError(f"{value!r} has no four-digit year")
    return (
        f"{_DAY_NAMES[weekday]}, {day:02d} {_MONTH_NAMES[month - 1]} {year:04d} "
        f"{hour:02d}:{minute:02d}:{second:02d} GMT"
    )


def parse_http_date(value: str) -> datetime | None:
    """Read an HTTP date into an aware UTC :class:`~datetime.datetime`, or return ``None``.

    Accepts IMF-fixdate, the obsolete RFC 850 form (``Sunday, 06-Nov-94 08:49:37 GMT``; a
    two-digit year more than 50 years ahead is taken as the most recent such year in the past)
    and asctime (``Sun Nov  6 08:49:37 1994``). Surrounding whitespace is allowed, and day and
    month names and ``GMT`` are read case-insensitively. The day name must be a real one but is
    not checked against the date. A leap second (``:60``) is read as ``:59``. Anything else,
    including impossible dates such as 31 April, gives ``None``; this function never raises.
    """
    if (
        len(value) == 29
        and value[3] == ","
        and value.endswith(" GMT")
        and value[:3] in _DAY_NAMES
        and value.isascii()
    ):
        month = _MONTHS.get(value[8:11].lower())
        if (
            month is not None
            and value[4] == value[7] == value[11] == value[16] == " "
            and value[19] == value[22] == ":"
            and (value[5:7] + value[12:16] + value[17:19] + value[20:22] + value[23:25]).isdigit()
        ):
            second = int(value[23:25])
            try:
                return datetime(
                    int(value[12:16]),
                    month,
                    int(value[5:7]),
                    int(value[17:19]),
                    int(value[20:22]),
                    59 if second == 60 else second,
                    tzinfo=_UTC,
                )
            except ValueError:
                return None
    if not value.isascii():
        return None
    parts = value.split()
    if len(parts) == 6:
        day_name, day, month_name, year, clock, zone = parts
        if not day_name.endswith(",") or day_name[:-1].lower() not in _SHORT_DAYS:
            return None
        if zone.upper() != "GMT" or len(year) != 4:
            return None
    elif len(parts) == 4:
        day_name, date, clock, zone = parts
        if not day_name.endswith(",") or day_name[:-1].lower() not in _LONG_DAYS:
            return None
        if zone.upper() != "GMT" or date.count("-") != 2:
            return None
        day, month_name, year = date.split("-")
        if len(year) == 2 and year.isdigit():
            year = _expand_two_digit_year(year, month_name, day, clock)
        elif len(year) != 4:
            return None
    elif len(parts) == 5:
        day_name, month_name, day, clock, year = parts
        if day_name.lower() not in _SHORT_DAYS or len(year) != 4:
            return None
    else:
        return None
    month = _MONTHS.get(month_name.lower())
    if month is None or not 1 <= len(day) <= 2:
        return None
    return _build(year, month, day, clock)


def _build(year: str, month: int, day: str, clock: str) -> datetime | None:
    """Assemble a UTC datetime from checked text fields; ``None`` when a field is not valid."""
    if not (
        year.isdigit()
        and day.isdigit()
        and len(clock) == 8
        and clock[2] == clock[5] == ":"
        and clock[:2].isdigit()
        and clock[3:5].isdigit()
        and clock[6:].isdigit()
    ):
        return None
    second = int(clock[6:])
    if second == 60:
        second = 59
    try:
        return datetime(
            int(year), month, int(day), int(clock[:2]), int(clock[3:5]), second, tzinfo=_UTC
        )
    except ValueError:
        return None


def _expand_two_digit_year(
    year: str, month_name: str, day: str, clock: str, now: datetime | None = None
) -> str:
    """Apply RFC 9110's rule for RFC 850 years: the latest year not over 50 years after ``now``."""
    if now is None:
        now = datetime.now(_UTC)
    full = now.year - now.year % 100 + int(year)
    rest = (_MONTHS.get(month_name.lower(), 0), int(day) if day.isdigit() else 0, clock)
    horizon = (
        now.year + 50,
        now.month,
        now.day,
        f"{now.hour:02d}:{now.minute:02d}:{now.second:02d}",
    )
    if (full, *rest) > horizon:
        full -= 100
    elif (full + 100, *rest) <= horizon:
        full += 100
    return f"{full:04d}"
