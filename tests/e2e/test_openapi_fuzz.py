"""schemathesis against each running service's OpenAPI document, as published at /openapi.json:
generated requests, valid and invalid, never get a 5xx, and every refusal comes in the one shape.

The services run as processes, as `make run` runs them. Generated events are sent with a real key,
and their `agency` is set to the key's, so that they reach the domain rules rather than stopping at 403.
"""

import asyncio
import subprocess

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable

import schemathesis
from schemathesis import GenerationMode

from shared.adapters.mongo.keys import KeyStore
from shared.partnerships import Partnership
from shared.adapters.mongo.partnerships import PartnershipRegistry
from shared.adapters.mongo.client import connect
from tests.e2e.processes import ROOT, environment, free_port

EXAMPLES = {"positive": 120, "negative": 120}  # per operation and mode: bounded, so the suite stays quick
AGENCY = "dscp-training"


async def make_key(mongo_url: str, prefix: str) -> str:
    client = connect(mongo_url)
    try:
        await PartnershipRegistry(client[f"{prefix}auth"]).add(
            Partnership(code="doncaster", name="Doncaster Safeguarding Children Partnership", area="Doncaster"))
        raw, _ = await KeyStore(client[f"{prefix}auth"]).create(AGENCY, ["training.*", "strategy.*", "reviews.*"],
                                                               partnerships=["doncaster"])
        return raw
    finally:
        await client.close()


def with_our_agency(body):
    """Generated events claim random agencies and partnerships; they claim the key's, to go deeper than 403."""
    items = body if isinstance(body, list) else [body]
    for item in items:
        if isinstance(item, dict) and "agency" in item:
            item["agency"] = AGENCY
        if isinstance(item, dict) and "partnership" in item:
            item["partnership"] = "doncaster"
    return body


def content_type(response) -> str:
    value = {k.lower(): v for k, v in response.headers.items()}.get("content-type", "")
    return value[0] if isinstance(value, list) else value


def fuzz(base: str, key: str) -> list[str]:
    """Every operation of the service at `base`, both modes; returns the failures found."""
    schema = schemathesis.openapi.from_url(f"{base}/openapi.json")
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            where = f"{operation.method.upper()} {operation.path} ({mode.value})"

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=EXAMPLES[mode.value], deadline=None, derandomize=True, database=None,
                      suppress_health_check=list(HealthCheck))
            def run(case):
                if isinstance(case.body, (dict, list)):
                    case.body = with_our_agency(case.body)
                response = case.call(base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=30)
                if response.status_code >= 500:
                    failures.append(f"{where}: {response.status_code} {response.text[:300]}")
                elif response.status_code >= 400 and not content_type(response).startswith("application/problem+json"):
                    failures.append(f"{where}: {response.status_code} not a problem document: {response.text[:200]}")

            try:
                run()
            except Unsatisfiable:  # nothing to make invalid: an operation without parameters or body
                assert mode is GenerationMode.NEGATIVE, where
    return failures


def test_no_generated_request_gets_a_server_error(servers, prefix, tmp_path):
    kafka, mongo_url = servers
    ports = {name: str(free_port()) for name in ("REPORTING_PORT", "STRATEGY_PORT", "REVIEWS_PORT", "TRAINING_PORT",
                                                 "PROJECTOR_METRICS_PORT")}
    env = environment(prefix, kafka, mongo_url, MONGODB_DATABASE=f"{prefix}fuzz", SCP_RUN_DIR=str(tmp_path),
                      **ports)
    try:
        subprocess.run(["scripts/services.sh", "start"], cwd=ROOT, env=env, check=True, timeout=180)
        key = asyncio.run(make_key(mongo_url, prefix))
        failures = []
        for name in ("TRAINING_PORT", "REPORTING_PORT", "STRATEGY_PORT", "REVIEWS_PORT"):
            base = f"http://127.0.0.1:{ports[name]}"
            failures += fuzz(base, key)
        assert not failures, "\n".join(failures[:20])
        # and the services are still well afterwards
        for name in ("TRAINING_PORT", "REPORTING_PORT"):
            assert httpx.get(f"http://127.0.0.1:{ports[name]}/readyz").json()["status"] == "ready"
    finally:
        subprocess.run(["scripts/services.sh", "stop"], cwd=ROOT, env=env, timeout=120)
