"""Settings from the environment: one validated object per process (pydantic-settings)."""

from __future__ import annotations

from typing import Literal

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
