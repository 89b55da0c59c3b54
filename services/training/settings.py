from shared.settings import Settings


class TrainingSettings(Settings):
    service_name: str = "training"
    port: int = 8003
    mongodb_database: str = "training"
    outbox_poll_s: float = 1.0
