"""Run an app with uvicorn on the settings' host and port, with the HTTP limits of `shared.http.limits`."""

import uvicorn
from fastapi import FastAPI

from shared.http.limits import header_deadline
from shared.settings import Settings


def uvicorn_config(app: FastAPI, settings: Settings) -> uvicorn.Config:
    """The server every service runs: HTTP/1.1 (h11) with a deadline for each request's head."""
    return uvicorn.Config(app, host=settings.host, port=settings.port, log_level="warning", access_log=False,
                          http=header_deadline(settings.http_header_timeout_s), ws="none")


def serve(app: FastAPI, settings: Settings) -> None:
    uvicorn.Server(uvicorn_config(app, settings)).run()
