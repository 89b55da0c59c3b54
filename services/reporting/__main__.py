"""Run the reporting API: `python -m services.reporting` (the projector is `services.reporting.projector`)."""

from shared.http.serve import serve
from services.reporting.entrypoints.api import build
from services.reporting.settings import ReportingSettings

if __name__ == "__main__":
    settings = ReportingSettings()
    serve(build(settings), settings)
