"""Run the notifier: `python -m services.notifier` (one at a time: it is the one writer of its notices)."""

import asyncio

from prometheus_client import start_http_server

from services.notifier.runner import Notifier
from services.notifier.settings import NotifierSettings
from shared.adapters.mongo.client import connect
from shared.observability.logging import configure_logging


async def _run(settings: NotifierSettings) -> None:
    mongo = connect(settings.mongodb_url)
    notifier = Notifier(settings, mongo)
    notifier.install_signal_handlers()
    try:
        await notifier.run()
    finally:
        await mongo.close()


def main() -> None:
    settings = NotifierSettings()
    configure_logging(settings.service_name, settings.log_level, settings.log_format)
    if settings.metrics_port:
        start_http_server(settings.metrics_port, addr=settings.host)
    asyncio.run(_run(settings))


if __name__ == "__main__":
    main()
