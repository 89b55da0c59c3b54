"""Load the sample partnerships through the public HTTP API, as the partners' systems would.

    python -m sample.load --keys .local/run/sample-keys.json [--training-url http://127.0.0.1:8003]
                          [--strategy-url http://127.0.0.1:8001] [--reviews-url http://127.0.0.1:8002] [--batch 200]

Posts the sample's events (`sample.partnership` and `sample.rotherham` for training, `sample.strategy`,
`sample.reviews`) as `application/cloudevents-batch+json` batches to `POST {service-url}/events`, the
service being the event type's domain (`strategy.…` to the strategy service). Each agency's events go
with that agency's own key for the domain and partnership (`Authorization: Bearer KEY`), in the order
the sample gives them. Event ids are deterministic, so loading twice is harmless: the second run
reports every event as a duplicate. Any answer other than 202 stops the load and exits non-zero,
printing the response body.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Mapping, Sequence
from fnmatch import fnmatchcase
from pathlib import Path

import httpx

from sample import partnership, reviews, rotherham, strategy
from shared.events.envelope import Envelope
from shared.http.ingest import BATCH, MAX_BATCH

KEYS = [*partnership.KEYS, *strategy.KEYS, *reviews.KEYS]  # every sample key: {agency, partnerships, event_types, label}
DOMAINS = ("strategy", "reviews", "training")


def service_urls(host: str = "127.0.0.1") -> dict[str, str]:
    """Each domain service's base URL, from STRATEGY_PORT, REVIEWS_PORT and TRAINING_PORT (defaults 8001-8003)."""
    defaults = {"strategy": "8001", "reviews": "8002", "training": "8003"}
    return {d: f"http://{host}:{os.environ.get(f'{d.upper()}_PORT', port)}" for d, port in defaults.items()}


class LoadFailed(Exception):
    """The service refused a batch: `status` and `body` are its answer."""

    def __init__(self, status: int, body: str, batch: int):
        super().__init__(f"batch {batch} refused with HTTP {status}: {body}")
        self.status, self.body, self.batch = status, body, batch


def sample_events() -> list[Envelope]:
    """Every sample event: the strategy facts, the reviews, then Doncaster's and Rotherham's training."""
    return strategy.events() + reviews.events() + partnership.training_events() + rotherham.training_events()


def domain_of(event: Envelope) -> str:
    return event.type.split(".", 1)[0]


def by_sender(events: Sequence[Envelope]) -> dict[tuple[str, str, str], list[Envelope]]:
    """Events grouped by domain, partnership and emitting agency, in order of first appearance, each group in
    its own order: a partnership's training team (courses, sessions) comes before the police's attendance."""
    groups: dict[tuple[str, str, str], list[Envelope]] = {}
    for event in events:
        groups.setdefault((domain_of(event), event.partnership, event.agency), []).append(event)
    return groups


def key_for(keys: Sequence[Mapping], domain: str, partnership_code: str, agency: str, types: set[str]) -> str | None:
    """The key of `agency` that covers the partnership and every one of the event types."""
    for key in keys:
        if key["agency"] == agency and partnership_code in key["partnerships"] and \
                all(any(fnmatchcase(t, pattern) for pattern in key["event_types"]) for t in types):
            return key["key"]
    return None


def load(urls: Mapping[str, str], keys: Sequence[Mapping], batch: int = 200, *,
         events: Sequence[Envelope] | None = None, client: httpx.Client | None = None) -> dict:
    """Post every sample event to its domain's service (`urls`: domain -> base URL) with its agency's key
    (`keys`: {agency, partnerships, event_types, key}). Return {"events", "batches", "accepted", "duplicates"}.
    Raises LoadFailed, or ValueError when a sender has no key."""
    if not 1 <= batch <= MAX_BATCH:
        raise ValueError(f"batch must be 1 to {MAX_BATCH}")
    events = list(sample_events() if events is None else events)
    groups = by_sender(events)
    chosen = {sender: key_for(keys, sender[0], sender[1], sender[2], {e.type for e in group})
              for sender, group in groups.items()}
    missing = sorted(f"{agency} ({domain}, {code})" for (domain, code, agency), key in chosen.items() if key is None)
    if missing:
        raise ValueError(f"no key for {', '.join(missing)}")
    totals = {"events": len(events), "batches": 0, "accepted": 0, "duplicates": 0}
    http = client or httpx.Client(timeout=60.0)
    try:
        for sender, group in groups.items():
            headers = {"Authorization": f"Bearer {chosen[sender]}", "Content-Type": BATCH}
            for start in range(0, len(group), batch):
                body = b"[" + b",".join(e.to_json() for e in group[start:start + batch]) + b"]"
                response = http.post(f"{urls[sender[0]].rstrip('/')}/events", content=body, headers=headers)
                if response.status_code != 202:
                    raise LoadFailed(response.status_code, response.text, totals["batches"] + 1)
                answer = response.json()
                totals["batches"] += 1
                totals["accepted"] += answer["accepted"]
                totals["duplicates"] += answer["duplicates"]
    finally:
        if client is None:
            http.close()
    return totals


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sample.load", description=__doc__.splitlines()[0])
    defaults = service_urls()
    for domain in DOMAINS:
        parser.add_argument(f"--{domain}-url", default=defaults[domain], help=f"the {domain} service ({defaults[domain]})")
    parser.add_argument("--keys", required=True, type=Path,
                        help="a JSON list of {agency, partnerships, event_types, key}, as `python -m sample` writes "
                             "to .local/run/sample-keys.json")
    parser.add_argument("--batch", type=int, default=200, help=f"events per request, 1 to {MAX_BATCH} (default 200)")
    args = parser.parse_args(argv)
    urls = {domain: getattr(args, f"{domain}_url") for domain in DOMAINS}
    try:
        totals = load(urls, json.loads(args.keys.read_text()), args.batch)
    except LoadFailed as failed:
        print(f"sample load failed at batch {failed.batch}: HTTP {failed.status}", file=sys.stderr)
        print(failed.body, file=sys.stderr)
        return 1
    except (httpx.HTTPError, ValueError, OSError, KeyError) as exc:
        print(f"sample load failed: {exc}", file=sys.stderr)
        return 1
    print(f"sample loaded: {totals['events']} events in {totals['batches']} batches, "
          f"{totals['accepted']} accepted, {totals['duplicates']} duplicates")
    return 0


if __name__ == "__main__":
    sys.exit(main())
