"""What every event contract has in common."""

from __future__ import annotations

import re
from typing import Annotated, ClassVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

_NHS_NUMBER = re.compile(r"^\d{3}\s?\d{3}\s?\d{4}$")


def _pseudonymous(value: str) -> str:
    if _NHS_NUMBER.match(value):
        raise ValueError("looks like an NHS number: send a pseudonymous reference, never an identifier")
    return value


PseudonymousRef = Annotated[
    str,
    Field(pattern=r"^[A-Za-z0-9_-]{6,64}$",
          description="A pseudonymous reference made by the emitting agency: never a name, NHS number or address."),
    AfterValidator(_pseudonymous),
]
AgencyCode = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{1,62}$", description="An agency's code, e.g. south-yorkshire-police.")]
Identifier = Annotated[str, Field(pattern=r"^[A-Za-z0-9_.:-]{1,64}$", description="An identifier chosen by the emitting system.")]


class EventData(BaseModel):
    """The `data` of one event type. Frozen; unknown fields are refused.

    `type_name` is the CloudEvents type; `aggregate` names the field whose value keys the event on
    Kafka, so that one aggregate's events stay in order.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")
    type_name: ClassVar[str]
    aggregate: ClassVar[str]
    summary: ClassVar[str] = ""

    def aggregate_id(self) -> str:
        return str(getattr(self, self.aggregate))
