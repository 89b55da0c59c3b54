"""`python -m sample` (the last step of `make run`): make the sample partner keys, load the sample
partnership through the training service's public API, wait until the dashboard shows it, and
print where to look.

Keys are made once and kept in .local/run/sample-keys.json (they are stored hashed in MongoDB;
this file is the only copy of the secrets). Reloading is idempotent: event ids are fixed.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from pathlib import Path

import httpx

from sample.load import LoadFailed, load
from sample.partnership import EXPECTED, KEYS
from shared.auth.keys import KeyStore
from shared.mongo import connect
from shared.settings import Settings

RUN_DIR = Path(os.environ.get("SCP_RUN_DIR") or Path(__file__).resolve().parents[1] / ".local" / "run")
KEY_FILE = RUN_DIR / "sample-keys.json"


async def _keys(settings: Settings) -> list[dict]:
    """The sample's keys: reused while still valid, made again otherwise."""
    client = connect(settings.mongodb_url)
    try:
        store = KeyStore(client[settings.auth_database])
        if KEY_FILE.exists():
            kept = json.loads(KEY_FILE.read_text())
            if all([await store.authenticate(k["key"]) for k in kept]):
                return kept
        made = []
        for spec in KEYS:
            raw, _ = await store.create(spec["agency"], spec["event_types"], spec["label"])
            made.append({**spec, "key": raw})
        KEY_FILE.parent.mkdir(parents=True, exist_ok=True)
        KEY_FILE.write_text(json.dumps(made, indent=2))
        KEY_FILE.chmod(0o600)
        return made
    finally:
        await client.close()


def _wait_for_dashboard(url: str, timeout_s: float = 60) -> dict:
    deadline = time.monotonic() + timeout_s
    figures: dict = {}
    while time.monotonic() < deadline:
        figures = httpx.get(f"{url}/api/dashboard", timeout=5).json()["training"]
        if figures["attendances"] >= EXPECTED["attendances"]:
            return figures
        time.sleep(0.5)
    raise SystemExit(f"the dashboard shows {figures.get('attendances')} attendances after {timeout_s}s, "
                     f"expected {EXPECTED['attendances']}: see {RUN_DIR}/projector.log")


def main() -> int:
    settings = Settings()
    training = f"http://127.0.0.1:{os.environ.get('TRAINING_PORT', '8003')}"
    reporting = f"http://127.0.0.1:{os.environ.get('REPORTING_PORT', '8000')}"
    keys = asyncio.run(_keys(settings))
    loader = next(k for k in keys if k["agency"] == "dscp-training")
    try:
        summary = load(training, loader["key"])
    except LoadFailed as failed:
        print(f"sample: loading failed: {failed}", file=sys.stderr)
        return 1
    figures = _wait_for_dashboard(reporting)
    print(f"""
Sample partnership loaded: {summary['accepted']} events accepted, {summary['duplicates']} already there.
The dashboard shows {figures['attendances']:,} attendances at {figures['sessions']} sessions of {figures['courses']} courses.

  Dashboard:        {reporting}/
  Its figures:      {reporting}/api/dashboard
  Training ingest:  {training}/events   (OpenAPI: {training}/docs)

Sample partner keys (also in {KEY_FILE.relative_to(Path.cwd()) if KEY_FILE.is_relative_to(Path.cwd()) else KEY_FILE}):""")
    for k in keys:
        print(f"  {k['agency']:<24} {', '.join(k['event_types']):<34} {k['key']}")
    print("\nStop everything with: make stop")
    return 0


if __name__ == "__main__":
    sys.exit(main())
