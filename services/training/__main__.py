"""Run the training service: `python -m services.training`."""

from shared.http.serve import serve
from services.training.entrypoints.api import build
from services.training.settings import TrainingSettings

if __name__ == "__main__":
    settings = TrainingSettings()
    serve(build(settings), settings)
