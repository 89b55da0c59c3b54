"""Run the strategy service: `python -m services.strategy`."""

from shared.http.serve import serve
from services.strategy.entrypoints.api import build
from services.strategy.settings import StrategySettings

if __name__ == "__main__":
    settings = StrategySettings()
    serve(build(settings), settings)
