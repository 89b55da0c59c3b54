"""The partnerships one deployment hosts: each one a tenant, its data walled off from the others'.

Kept in the `partnerships` collection of the auth database (beside the keys), managed with
`python -m shared.auth add-partnership|list-partnerships`. Every event names its partnership
(`partnership`, a CloudEvents extension attribute), every key names the partnerships it may emit
to, and every stored document and query is scoped to one partnership.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from pydantic import BaseModel, Field, field_validator

from shared import calendar

CODE = r"^[a-z0-9][a-z0-9-]{1,62}$"
_CODE = re.compile(CODE)


class Partnership(BaseModel):
    code: str = Field(pattern=CODE, description="e.g. doncaster: in every event, key, URL and document")
    name: str = Field(min_length=2, max_length=200, description="e.g. Doncaster Safeguarding Children Partnership")
    area: str = Field(min_length=2, max_length=200, description="the local authority area it covers")
    year_starts: str = Field("04-01", pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
                             description="MM-DD: the first day of its reporting year (April for most)")
    created_at: datetime | None = None

    @field_validator("year_starts")
    @classmethod
    def _a_real_day(cls, value: str) -> str:
        month, day = map(int, value.split("-"))
        date(2001, month, day)  # raises for 02-30 and the like (2001: not a leap year, so no 02-29)
        return value

    def reporting_year(self, on: date) -> tuple[date, date]:
        """The first and last day of the reporting year that `on` falls in (shared.calendar)."""
        return calendar.reporting_year(on, self.year_starts)


def is_code(value: str) -> bool:
    return bool(_CODE.match(value))
