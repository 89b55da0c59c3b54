"""Run an app with uvicorn on the settings' host and port."""

import uvicorn
from fastapi import FastAPI

from shared.settings import Settings


def serve(app: FastAPI, settings: Settings) -> None:
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning", access_log=False)
