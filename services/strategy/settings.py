from shared.settings import Settings


class StrategySettings(Settings):
    service_name: str = "strategy"
    port: int = 8001
    mongodb_database: str = "strategy"
