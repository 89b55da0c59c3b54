"""The one envelope every event travels in: CloudEvents 1.0 plus the partnership's extensions."""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import datetime, timezone
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from shared.events.base import Count, Moment, Title

SPEC_VERSION = "1.0"
JSON = "application/json"


# RFC 3986 URI-reference characters (percent-encoded where needed); an absolute URI has a scheme.
URI_REFERENCE = r"^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+$"
URI = r"^[A-Za-z][A-Za-z0-9+.\-]*:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+$"
PRINTABLE = r"^[\x21-\x7e]+$"  # printable ASCII, no spaces: ids and correlation ids


class Envelope(BaseModel):
    """A CloudEvents 1.0 event in structured mode, with `data` still a plain JSON object.

    Extension attributes (lower-case, as CloudEvents requires): `agency` is the emitting agency,
    `partnership` the partnership the fact belongs to, `correlationid` ties together everything
    caused by one request, `schemaversion` is the version of the `data` contract (also the `.vN`
    suffix of `type`).

    An event's identity is its `source` and `id` together (CloudEvents), within its partnership: the
    same pair sent again is the same event, and must carry the same content.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1, max_length=128, pattern=PRINTABLE,
                    description="Unique within its source; with `source`, the event's identity and idempotency key.")
    source: str = Field(min_length=1, max_length=256, pattern=URI_REFERENCE,
                        description="URI-reference of the emitting system, e.g. /partners/syp/learning.")
    type: str = Field(max_length=128, pattern=r"^[a-z]+(\.[a-z_]+)+\.v[0-9]+$",
                      description="e.g. training.attendance.recorded.v1")
    specversion: Literal["1.0"] = Field(SPEC_VERSION, description="Always 1.0.")
    time: Moment = Field(description="When the fact happened (RFC 3339, with its offset).")
    subject: Title(256) | None = Field(None, description="The aggregate the event is about.")
    datacontenttype: Literal["application/json"] = Field(JSON, description="Always application/json.")
    dataschema: str | None = Field(None, max_length=512, pattern=URI, description="URI of the JSON Schema of `data`.")
    agency: str = Field(max_length=63, pattern=r"^[a-z0-9][a-z0-9-]{1,62}$", description="The emitting agency's code.")
    partnership: str = Field(max_length=63, pattern=r"^[a-z0-9][a-z0-9-]{1,62}$",
                             description="The partnership the fact belongs to, e.g. doncaster; the key must cover it.")
    correlationid: str | None = Field(None, max_length=128, pattern=PRINTABLE,
                                      description="Correlation id across services.")
    schemaversion: Count | None = Field(None, ge=1, le=999, description="Version of the data contract: the type's .vN.")
    data: dict[str, Any] = Field(description="The event's payload, validated against the catalogue.")

    @field_validator("schemaversion")
    @classmethod
    def _schemaversion_matches_type(cls, value: int | None, info: ValidationInfo) -> int | None:
        type_name = info.data.get("type")
        if value is not None and type_name and value != int(type_name.rsplit(".v", 1)[1]):
            raise ValueError(f"schemaversion {value} does not match the type's .v{type_name.rsplit('.v', 1)[1]}")
        return value

    @property
    def version(self) -> int:
        """The contract version, from the type name's `.vN` suffix."""
        return int(self.type.rsplit(".v", 1)[1])

    @property
    def domain(self) -> str:
        """The owning domain: the first part of the type name (training, reviews, strategy)."""
        return self.type.split(".", 1)[0]

    @property
    def identity(self) -> str:
        """The event's identity, `source` and `id` together within its partnership, as a fixed-length key."""
        return hashlib.sha256(f"{self.partnership}\n{self.source}\n{self.id}".encode()).hexdigest()[:32]

    @property
    def fingerprint(self) -> str:
        """A digest of what the event says (all but `correlationid`, which a retry may change)."""
        content = self.model_dump(mode="json", exclude={"correlationid"}, exclude_none=True)
        return hashlib.sha256(json.dumps(content, sort_keys=True, separators=(",", ":")).encode()).hexdigest()[:32]

    def to_json(self) -> bytes:
        return self.model_dump_json(exclude_none=True).encode()

    @classmethod
    def from_json(cls, raw: bytes | str) -> "Envelope":
        return cls.model_validate_json(raw)


def new_event(type: str, data: dict[str, Any], *, partnership: str, agency: str, source: str,
              subject: str | None = None, time: datetime | None = None, correlationid: str | None = None) -> Envelope:
    """Build an envelope for a fact happening now (used by tests, the sample loader and the bench)."""
    return Envelope(
        id=str(uuid.uuid4()), source=source, type=type, time=time or datetime.now(timezone.utc),
        subject=subject, agency=agency, partnership=partnership, correlationid=correlationid,
        schemaversion=int(type.rsplit(".v", 1)[1]), data=data,
        dataschema=f"https://schemas.scp.example/{type}.json",
    )


def decision_of(fact: Envelope, type: str, data: dict[str, Any], n: int = 0) -> Envelope:
    """The envelope of the `n`th decision a service made from `fact` (shared.events.base.Decision): the fact's
    moment, agency, partnership and correlation id; the deciding service as `source` (`/scp/<domain>`); an id
    derived from the fact's identity, so that the same fact always gives the same decisions."""
    domain = type.split(".", 1)[0]
    digest = hashlib.sha256(f"{fact.identity}\n{type}\n{n}".encode()).hexdigest()[:32]
    return Envelope(id=f"decided-{digest}", source=f"/scp/{domain}", type=type, time=fact.time, agency=fact.agency,
                    partnership=fact.partnership, correlationid=fact.correlationid,
                    schemaversion=int(type.rsplit(".v", 1)[1]), data=data)
