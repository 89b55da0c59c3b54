"""Readers: the people who sign in to read a partnership's pages and figures, what each role may see, and how a
password is hashed and checked (argon2id, by argon2-cffi). No I/O: the stores are in shared.adapters.mongo.readers.

Whoever reads, a person signed in or a partnership's own reporting tool with a read key, is a `Viewer`: the name
the audit log records, the role and the partnerships it may read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import BaseModel, Field

USERNAME = r"^[a-z0-9][a-z0-9._@+-]{1,99}$"  # a local name (alice.smith) or, signed in with OIDC, an e-mail address
MIN_PASSWORD, MAX_PASSWORD = 12, 256  # length over complexity (NCSC); the upper bound keeps hashing bounded


class Role(StrEnum):
    board = "board"  # a member of the partnership board or executive (the chief officers)
    lqi = "lqi"  # a member of the Learning and Quality Improvement group
    scrutineer = "scrutineer"  # the independent scrutineer
    admin = "admin"  # the partnership's administrator (its business unit): reads the audit log too

    @property
    def title(self) -> str:
        return ROLE_TITLES[self]


ROLE_TITLES = {Role.board: "board member", Role.lqi: "LQI group member", Role.scrutineer: "independent scrutineer",
               Role.admin: "partnership admin"}


class Reader(BaseModel):
    """An account: who, in which role, reading which partnerships. Its password hash is kept apart (`ReaderStore`)."""

    username: str = Field(pattern=USERNAME)
    name: str = Field(min_length=1, max_length=100)  # shown on the pages and in the audit log
    role: Role
    partnerships: list[str] = Field(min_length=1)
    created_at: datetime
    disabled_at: datetime | None = None


@dataclass(frozen=True)
class Viewer:
    """Whoever is reading: `reader:alice` or `key:0123abcd4567` in the audit log."""

    kind: str  # "reader" or "key"
    id: str
    name: str
    role: Role | None  # None for a read key: a tool, not a person
    partnerships: frozenset[str]
    session_csrf: str | None = None  # a signed-in reader's token for the forms it posts

    @property
    def who(self) -> str:
        return f"{self.kind}:{self.id}"

    def may_read(self, partnership: str) -> bool:
        return partnership in self.partnerships

    def may_audit(self, partnership: str) -> bool:
        return self.role is Role.admin and self.may_read(partnership)

    @classmethod
    def of_reader(cls, reader: Reader, csrf: str | None = None) -> "Viewer":
        return cls("reader", reader.username, reader.name, reader.role, frozenset(reader.partnerships), csrf)


_hasher = PasswordHasher()  # argon2id, with the library's current recommended parameters (RFC 9106)
# Checked when no such account exists, so that a wrong name costs what a wrong password does.
_NOBODY = _hasher.hash("no such reader: this hash matches no password anyone is given")


def password_problem(password: str) -> str | None:
    """Why a new password cannot be used, or None."""
    if len(password) < MIN_PASSWORD:
        return f"a password needs at least {MIN_PASSWORD} characters"
    if len(password) > MAX_PASSWORD:
        return f"a password has at most {MAX_PASSWORD} characters"
    return None


def hash_password(password: str) -> str:
    problem = password_problem(password)
    if problem:
        raise ValueError(problem)
    return _hasher.hash(password)


def password_matches(stored_hash: str | None, password: str) -> bool:
    """Whether `password` is the one hashed in `stored_hash`; as slow for no account (None) as for a wrong one."""
    if len(password) > MAX_PASSWORD:
        return False
    try:
        return _hasher.verify(stored_hash or _NOBODY, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """Whether a hash was made with weaker parameters than today's (rehashed at the next sign-in)."""
    return _hasher.check_needs_rehash(stored_hash)
