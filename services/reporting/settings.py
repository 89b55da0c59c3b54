from shared.settings import Settings


class ReportingSettings(Settings):
    service_name: str = "reporting"
    port: int = 8000
    mongodb_database: str = "reporting"
    consumer_group: str = "reporting-projector"
    metrics_port: int = 9100
    max_batch: int = 500
    pause_before_commit_s: float = 0.0  # fault injection for the crash tests only
