"""`python -m sample` (the last step of `make run`): register the sample partnerships (Doncaster and
Rotherham), make the sample partner keys, load the sample through the domain services' public APIs
(strategy, reviews, training), wait until the read model shows its figures, and print where to look.

Keys are made once and kept in .local/run/sample-keys.json (they are stored hashed in MongoDB;
this file is the only copy of the secrets), and so are the sample readers' passwords and the sample read key, in
.local/run/sample-readers.json. Reloading is idempotent: event ids are fixed.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import httpx

from sample import partnership, reviews, rotherham, strategy
from sample.agencies import AGENCIES
from sample.subscriptions import SUBSCRIPTIONS
from shared.adapters.mongo.subscriptions import Subscriptions
from shared.subscriptions import Subscription
from sample.load import KEYS, LoadFailed, load, service_urls
from sample.partnership import PARTNERSHIPS
from shared.adapters.mongo.agencies import AgencyRegistry
from shared.adapters.mongo.keys import KeyStore
from shared.adapters.mongo.readers import ReaderStore
from shared.agencies import Agency
from shared.auth.readers import Reader, Role, hash_password, password_matches
from shared.adapters.mongo.client import connect
from shared.partnerships import Partnership
from shared.adapters.mongo.partnerships import PartnershipRegistry
from shared.settings import Settings

RUN_DIR = Path(os.environ.get("SCP_RUN_DIR") or Path(__file__).resolve().parents[1] / ".local" / "run")
KEY_FILE = RUN_DIR / "sample-keys.json"
READER_FILE = RUN_DIR / "sample-readers.json"
# One sample reader per role (python -m shared.auth add-reader makes them the same way), and a read key the sample
# reads the figures with, as a partnership's reporting tools would.
READERS = [
    {"username": "board", "name": "Sample Board Member", "role": "board", "partnerships": ["doncaster"]},
    {"username": "lqi", "name": "Sample LQI Group Member", "role": "lqi", "partnerships": ["doncaster"]},
    {"username": "scrutineer", "name": "Sample Independent Scrutineer", "role": "scrutineer",
     "partnerships": ["doncaster", "rotherham"]},
    {"username": "admin", "name": "Sample Partnership Admin", "role": "admin", "partnerships": ["doncaster"]},
]


READING: dict[str, str] = {}  # the read key's header, once made
EXPECTED = {"doncaster": partnership.EXPECTED, "rotherham": rotherham.EXPECTED}


async def _keys(settings: Settings) -> list[dict]:
    """The sample's partnerships (registered, or updated) and keys: reused while still valid, made again otherwise."""
    client = connect(settings.mongodb_url)
    try:
        registry = PartnershipRegistry(client[settings.auth_database])
        for spec in PARTNERSHIPS:
            await registry.add(Partnership(**spec))
        agencies = AgencyRegistry(client[settings.auth_database])
        for spec in AGENCIES:
            await agencies.add(Agency(**spec))
        subscriptions = Subscriptions(client[settings.auth_database])
        for spec in SUBSCRIPTIONS:
            await subscriptions.put(Subscription(**spec))
        store = KeyStore(client[settings.auth_database])
        if KEY_FILE.exists():
            kept = json.loads(KEY_FILE.read_text())
            valid = [await store.authenticate(k["key"]) for k in kept]
            if len(kept) == len(KEYS) and all(valid) and \
                    [(k.agency, k.partnerships, k.event_types) for k in valid] == \
                    [(s["agency"], s["partnerships"], s["event_types"]) for s in KEYS]:
                return kept
        made = []
        for spec in KEYS:
            raw, _ = await store.create(spec["agency"], spec["event_types"], spec["label"],
                                        partnerships=spec["partnerships"])
            made.append({**spec, "key": raw})
        KEY_FILE.parent.mkdir(parents=True, exist_ok=True)
        KEY_FILE.write_text(json.dumps(made, indent=2))
        KEY_FILE.chmod(0o600)
        return made
    finally:
        await client.close()


async def _readers(settings: Settings) -> dict:
    """The sample readers (with their passwords) and read key: kept in READER_FILE, made again if not valid."""
    client = connect(settings.mongodb_url)
    try:
        auth = client[settings.auth_database]
        store, keys = ReaderStore(auth), KeyStore(auth)
        if READER_FILE.exists():
            kept = json.loads(READER_FILE.read_text())
            found = [await store.get(r["username"]) for r in kept["readers"]]
            if len(found) == len(READERS) and all(f and password_matches(f[1], r["password"]) and not f[0].disabled_at
                                                  for f, r in zip(found, kept["readers"])) \
                    and await keys.authenticate(kept["read_key"]):
                return kept
        made = []
        for spec in READERS:
            password = secrets.token_urlsafe(12)
            reader = Reader(**spec, created_at=datetime.now(timezone.utc))
            if await store.get(reader.username) is None:
                await store.add(reader, hash_password(password))
            else:
                await store.update(reader.username, password_hash=hash_password(password), disabled_at=None,
                                   role=str(reader.role), partnerships=reader.partnerships, name=reader.name)
            made.append({**spec, "password": password})
        read_key, _ = await keys.create_read_key("the sample's figures", partnerships=[p["code"] for p in PARTNERSHIPS])
        kept = {"readers": made, "read_key": read_key}
        READER_FILE.parent.mkdir(parents=True, exist_ok=True)
        READER_FILE.write_text(json.dumps(kept, indent=2))
        READER_FILE.chmod(0o600)
        return kept
    finally:
        await client.close()


def _wait_for_dashboard(url: str, code: str, timeout_s: float = 60) -> dict:
    deadline, expected = time.monotonic() + timeout_s, EXPECTED[code]["attendances"]
    figures: dict = {}
    while time.monotonic() < deadline:
        figures = httpx.get(f"{url}/p/{code}/api/dashboard", headers=READING, timeout=5).json()["training"]
        if figures["attendances"] >= expected:
            return figures
        time.sleep(0.5)
    raise SystemExit(f"{code}'s dashboard shows {figures.get('attendances')} attendances after {timeout_s}s, "
                     f"expected {expected}: see {RUN_DIR}/projector.log")


def _wait_for(reporting: str, domain, timeout_s: float = 60) -> list[str]:
    """The domain sample's summary lines, once the read model shows them."""
    def figures(path: str) -> dict:
        response = httpx.get(f"{reporting}/p/doncaster/api/{path}", headers=READING, timeout=10)
        response.raise_for_status()
        return response.json()

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            lines = domain.summary(figures)
        except httpx.HTTPError:
            lines = None
        if lines is not None:
            return lines
        time.sleep(0.5)
    # not a failure: a deployment that also holds other events (a partner's test, the README's curl) shows
    # other figures than the sample alone
    return [f"Note: after {timeout_s:.0f}s the read model does not show exactly {domain.__name__}'s figures: "
            f"other events may have been sent to this deployment, or see {RUN_DIR}/projector.log"]


def main() -> int:
    settings = Settings()
    urls = service_urls()
    training = urls["training"]
    reporting = f"http://127.0.0.1:{os.environ.get('REPORTING_PORT', '8000')}"
    keys = asyncio.run(_keys(settings))
    readers = asyncio.run(_readers(settings))
    READING["authorization"] = f"Bearer {readers['read_key']}"
    try:
        summary = load(urls, keys)
    except LoadFailed as failed:
        print(f"sample: loading failed: {failed}", file=sys.stderr)
        return 1
    figures = {code: _wait_for_dashboard(reporting, code) for code in EXPECTED}
    lines = [line for domain in (partnership, strategy, reviews) for line in _wait_for(reporting, domain)]
    print(f"""
Sample partnerships loaded: {summary['accepted']} events accepted, {summary['duplicates']} already there.""")
    for code, f in figures.items():
        print(f"{code.capitalize()}'s dashboard shows {f['attendances']:,} attendances at {f['sessions']} sessions "
              f"of {f['courses']} courses.")
    for line in lines:
        print(line)
    print(f"""
  Partnerships:     {reporting}/   (sign in as a sample reader below)
  Dashboards:       {reporting}/p/doncaster/   {reporting}/p/rotherham/
  Their figures:    {reporting}/p/doncaster/api/dashboard   (signed in, or with the read key below)
  Ingest:           {urls['strategy']}/events  {urls['reviews']}/events  {training}/events
                    (each with its OpenAPI at /docs)

Sample partner keys (also in {KEY_FILE.relative_to(Path.cwd()) if KEY_FILE.is_relative_to(Path.cwd()) else KEY_FILE}):""")
    for k in keys:
        print(f"  {k['agency']:<36} {','.join(k['partnerships']):<20} {k['key']}\n      {', '.join(k['event_types'])}")
    shown = READER_FILE.relative_to(Path.cwd()) if READER_FILE.is_relative_to(Path.cwd()) else READER_FILE
    print(f"\nSample readers: sign in at {reporting}/login (also in {shown}):")
    for r in readers["readers"]:
        title = Role(r["role"]).title
        print(f"  {r['username']:<11} {r['password']:<18} {title:<23} {', '.join(r['partnerships'])}")
    print(f"Sample read key (a reporting tool's, for the JSON): curl -H 'Authorization: Bearer {readers['read_key']}' "
          f"{reporting}/p/doncaster/api/dashboard")
    print(f"\nNotices to the sample's {len(SUBSCRIPTIONS)} subscribers (docs/alerts.md) are delivered to the local mail "
          "sink: .local/mail/new/ (make mail lists them).")
    print("\nStop everything with: make stop")
    return 0


if __name__ == "__main__":
    sys.exit(main())
