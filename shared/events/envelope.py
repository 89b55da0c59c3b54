"""The one envelope every event travels in: CloudEvents 1.0 plus the partnership's extensions."""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import datetime, timezone
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from shared.events.base import Count, Moment, Title

SPEC_VERSION = "1.0"
JSON = "application/json"


# RFC 3986 URI-reference characters (percent-encoded where needed); an absolute URI has a scheme.
URI_REFERENCE = r"^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+$"
URI = r"^[A-Za-z][A-Za-z0-9+.\-]*:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+$"
PRINTABLE = r"^[\x21-\x7e]+$"  # printable ASCII, no spaces: ids and correlation ids
# The canonical base of the catalogue's JSON Schemas: the `$id`s in docs/catalogue/schemas/, the same in every
# deployment (an identifier). Each domain service serves its own copies under SCHEMA_BASE_URL (shared.http.schemas),
# and the `dataschema` of every event it publishes is that copy's URL.
SCHEMA_BASE = "https://schemas.scp.example/"


def schema_url(type_name: str, base: str = SCHEMA_BASE) -> str:
    """The URL of the JSON Schema of a type's `data` under `base` (which ends in `/`)."""
    return f"{base}{type_name}.json"


def names_schema_of(dataschema: str, type_name: str) -> bool:
    """True if `dataschema` names the schema of `type_name` under any base: its path ends in `/<type>.json`,
    with no query or fragment (the catalogue's URL, a service's own, or a partner's copy of either)."""
    parts = urlsplit(dataschema)
    return parts.path.endswith(f"/{type_name}.json") and not parts.query and not parts.fragment


def _digest(content: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(content, sort_keys=True, separators=(",", ":")).encode()).hexdigest()[:32]


class Envelope(BaseModel):
    """A CloudEvents 1.0 event in structured mode, with `data` still a plain JSON object.

    Extension attributes (lower-case, as CloudEvents requires): `agency` is the emitting agency,
    `partnership` the partnership the fact belongs to, `correlationid` ties together everything
    caused by one request, `schemaversion` is the version of the `data` contract (also the `.vN`
    suffix of `type`), `causationid` (on a service's decision) the id of the fact it was decided from.

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
    dataschema: str | None = Field(None, max_length=512, pattern=URI, description=(
        "URI of the JSON Schema of `data`. Optional; if sent, the schema of this event's type (a URL whose path ends "
        "in `/<type>.json`). Published as the URL the service serves it at (`GET /schemas/<type>.json`)."))
    agency: str = Field(max_length=63, pattern=r"^[a-z0-9][a-z0-9-]{1,62}$", description="The emitting agency's code.")
    partnership: str = Field(max_length=63, pattern=r"^[a-z0-9][a-z0-9-]{1,62}$",
                             description="The partnership the fact belongs to, e.g. doncaster; the key must cover it.")
    correlationid: str | None = Field(None, max_length=128, pattern=PRINTABLE,
                                      description="Correlation id across services.")
    schemaversion: Count | None = Field(None, ge=1, le=999, description="Version of the data contract: the type's .vN.")
    causationid: str | None = Field(None, max_length=128, pattern=PRINTABLE,
                                    description="The id of the event this one follows from: on a decision a service "
                                                "published, the id of the fact it decided from.")
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
        """A digest of what the event says: all but `correlationid`, which a retry may change, and `dataschema`,
        which its `type` decides (a service publishes every event with its own URL of the type's schema)."""
        return _digest(self.model_dump(mode="json", exclude={"correlationid", "dataschema"}, exclude_none=True))

    @property
    def fingerprints(self) -> tuple[str, str]:
        """Every digest a service may hold of this content: the `fingerprint`, and the one taken before it left
        `dataschema` out, of the event carrying the catalogue's URL of its schema (as `new_event` and the sample
        sent it then). A mark equal to either is this event again."""
        content = self.model_dump(mode="json", exclude={"correlationid"}, exclude_none=True)
        return self.fingerprint, _digest({**content, "dataschema": schema_url(self.type)})

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
    )  # no `dataschema`: the service that publishes it sets its own URL of the type's schema


def decision_of(fact: Envelope, type: str, data: dict[str, Any], n: int = 0) -> Envelope:
    """The envelope of the `n`th decision a service made from `fact` (shared.events.base.Decision): the fact's
    moment, agency, partnership and correlation id; the fact's id as `causationid`; the deciding service as `source`
    (`/scp/<domain>`); an id derived from the fact's identity, so that the same fact always gives the same decisions."""
    domain = type.split(".", 1)[0]
    digest = hashlib.sha256(f"{fact.identity}\n{type}\n{n}".encode()).hexdigest()[:32]
    return Envelope(id=f"decided-{digest}", source=f"/scp/{domain}", type=type, time=fact.time, agency=fact.agency,
                    partnership=fact.partnership, correlationid=fact.correlationid, causationid=fact.id,
                    schemaversion=int(type.rsplit(".v", 1)[1]), data=data)
