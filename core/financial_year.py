"""UK financial years ("2019/20": 1 April 2019 – 31 March 2020), used by chairs and funding."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_FY = re.compile(r"^(\d{4})/(\d{2})$")


class FinancialYearError(ValueError):
    """A string that is not a financial year; the message shows the expected form."""


@dataclass(frozen=True, order=True)
class FinancialYear:
    start_year: int

    @classmethod
    def parse(cls, text: str) -> FinancialYear:
        m = _FY.match(text.strip()) if isinstance(text, str) else None
        if not m:
            raise FinancialYearError(f"{text!r} is not a financial year; write it like '2019/20'")
        start, end = int(m.group(1)), int(m.group(2))
        if (start + 1) % 100 != end:
            raise FinancialYearError(f"{text!r}: the second part must be the year after {start}, i.e. '{start}/{(start + 1) % 100:02d}'")
        if not 1900 <= start <= 2200:
            raise FinancialYearError(f"{text!r} is out of range")
        return cls(start)

    @classmethod
    def containing(cls, day: dt.date) -> FinancialYear:
        return cls(day.year if day >= dt.date(day.year, 4, 1) else day.year - 1)

    @property
    def start(self) -> dt.date:
        return dt.date(self.start_year, 4, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.start_year + 1, 3, 31)

    def __add__(self, years: int) -> FinancialYear:
        return FinancialYear(self.start_year + years)

    def __sub__(self, other: FinancialYear) -> int:
        return self.start_year - other.start_year

    def __str__(self) -> str:
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"
