"""The agencies a deployment knows by name: each agency code's display name and kind (issue 15). No I/O.

Kept in the `agencies` collection of the auth database (shared.adapters.mongo.agencies), managed with
`python -m shared.auth add-agency|list-agencies|remove-agency`. Pages show an agency's name, never its code; a code
no one registered is shown as itself, and `Directory.unknown` lists it for the admin to register.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, Field

from shared.partnerships import CODE


class AgencyKind(StrEnum):
    council = "council"  # a local authority (and those delivering its children's services, as a trust)
    police = "police"
    health = "health"  # NHS trusts, GPs and other health providers
    icb = "icb"  # the integrated care board (the clinical commissioning group before July 2022)
    education = "education"  # schools, colleges, early years and childcare: members since the 2026 Act
    voluntary = "voluntary"  # the voluntary and community sector
    partnership = "partnership"  # the partnership's own business unit and teams
    other = "other"

    @property
    def title(self) -> str:
        return KIND_TITLES[self]


KIND_TITLES = {AgencyKind.council: "council", AgencyKind.police: "police", AgencyKind.health: "health",
               AgencyKind.icb: "integrated care board", AgencyKind.education: "education and childcare",
               AgencyKind.voluntary: "voluntary sector", AgencyKind.partnership: "partnership business unit",
               AgencyKind.other: "other"}


class Agency(BaseModel):
    code: str = Field(max_length=63, pattern=CODE, description="as in events' `agency`, e.g. south-yorkshire-police")
    name: str = Field(min_length=1, max_length=120, description="shown on the pages, e.g. South Yorkshire Police")
    kind: AgencyKind
    partnerships: list[Annotated[str, Field(pattern=CODE)]] = Field(
        default_factory=list, description="the partnerships it is a member of; none: any")
    created_at: datetime | None = None


class Directory:
    """Agencies by code: what the pages call each one."""

    def __init__(self, agencies: Iterable[Agency] = ()):
        self._by_code = {a.code: a for a in agencies}

    def members_of(self, partnership: str) -> list[Agency]:
        """The agencies of a partnership (an agency naming none is a member of any), by code."""
        return sorted((a for a in self._by_code.values() if not a.partnerships or partnership in a.partnerships),
                      key=lambda a: a.code)

    def known(self, code: str) -> bool:
        return code in self._by_code

    def name(self, code: str) -> str:
        """The agency's display name, or the code itself when no one registered it."""
        agency = self._by_code.get(code)
        return agency.name if agency else code

    def kind(self, code: str) -> AgencyKind | None:
        agency = self._by_code.get(code)
        return agency.kind if agency else None

    def unknown(self, codes: Iterable[str]) -> list[str]:
        """The codes no one registered, sorted: what the admin is asked to add."""
        return sorted({code for code in codes if code not in self._by_code})
