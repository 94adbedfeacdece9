"""The staff data after checking: employees with their participation, attendance at events,
the year-end achievements typed by the office. Plus the parsing of the values people type
(dates, times, yes/no, matricole) that the reader hands over as written."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from chiari_xl.text import clean, norm

_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})")
_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})(?:[:.]\d{2})?$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


@dataclass
class Employee:
    matricola: str
    name: str
    area_text: str
    area_key: str | None
    part_time: Decimal              # percent, 100 = full time
    score: Decimal | None           # individual evaluation, 0-100
    participation: dict[int, Decimal] = field(default_factory=dict)  # objective n -> weight > 0
    where: str = ""                 # "Personale!A6"


@dataclass
class Attendance:
    where: str                      # the row's first cell
    date: dt.date | None
    event: str
    matricola: str
    hours: Decimal | None
    start: dt.time | None
    night: bool
    payable: bool = True
    reason: str = ""                # why it is not paid, when it is not


@dataclass
class StaffData:
    employees: list[Employee]
    events: list[Attendance]
    achievements: dict[int, Decimal]          # objective n -> % typed by the office
    achievement_cells: dict[int, str] = field(default_factory=dict)

    def by_matricola(self) -> dict[str, Employee]:
        return {e.matricola: e for e in self.employees}


def matricola_text(value) -> str:
    """10234, 10234.0, ' 10234 ' -> '10234'; text kept as written (spaces folded), upper case."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, Decimal) and value == value.to_integral_value():
        value = int(value)
    return clean(value).upper()


def parse_date(value) -> dt.date:
    """A cell as a date: a date cell, '12/05/2025', '2025-05-12', an Excel serial. ValueError otherwise."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 1 <= value < 2958466:
        return _EXCEL_EPOCH + dt.timedelta(days=int(value))
    text = clean(value)
    m = _DATE.match(text)
    if m:
        d, mth, y = (int(g) for g in m.groups())
        return dt.date(y + 2000 if y < 100 else y, mth, d)
    m = _ISO.match(text)
    if m:
        return dt.date(*(int(g) for g in m.groups()))
    raise ValueError(text)


def parse_time(value) -> dt.time | None:
    """'20:30', '20.30', a time cell, a fraction of a day; None for blank. ValueError otherwise."""
    if value is None or clean(value) == "":
        return None
    if isinstance(value, dt.datetime):
        return value.time()
    if isinstance(value, dt.time):
        return value
    if isinstance(value, dt.timedelta):
        return (dt.datetime.min + value).time()
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value < 1:
        minutes = round(value * 24 * 60)
        return dt.time(minutes // 60 % 24, minutes % 60)
    m = _TIME.match(clean(value))
    if m and int(m.group(1)) < 24 and int(m.group(2)) < 60:
        return dt.time(int(m.group(1)), int(m.group(2)))
    raise ValueError(clean(value))


def parse_flag(value) -> bool:
    """Night/holiday mark: 'Sì', 'si', 'x', 1, 'notturno', 'festivo', True -> True; blank/'No'/0 -> False."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value != 0
    t = norm(value)
    return bool(t) and t not in ("no", "n", "0", "falso", "false", "diurno")
