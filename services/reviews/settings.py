from shared.settings import Settings


class ReviewsSettings(Settings):
    service_name: str = "reviews"
    port: int = 8002
    mongodb_database: str = "reviews"
