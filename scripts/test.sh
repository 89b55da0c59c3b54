#!/usr/bin/env bash
# Run the test suites against real Kafka and FerretDB (started here unless KAFKA_BOOTSTRAP_SERVERS and
# MONGODB_URL are set). Servers this script started are stopped again at the end.
# Usage: scripts/test.sh [pytest args...]   (default: every suite under tests/)
set -euo pipefail
ROOT=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

started=
if [[ -z ${KAFKA_BOOTSTRAP_SERVERS:-} || -z ${MONGODB_URL:-} ]]; then
  if ! scripts/infra.sh status >/dev/null 2>&1; then started=yes; fi
  scripts/infra.sh start
  eval "$(scripts/infra.sh env)"
fi
cleanup() { if [[ -n $started ]]; then scripts/infra.sh stop; fi; }
trap cleanup EXIT

.venv/bin/python -m pytest -p no:cacheprovider "${@:-tests}"
