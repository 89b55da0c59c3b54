"""The whole stack as `make run` runs it: the services as processes, the two sample partnerships
loaded through the public APIs (strategy, reviews, training) with each partner's key, Doncaster's
dashboard showing the report's 1,368 attendances, Rotherham's its own 160, and the strategy and
reviews figures the report gives, to a read key and to a sample reader signed in with Chromium."""

import asyncio
import json
import os
import subprocess
import sys
import time
from email import message_from_bytes, policy

import httpx

from sample import reviews as reviews_sample, strategy as strategy_sample
from shared.kafka import dlq as dlq_topic
from tests.browser import chromium, sign_in
from tests.e2e.processes import ROOT, environment, free_port


def test_make_run_brings_up_the_stack_and_the_dashboard_shows_the_sample(servers, prefix, tmp_path):
    kafka, mongo_url = servers
    ports = {name: str(free_port()) for name in ("REPORTING_PORT", "STRATEGY_PORT", "REVIEWS_PORT", "TRAINING_PORT",
                                                 "PROJECTOR_METRICS_PORT", "NOTIFIER_METRICS_PORT", "MAIL_SINK_PORT")}
    env = environment(prefix, kafka, mongo_url, MONGODB_DATABASE=f"{prefix}stack", SCP_RUN_DIR=str(tmp_path),
                      NOTIFIER_DATABASE=f"{prefix}notifier", SCP_MAIL_DIR=str(tmp_path / "mail"), **ports)
    try:
        subprocess.run(["scripts/services.sh", "start"], cwd=ROOT, env=env, check=True, timeout=180)
        loaded = subprocess.run([sys.executable, "-m", "sample"], cwd=ROOT, env=env, capture_output=True,
                                text=True, timeout=300)
        assert loaded.returncode == 0, loaded.stderr[-2000:]
        assert "Doncaster's dashboard shows 1,368 attendances" in loaded.stdout
        assert "Rotherham's dashboard shows 160 attendances" in loaded.stdout
        assert "Doncaster's training at 2022-03-31: 1,368 attendances at 22 courses; 44 evaluations" in loaded.stdout
        assert "Child Matters (South Yorkshire Police, apart) 81 sessions, 4,600 attendees" in loaded.stdout
        assert "Doncaster's reviews on 2022-03-31: 1 rapid review (no further learning)" in loaded.stdout
        assert "Strategy: 8 strategies and plans; the delivery plan's 8 priorities and 22 actions" in loaded.stdout

        assert "Sample readers: sign in at" in loaded.stdout

        reporting = f"http://127.0.0.1:{ports['REPORTING_PORT']}"
        sample = json.loads((tmp_path / "sample-readers.json").read_text())
        bearer = {"authorization": f"Bearer {sample['read_key']}"}
        figures = lambda path: httpx.get(f"{reporting}/p/doncaster/api/{path}", headers=bearer).json()  # noqa: E731
        assert strategy_sample.observed(figures) == strategy_sample.EXPECTED
        assert reviews_sample.figures_of(figures) == reviews_sample.EXPECTED
        figures = httpx.get(f"{reporting}/p/doncaster/api/dashboard", headers=bearer).json()["training"]
        assert figures["attendances"] == 1368 and figures["courses"] == 22
        assert sum(row["attended"] for row in figures["by_agency"]) == 1368
        rotherham = httpx.get(f"{reporting}/p/rotherham/api/dashboard", headers=bearer).json()["training"]
        assert rotherham["attendances"] == 160 and rotherham["courses"] == 4
        assert httpx.get(f"{reporting}/p/doncaster/api/dashboard").status_code == 401  # nothing without a key
        assert httpx.get(f"{reporting}/p/doncaster/").status_code == 303  # nor without signing in

        board = next(r for r in sample["readers"] if r["role"] == "board")
        with chromium() as browser:
            page = browser.new_page()
            page.goto(f"{reporting}/p/doncaster/")
            assert "/login" in page.url  # sent to sign in first
            sign_in(page, reporting, board["username"], board["password"], next="/p/doncaster/training?as_of=2022-03-31")
            assert page.url == f"{reporting}/p/doncaster/training?as_of=2022-03-31"
            assert page.inner_text("#attendances") == "1,368"
            assert "Child Exploitation" in page.content()
            assert "Doncaster Safeguarding Children Partnership" in page.content()
            assert "Sample Board Member" in page.content()
            cookies = [c["value"] for c in page.context.cookies() if c["name"] == "scp_session"]
        assert cookies  # the session the sweep below looks for

        for name in ("REPORTING_PORT", "STRATEGY_PORT", "REVIEWS_PORT", "TRAINING_PORT"):
            base = f"http://127.0.0.1:{ports[name]}"
            assert httpx.get(f"{base}/readyz").json()["status"] == "ready"
            assert httpx.get(f"{base}/openapi.json").status_code == 200
        projector_metrics = httpx.get(f"http://127.0.0.1:{ports['PROJECTOR_METRICS_PORT']}/metrics").text
        assert "events_consumed_total" in projector_metrics and "consumer_lag" in projector_metrics

        # the notifier tells the sample's subscribers, into the local mail sink: the 2021-22 plan is long overdue
        deadline = time.monotonic() + 60
        while not list((tmp_path / "mail" / "new").glob("*")) and time.monotonic() < deadline:
            time.sleep(0.5)
        mails = [message_from_bytes(p.read_bytes(), policy=policy.default) for p in (tmp_path / "mail" / "new").glob("*")]
        assert mails and all(m["Subject"].startswith("[Doncaster Safeguarding Children Partnership] ") for m in mails)
        assert any("Action overdue" in m["Subject"] for m in mails)

        # no key, password, read key or session cookie in any log line, metric, Kafka record or mail
        keys = [k["key"] for k in json.loads((tmp_path / "sample-keys.json").read_text())]
        secrets = [*keys, sample["read_key"], *(r["password"] for r in sample["readers"]), *cookies]
        metrics_ports = [ports[n] for n in ("REPORTING_PORT", "STRATEGY_PORT", "REVIEWS_PORT", "TRAINING_PORT",
                                            "PROJECTOR_METRICS_PORT", "NOTIFIER_METRICS_PORT")]
        swept = {f"metrics :{port}": httpx.get(f"http://127.0.0.1:{port}/metrics").text for port in metrics_ports}
        swept |= {f"log {p.name}": p.read_text(errors="replace") for p in tmp_path.glob("*.log")}
        swept |= {f"mail {p.name}": p.read_text(errors="replace") for p in (tmp_path / "mail" / "new").glob("*")}
        for topic in (f"{prefix}{d}.events{dlq}" for d in ("training", "strategy", "reviews") for dlq in ("", ".dlq")):
            records = asyncio.run(dlq_topic.read(kafka, topic, 100_000))
            swept[f"topic {topic}"] = "\n".join(r["key"] + " " + r["value"].decode(errors="replace") for r in records)
        assert sum(len(text) for text in swept.values()) > 100_000  # the sweep read the run's output
        leaked = sorted({where for where, text in swept.items() for secret in secrets if secret in text})
        assert not leaked, f"a secret is in {leaked}"

        again = subprocess.run([sys.executable, "-m", "sample"], cwd=ROOT, env=env, capture_output=True, text=True,
                               timeout=300)
        assert again.returncode == 0 and "0 events accepted" in again.stdout  # reloading counts nothing twice
        assert httpx.get(f"{reporting}/p/doncaster/api/dashboard", headers=bearer).json()["training"]["attendances"] \
            == 1368
    finally:
        pids = [int(p.read_text()) for p in tmp_path.glob("*.pid")]
        subprocess.run(["scripts/services.sh", "stop"], cwd=ROOT, env=env, timeout=120)
    assert len(pids) == 7 and not [pid for pid in pids if alive(pid)], "make stop must leave nothing running"


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return not open(f"/proc/{pid}/stat").read().split(") ")[1].startswith("Z")
