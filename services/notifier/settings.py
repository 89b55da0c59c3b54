from datetime import date
from typing import Literal

from shared.settings import Settings


class NotifierSettings(Settings):
    """The notifier's settings (docs/alerts.md): where it reads the figures and subscriptions, where it keeps its
    notices, how it sends them, how often it looks."""

    service_name: str = "notifier"
    mongodb_database: str = "notifier"  # its notices
    reporting_url: str = "http://127.0.0.1:8000"  # the reporting service's JSON, read with a read key
    reporting_read_key: str = ""  # a read key of every partnership with subscriptions (create-read-key)
    reporting_read_key_file: str | None = None  # or a file holding it (a mounted Secret), read again when refused
    metrics_port: int = 9101
    public_url: str = "http://127.0.0.1:8000"  # the dashboard readers sign in to: every notice links to a page there

    smtp_host: str = "127.0.0.1"
    smtp_port: int = 587
    smtp_security: Literal["starttls", "tls", "none"] = "starttls"  # none: only for a local sink
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_ca_file: str | None = None  # a CA bundle to trust beyond the system's (a private mail relay)
    smtp_from: str = "Safeguarding partnership notices <notices@scp.example>"
    smtp_timeout_s: float = 30.0
    webhook_timeout_s: float = 10.0

    tick_s: float = 5.0  # how often it looks for a projected event (the read model's version) and for notices due
    max_attempts: int = 6  # then a notice is dead-lettered with its last reason
    backoff_base_s: float = 30.0  # the wait before the second attempt, doubled for each one after
    backoff_max_s: float = 3600.0
    lease_s: float = 120.0  # a notice claimed by a notifier that died is sent again after this long
    today: date | None = None  # NOTIFIER_TODAY: evaluate as if it were this day (a rehearsal, and the tests)
    pause_before_send_s: float = 0.0  # fault injection for the crash tests only
