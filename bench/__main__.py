"""`python -m bench [--events N] [--rounds R] [--quick] [--markdown] [--profile DIR]`

Needs KAFKA_BOOTSTRAP_SERVERS and MONGODB_URL (`eval "$(scripts/infra.sh env)"`, as `make bench` does).
Prints the table on stdout; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import sys
from pathlib import Path

from bench.run import QUICK, Params, run, table
from shared.observability.logging import configure_logging


def main(argv: list[str] | None = None) -> int:
    default = Params()
    parser = argparse.ArgumentParser(prog="python -m bench", description="The platform's throughput as ratios to bare "
                                     "baselines measured in the same run (see docs/performance.md).")
    parser.add_argument("--events", type=int, help=f"events a run (default {default.events}, quick {QUICK.events})")
    parser.add_argument("--rounds", type=int, help=f"rounds of each pair (default {default.rounds})")
    parser.add_argument("--batch", type=int, help=f"events a POST (default {default.batch})")
    parser.add_argument("--clients", type=int, help=f"concurrent HTTP clients (default {default.clients})")
    parser.add_argument("--max-batch", type=int, help=f"projector batch and bulk_write batch (default {default.max_batch})")
    parser.add_argument("--quick", action="store_true", help="a tiny smoke run (a few seconds of measuring)")
    parser.add_argument("--no-tracing", action="store_true",
                        help="run the in-process projector without the tracing instrumentation its process has")
    parser.add_argument("--markdown", action="store_true", help="print the tables as Markdown")
    parser.add_argument("--profile", type=Path, metavar="DIR",
                        help="write pyinstrument profiles of the training service and the projector to DIR "
                             "(needs `pip install pyinstrument`; the rates are then not representative)")
    args = parser.parse_args(argv)

    kafka, mongo_url = os.environ.get("KAFKA_BOOTSTRAP_SERVERS"), os.environ.get("MONGODB_URL")
    if not (kafka and mongo_url):
        parser.error('set KAFKA_BOOTSTRAP_SERVERS and MONGODB_URL (eval "$(scripts/infra.sh env)"), or run `make bench`')
    params = QUICK if args.quick else default
    chosen = {name: getattr(args, name) for name in ("events", "rounds", "batch", "clients", "max_batch")
              if getattr(args, name) is not None}
    params = dataclasses.replace(params, **chosen, tracing=not args.no_tracing)
    if params.events < 3 or params.rounds < 1 or not 1 <= params.batch <= 1000 or params.clients < 1 or params.max_batch < 1:
        parser.error("need --events >= 3, --rounds >= 1, --batch 1 to 1000, --clients >= 1, --max-batch >= 1")
    if args.profile:
        try:
            import pyinstrument  # noqa: F401
        except ImportError:
            parser.error("--profile needs pyinstrument: .venv/bin/pip install pyinstrument")

    configure_logging("bench", "WARNING", "console")
    report = asyncio.run(run(kafka, mongo_url, params, profile_dir=args.profile))
    print(table(report, markdown=args.markdown))
    for path in report.profiles:
        print(f"profile: {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
