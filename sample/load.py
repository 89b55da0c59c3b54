"""Load the sample partnership through the public HTTP API, as the training team's LMS would.

    python -m sample.load --training-url http://127.0.0.1:8003 --key KEY [--batch 200]

Posts `sample.partnership.training_events()` in order, as `application/cloudevents-batch+json`
batches, to `POST {training-url}/events` with `Authorization: Bearer KEY`. The key must be one for
agency `dscp-training` covering `training.*` (see `sample.partnership.KEYS`). Event ids are
deterministic, so loading twice is harmless: the second run reports every event as a duplicate.
Any answer other than 202 stops the load and exits non-zero, printing the response body.
"""

from __future__ import annotations

import argparse
import os
import sys

import httpx

from sample.partnership import training_events
from shared.http.ingest import BATCH, MAX_BATCH


class LoadFailed(Exception):
    """The service refused a batch: `status` and `body` are its answer."""

    def __init__(self, status: int, body: str, batch: int):
        super().__init__(f"batch {batch} refused with HTTP {status}: {body}")
        self.status, self.body, self.batch = status, body, batch


def load(training_url: str, key: str, batch: int = 200, *, client: httpx.Client | None = None) -> dict:
    """Post every sample event; return {"events", "batches", "accepted", "duplicates"}. Raises LoadFailed."""
    if not 1 <= batch <= MAX_BATCH:
        raise ValueError(f"batch must be 1 to {MAX_BATCH}")
    events = training_events()
    totals = {"events": len(events), "batches": 0, "accepted": 0, "duplicates": 0}
    headers = {"Authorization": f"Bearer {key}", "Content-Type": BATCH}
    http = client or httpx.Client(timeout=60.0)
    try:
        for start in range(0, len(events), batch):
            body = b"[" + b",".join(e.to_json() for e in events[start:start + batch]) + b"]"
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
    parser.add_argument("--key", default=os.environ.get("SCP_API_KEY"),
                        help="a dscp-training key for training.* (default: $SCP_API_KEY)")
    parser.add_argument("--batch", type=int, default=200, help=f"events per request, 1 to {MAX_BATCH} (default 200)")
    args = parser.parse_args(argv)
    if not args.key:
        parser.error("--key (or SCP_API_KEY) is required")
    try:
        totals = load(args.training_url, args.key, args.batch)
    except LoadFailed as failed:
        print(f"sample load failed at batch {failed.batch}: HTTP {failed.status}", file=sys.stderr)
        print(failed.body, file=sys.stderr)
        return 1
    except (httpx.HTTPError, ValueError) as exc:
        print(f"sample load failed: {exc}", file=sys.stderr)
        return 1
    print(f"sample loaded into {args.training_url}: {totals['events']} events in {totals['batches']} batches, "
          f"{totals['accepted']} accepted, {totals['duplicates']} duplicates")
    return 0


if __name__ == "__main__":
    sys.exit(main())
