"""Card 3: attendance at events paid by duration, within the objective's amount due.

Each attendance is paid the amount of the first hour band that covers its hours (the bands
are plan parameters: 40 € up to 2 h, 60 € up to 4 h, 80 € up to 6 h, 100 € up to 8 h,
140 € up to 10 h in 2025), raised by the uplift % (15) for night and/or holiday service,
rounded half-up to the cent. Hours beyond the last band are paid as the last band (and said
by checks.py). When the attendances are worth more than the amount due, each one is scaled
down pro rata, to the cent by largest remainder, so they add up exactly to the amount due;
otherwise each is paid in full and the rest of the amount goes to savings.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from chiari_xl.model.allocation import allocate
from chiari_xl.model.money import round_cents, total
from chiari_xl.model.params import HourBand, PlanParams, Rounding
from chiari_xl.yearend.staff import Attendance

HUNDRED = Decimal(100)


def band_for(hours: Decimal, bands: list[HourBand]) -> HourBand:
    """The first band whose upper limit covers `hours`; the last band beyond it."""
    ordered = sorted(bands, key=lambda b: b.up_to)
    return next((b for b in ordered if hours <= b.up_to), ordered[-1])


def band_amount(hours: Decimal, night: bool, params: PlanParams) -> Decimal:
    band = band_for(hours, params.event_bands)
    factor = (HUNDRED + params.event_uplift) / HUNDRED if night else Decimal(1)
    return round_cents(band.amount * factor)


@dataclass
class EventPay:
    attendance: Attendance
    band: Decimal | None      # what the bands give (None: not payable)
    paid: Decimal | None      # what is paid after scaling


@dataclass
class EventLedger:
    rows: list[EventPay]
    due: Decimal              # the objective's amount due
    value: Decimal            # Σ band amounts
    pool: Decimal             # what is paid: min(due, value)

    @property
    def scaled(self) -> bool:
        return self.value > self.due

    @property
    def paid(self) -> Decimal:
        return total(r.paid for r in self.rows)

    def per_person(self) -> dict[str, Decimal]:
        out: dict[str, Decimal] = {}
        for r in self.rows:
            if r.paid is not None:
                m = r.attendance.matricola
                out[m] = out.get(m, Decimal("0.00")) + r.paid
        return out


def pay_events(attendances: list[Attendance], due: Decimal, params: PlanParams) -> EventLedger:
    bands = [band_amount(a.hours, a.night, params) if a.payable and params.event_bands else None
             for a in attendances]
    value = total(bands)
    pool = min(due, value)
    if value > 0:
        paid = allocate(Fraction(pool), bands, Rounding.LARGEST_REMAINDER)
    else:
        paid = [None if b is None else Decimal("0.00") for b in bands]
    rows = [EventPay(a, b, p) for a, b, p in zip(attendances, bands, paid)]
    return EventLedger(rows, due, value, pool)
