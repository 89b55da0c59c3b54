"""Run the reviews service: `python -m services.reviews`."""

from shared.http.serve import serve
from services.reviews.entrypoints.api import build
from services.reviews.settings import ReviewsSettings

if __name__ == "__main__":
    settings = ReviewsSettings()
    serve(build(settings), settings)
