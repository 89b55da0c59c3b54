from shared.settings import DomainServiceSettings


class TrainingSettings(DomainServiceSettings):
    service_name: str = "training"
    port: int = 8003
    mongodb_database: str = "training"
