from shared.settings import DomainServiceSettings


class StrategySettings(DomainServiceSettings):
    service_name: str = "strategy"
    port: int = 8001
    mongodb_database: str = "strategy"
