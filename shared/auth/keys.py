"""API keys: made once, shown once, stored only as a hash. A partner's key emits its agency's events to its
partnerships; a read key (`scope="read"`) lets a partnership's own reporting tools read its figures."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from typing import Literal
from fnmatch import fnmatchcase

from pydantic import BaseModel

PREFIX = "scp"
# What KeyStore.create makes: 12 hex digits of id, then token_urlsafe(24) (32 characters) with "_" made "-".
KEY_SHAPE = re.compile(rf"{PREFIX}_([0-9a-f]{{12}})_([A-Za-z0-9-]{{32}})")
KEY_LENGTH = len(PREFIX) + 1 + 12 + 1 + 32
_UNCACHED = object()


class ApiKey(BaseModel):
    key_id: str
    agency: str
    event_types: list[str]  # exact type names, or patterns such as "training.*"
    partnerships: list[str] = []  # the partnerships it may emit to
    label: str = ""
    created_at: datetime
    revoked_at: datetime | None = None
    may_correct: bool = False  # may change facts that other agencies recorded (an administrator's key)
    scope: Literal["emit", "read"] = "emit"  # a partner's key emits events; a read key reads figures, nothing else
    expires_at: datetime | None = None  # set when it is rotated: it works until then, beside its successor
    requests_per_s: int | None = None  # its own limits (shared.http.rate_limits); None: the deployment's
    events_per_s: int | None = None
    rotated_from: str | None = None  # the key this one replaces

    def may_emit(self, type_name: str) -> bool:
        return self.scope == "emit" and any(fnmatchcase(type_name, pattern) for pattern in self.event_types)

    def may_emit_to(self, partnership: str) -> bool:
        return self.scope == "emit" and partnership in self.partnerships

    def may_read(self, partnership: str) -> bool:
        return self.scope == "read" and partnership in self.partnerships


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def split_key(raw: str) -> tuple[str, str] | None:
    """(key id, secret) if `raw` has the exact shape of a key, else None; a long token is refused unread."""
    if len(raw) > KEY_LENGTH + 8:  # room for surrounding blanks, which strip() below removes
        return None
    match = KEY_SHAPE.fullmatch(raw.strip())
    return (match[1], match[2]) if match else None
