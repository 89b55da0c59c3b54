"""Load the sample partnerships through the public HTTP API, as the partners' systems would.

    python -m sample.load --training-url http://127.0.0.1:8003 --keys .local/run/sample-keys.json [--batch 200]

Posts the sample's events (`sample.partnership` for Doncaster, `sample.rotherham` for Rotherham) as
`application/cloudevents-batch+json` batches to `POST {training-url}/events`, each agency's events
with that agency's own key (`Authorization: Bearer KEY`): the training teams' first, then the
police's records of its own people. Event ids are deterministic, so loading twice is harmless: the
second run reports every event as a duplicate. Any answer other than 202 stops the load and exits
non-zero, printing the response body.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import httpx

from sample import partnership, rotherham
from shared.events.envelope import Envelope
from shared.http.ingest import BATCH, MAX_BATCH


class LoadFailed(Exception):
    """The service refused a batch: `status` and `body` are its answer."""

    def __init__(self, status: int, body: str, batch: int):
        super().__init__(f"batch {batch} refused with HTTP {status}: {body}")
        self.status, self.body, self.batch = status, body, batch


def sample_events() -> list[Envelope]:
    """Every sample event: Doncaster's, then Rotherham's."""
    return partnership.training_events() + rotherham.training_events()


def by_sender(events: Sequence[Envelope]) -> dict[tuple[str, str], list[Envelope]]:
    """Events grouped by partnership and emitting agency, in order of first appearance, each group in its
    own order: a partnership's training team (courses, sessions) comes before the police's attendance."""
    groups: dict[tuple[str, str], list[Envelope]] = {}
    for event in events:
        groups.setdefault((event.partnership, event.agency), []).append(event)
    return groups


def load(training_url: str, keys: dict[str, str], batch: int = 200, *, events: Sequence[Envelope] | None = None,
         client: httpx.Client | None = None) -> dict:
    """Post every sample event with its agency's key (`keys`: agency -> key).
    Return {"events", "batches", "accepted", "duplicates"}. Raises LoadFailed."""
    if not 1 <= batch <= MAX_BATCH:
        raise ValueError(f"batch must be 1 to {MAX_BATCH}")
    events = list(sample_events() if events is None else events)
    groups = by_sender(events)
    missing = sorted({agency for _, agency in groups} - set(keys))
    if missing:
        raise ValueError(f"no key for {', '.join(missing)}")
    totals = {"events": len(events), "batches": 0, "accepted": 0, "duplicates": 0}
    http = client or httpx.Client(timeout=60.0)
    try:
        for (_, agency), group in groups.items():
            headers = {"Authorization": f"Bearer {keys[agency]}", "Content-Type": BATCH}
            for start in range(0, len(group), batch):
                body = b"[" + b",".join(e.to_json() for e in group[start:start + batch]) + b"]"
                response = http.post(f"{training_url.rstrip('/')}/events", content=body, headers=headers)
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
    parser.add_argument("--training-url", required=True, help="the training service, e.g. http://127.0.0.1:8003")
    parser.add_argument("--keys", required=True, type=Path,
                        help="a JSON list of {agency, key}, as `python -m sample` writes to .local/run/sample-keys.json")
    parser.add_argument("--batch", type=int, default=200, help=f"events per request, 1 to {MAX_BATCH} (default 200)")
    args = parser.parse_args(argv)
    try:
        keys = {k["agency"]: k["key"] for k in json.loads(args.keys.read_text())}
        totals = load(args.training_url, keys, args.batch)
    except LoadFailed as failed:
        print(f"sample load failed at batch {failed.batch}: HTTP {failed.status}", file=sys.stderr)
        print(failed.body, file=sys.stderr)
        return 1
    except (httpx.HTTPError, ValueError, OSError, KeyError) as exc:
        print(f"sample load failed: {exc}", file=sys.stderr)
        return 1
    print(f"sample loaded into {args.training_url}: {totals['events']} events in {totals['batches']} batches, "
          f"{totals['accepted']} accepted, {totals['duplicates']} duplicates")
    return 0


if __name__ == "__main__":
    sys.exit(main())
