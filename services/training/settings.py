from shared.settings import Settings


class TrainingSettings(Settings):
    service_name: str = "training"
    port: int = 8003
    mongodb_database: str = "training"
    outbox_poll_s: float = 1.0
    outbox_stuck_after_s: float = 60.0  # /readyz says "stuck" when publishing has failed for this long
    outbox_sweep_s: float = 30.0  # how often the relay looks for outboxes left by a process that died
