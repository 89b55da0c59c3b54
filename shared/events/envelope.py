"""The one envelope every event travels in: CloudEvents 1.0 plus the partnership's extensions."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SPEC_VERSION = "1.0"
JSON = "application/json"


class Envelope(BaseModel):
    """A CloudEvents 1.0 event in structured mode, with `data` still a plain JSON object.

    Extension attributes (lower-case, as CloudEvents requires): `agency` is the emitting agency,
    `correlationid` ties together everything caused by one request, `schemaversion` is the
    version of the `data` contract (also the `.vN` suffix of `type`).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1, max_length=128, description="Unique per source; the idempotency key.")
    source: str = Field(min_length=1, max_length=256, description="URI-reference of the emitting system.")
    type: str = Field(pattern=r"^[a-z]+(\.[a-z_]+)+\.v[0-9]+$", description="e.g. training.attendance.recorded.v1")
    specversion: str = Field(SPEC_VERSION, description="Always 1.0.")
    time: datetime = Field(description="When the fact happened (RFC 3339).")
    subject: str | None = Field(None, max_length=256, description="The aggregate the event is about.")
    datacontenttype: str = Field(JSON, description="Always application/json.")
    dataschema: str | None = Field(None, description="URI of the JSON Schema of `data`.")
    agency: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,62}$", description="The emitting agency's code.")
    correlationid: str | None = Field(None, max_length=128, description="Correlation id across services.")
    schemaversion: int | None = Field(None, ge=1, description="Version of the data contract.")
    data: dict[str, Any] = Field(description="The event's payload, validated against the catalogue.")

    @field_validator("specversion")
    @classmethod
    def _spec_1_0(cls, value: str) -> str:
        if value != SPEC_VERSION:
            raise ValueError("only CloudEvents 1.0 is accepted")
        return value

    @field_validator("datacontenttype")
    @classmethod
    def _json_only(cls, value: str) -> str:
        if value.split(";")[0].strip() != JSON:
            raise ValueError("data must be application/json")
        return value

    @field_validator("time")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("time must carry a timezone offset (RFC 3339)")
        return value.astimezone(timezone.utc)

    @model_validator(mode="after")
    def _schemaversion_matches_type(self) -> "Envelope":
        if self.schemaversion is not None and self.schemaversion != self.version:
            raise ValueError(f"schemaversion {self.schemaversion} does not match the type's .v{self.version}")
        return self

    @property
    def version(self) -> int:
        """The contract version, from the type name's `.vN` suffix."""
        return int(self.type.rsplit(".v", 1)[1])

    @property
    def domain(self) -> str:
        """The owning domain: the first part of the type name (training, reviews, strategy)."""
        return self.type.split(".", 1)[0]

    def to_json(self) -> bytes:
        return self.model_dump_json(exclude_none=True).encode()

    @classmethod
    def from_json(cls, raw: bytes | str) -> "Envelope":
        return cls.model_validate_json(raw)


def new_event(type: str, data: dict[str, Any], *, agency: str, source: str, subject: str | None = None,
              time: datetime | None = None, correlationid: str | None = None) -> Envelope:
    """Build an envelope for a fact happening now (used by tests, the sample loader and the bench)."""
    return Envelope(
        id=str(uuid.uuid4()), source=source, type=type, time=time or datetime.now(timezone.utc),
        subject=subject, agency=agency, correlationid=correlationid,
        schemaversion=int(type.rsplit(".v", 1)[1]), data=data,
        dataschema=f"https://schemas.scp.example/{type}.json",
    )
