"""Run the platform's processes as a user would, with a test's own prefix, databases and ports."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def environment(prefix: str, kafka: str, mongo_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PORT", "MONGODB_DATABASE", "TOPIC_PREFIX", "CONSUMER_GROUP"))}
    env.update(KAFKA_BOOTSTRAP_SERVERS=kafka, MONGODB_URL=mongo_url, TOPIC_PREFIX=prefix,
               AUTH_DATABASE=f"{prefix}auth", LOG_LEVEL="INFO", PYTHONUNBUFFERED="1", **extra)
    return env


def projector(env: dict[str, str], log: Path) -> subprocess.Popen:
    with open(log, "ab") as out:
        return subprocess.Popen([sys.executable, "-m", "services.reporting.projector"], cwd=ROOT, env=env,
                                stdout=out, stderr=subprocess.STDOUT)
