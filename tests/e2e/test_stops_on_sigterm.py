"""Every process stops within 10 s of SIGTERM, as Kubernetes asks of it before it kills (issue 14, part 7).

An idle domain app's shutdown once took over 60 s in a test's teardown. Each service is started as a process,
as `make run` starts it, made ready, left idle for a moment, and sent SIGTERM: it must have exited, cleanly,
within 10 s. Twice each, since the stall was rare.
"""

import signal
import subprocess
import sys
import time

import httpx
import pytest

from tests.e2e.processes import ROOT, environment, free_port

STOP_WITHIN_S = 10  # well inside the 30 s Kubernetes gives a pod by default before it kills it
SERVICES = ("strategy", "reviews", "training", "reporting")


def _ready(port: int, process: subprocess.Popen, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        assert process.poll() is None, f"exited during start-up with {process.returncode}"
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"not ready within {timeout_s} s")


@pytest.mark.parametrize("service", SERVICES)
def test_an_idle_service_stops_within_10_s_of_sigterm(service, servers, prefix, tmp_path):
    kafka, mongo_url = servers
    for attempt in range(2):
        port = free_port()
        env = environment(prefix, kafka, mongo_url, PORT=str(port), MONGODB_DATABASE=f"{prefix}{service}")
        with open(tmp_path / f"{service}-{attempt}.log", "wb") as log:
            process = subprocess.Popen([sys.executable, "-m", f"services.{service}"], cwd=ROOT, env=env,
                                       stdout=log, stderr=subprocess.STDOUT)
        try:
            _ready(port, process)
            time.sleep(1.0)  # idle: the outbox relay waiting for work, the clients connected
            process.send_signal(signal.SIGTERM)
            try:
                code = process.wait(timeout=STOP_WITHIN_S)
            except subprocess.TimeoutExpired:
                raise AssertionError(f"{service} did not stop within {STOP_WITHIN_S} s of SIGTERM; its log: "
                                     f"{(tmp_path / f'{service}-{attempt}.log').read_text()[-2000:]}") from None
            # uvicorn shuts down, then raises the signal it caught again, so the exit says SIGTERM ended it
            assert code in (0, -signal.SIGTERM), (tmp_path / f"{service}-{attempt}.log").read_text()[-2000:]
            assert b"service stopped" in (tmp_path / f"{service}-{attempt}.log").read_bytes()
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()


def test_the_projector_stops_within_10_s_of_sigterm(servers, prefix, tmp_path):
    kafka, mongo_url = servers
    env = environment(prefix, kafka, mongo_url, MONGODB_DATABASE=f"{prefix}reporting", METRICS_PORT="0")
    with open(tmp_path / "projector.log", "wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "services.reporting.projector"], cwd=ROOT, env=env,
                                   stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while b"consumer started" not in (tmp_path / "projector.log").read_bytes():
            assert process.poll() is None and time.monotonic() < deadline, (tmp_path / "projector.log").read_text()
            time.sleep(0.2)
        process.send_signal(signal.SIGTERM)
        try:
            code = process.wait(timeout=STOP_WITHIN_S)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"the projector did not stop within {STOP_WITHIN_S} s of SIGTERM") from None
        assert code == 0, (tmp_path / "projector.log").read_text()[-2000:]
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
