"""Settings from the environment: one validated object per process (pydantic-settings)."""

from __future__ import annotations

from typing import Literal

from pydantic import AnyHttpUrl, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """What every service reads from its environment. Services subclass it to set their defaults."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore")

    service_name: str = "scp"
    host: str = "127.0.0.1"
    port: int = 8000
    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    mongodb_url: str = "mongodb://127.0.0.1:27017/?directConnection=true"
    mongodb_database: str = "scp"
    auth_database: str = "partnership_auth"
    topic_prefix: str = ""
    topic_replication_factor: int = 1
    log_level: str = "INFO"
    log_format: Literal["json", "console"] = "json"
    otel_traces_exporter: Literal["none", "console", "memory"] = "none"
    readiness_timeout_s: float = 2.0
    # set when the MongoDB API is FerretDB over PostgreSQL (locally): the services add GIN indexes there
    ferretdb_postgresql_url: str | None = None
    # the largest event accepted at ingest, as published; lowered at run time to what the topic accepts
    max_event_bytes: int = 64 * 1024

    # HTTP limits (shared/http/limits.py): how long a client may keep a connection waiting, how much it may send.
    http_header_timeout_s: float = 10.0  # from the server being ready for a request to its whole head received
    http_body_timeout_s: float = 30.0  # from the app's first read of a body to its last byte
    http_max_body_bytes: int = 5 * 1024 * 1024  # a larger body gets 413, refused as soon as it is known
    # Per partner key, on each replica (shared/http/rate_limits.py): a key's own limits, set at creation, come first.
    key_requests_per_s: int = 0  # 0: no limit
    key_events_per_s: int = 0


class DomainServiceSettings(Settings):
    """A domain service's settings: those of every service, its outbox relay's, and where it serves its schemas."""

    outbox_poll_s: float = 1.0
    outbox_stuck_after_s: float = 60.0  # /readyz says "stuck" when publishing has failed for this long
    outbox_sweep_s: float = 30.0  # how often the relay looks for outboxes left by a process that died
    # SCHEMA_BASE_URL: the public URL of the service's `/schemas/` (shared.http.schemas), e.g.
    # https://training.scp.example.org/schemas/: every event's `dataschema` is a URL under it. Unset: this process's
    # own address (`http://HOST:PORT/schemas/`, 127.0.0.1 when it listens on every interface), for local runs.
    schema_base_url: AnyHttpUrl | None = None

    @field_validator("schema_base_url")
    @classmethod
    def _a_base(cls, url: AnyHttpUrl | None) -> AnyHttpUrl | None:
        if url is not None and (url.query or url.fragment):
            raise ValueError("a base URL has no query or fragment")
        if url is not None and len(str(url)) > 256:  # with a type's name, within an event's `dataschema` (512)
            raise ValueError("at most 256 characters")
        return url

    @property
    def schema_base(self) -> str:
        """The base URL of the service's schemas, ending in `/`."""
        if self.schema_base_url is not None:
            return str(self.schema_base_url).rstrip("/") + "/"
        host = "127.0.0.1" if self.host in ("", "0.0.0.0", "::") else self.host
        return f"http://{f'[{host}]' if ':' in host else host}:{self.port}/schemas/"
