from shared.settings import DomainServiceSettings


class ReviewsSettings(DomainServiceSettings):
    service_name: str = "reviews"
    port: int = 8002
    mongodb_database: str = "reviews"
