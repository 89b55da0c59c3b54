"""The record of every write: each batch a domain service accepts is appended to its partnership's hash chain (key,
agency, service, request id, each event's identity and what became of it); concurrent writers keep one chain;
tampering with an entry, removing or inserting one is found by the check (the CLI's verify-writes, the admin's
page and JSON); a key can be rotated without losing an event."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

import pytest

from shared.adapters.mongo.keys import KeyStore
from shared.adapters.mongo.write_log import WriteLog
from shared.events.envelope import new_event

pytestmark = pytest.mark.integration
PASSWORD = "correct horse battery staple"


def course(n: int):
    return new_event("training.course.published.v1", {"course_id": f"c-{n}", "title": f"Course {n}"},
                     partnership="doncaster", agency="dscp-training", source="/tests/lms")


def _cli(stack, *args):
    env = {**os.environ, "MONGODB_URL": stack.mongo_url, "AUTH_DATABASE": f"{stack.prefix}auth"}
    return subprocess.run([sys.executable, "-m", "shared.auth", *args], env=env, capture_output=True, text=True,
                          timeout=60)


async def test_every_accepted_batch_is_in_the_partnerships_chain_and_a_refused_one_is_not(stack):
    key = await stack.key()
    first = [course(1), course(2)]
    response = await stack.training.post("/events", content=b"[" + b",".join(e.to_json() for e in first) + b"]",
                                         headers={"content-type": "application/cloudevents-batch+json",
                                                  "authorization": f"Bearer {key}", "x-request-id": "lms-run-42"})
    assert response.status_code == 202 and response.headers["x-request-id"] == "lms-run-42"
    again = await stack.post(first, key)  # a retry: the same events, already there
    assert again.json()["duplicates"] == 2 and len(again.headers["x-request-id"]) == 32
    other = await stack.key("south-yorkshire-police", ("training.attendance.recorded.v1",))
    assert (await stack.post([course(3)], other)).status_code == 403  # refused: not recorded

    log = WriteLog(stack.mongo[f"{stack.prefix}auth"])
    newest, oldest = await log.entries("doncaster")
    assert (oldest["seq"], oldest["service"], oldest["agency"], oldest["request_id"]) == (
        1, "training", "dscp-training", "lms-run-42")
    assert oldest["key_id"] == key.split("_")[1] and oldest["prev"] == "0" * 64
    assert [(e["id"], e["status"]) for e in oldest["events"]] == [(first[0].id, "accepted"), (first[1].id, "accepted")]
    assert [e["status"] for e in newest["events"]] == ["duplicate", "duplicate"] and newest["prev"] == oldest["hash"]
    assert await log.verify("doncaster") == (2, [])
    checked = _cli(stack, "verify-writes", "--partnership", "doncaster")
    assert checked.returncode == 0 and "2 entries, the chain is intact" in checked.stdout


async def test_concurrent_batches_make_one_unbroken_chain(stack):
    key = await stack.key()
    answers = await asyncio.gather(*(stack.post([course(n)], key) for n in range(24)))
    assert all(a.status_code == 202 for a in answers)
    log = WriteLog(stack.mongo[f"{stack.prefix}auth"])
    entries = await log.entries("doncaster")
    assert sorted(e["seq"] for e in entries) == list(range(1, 25))
    assert await log.verify("doncaster") == (24, [])


async def test_an_entry_changed_removed_or_inserted_is_found(stack):
    key = await stack.key()
    for n in range(5):
        await stack.post([course(n)], key)
    log = WriteLog(stack.mongo[f"{stack.prefix}auth"])
    collection = stack.mongo[f"{stack.prefix}auth"]["write_log"]
    await collection.update_one({"_id": "doncaster/000000000002"}, {"$set": {"agency": "south-yorkshire-police"}})
    _, problems = await log.verify("doncaster")
    assert problems == ["entry 2 (doncaster/000000000002): its content does not match its hash: it was changed"]
    checked = _cli(stack, "verify-writes", "--partnership", "doncaster")
    assert checked.returncode == 1 and "chain is broken" in checked.stderr

    await stack.reader("admin", "admin", ("doncaster",), PASSWORD)
    admin = await stack.browser()
    await stack.sign_in(admin, "admin", PASSWORD)
    shown = (await admin.get("/p/doncaster/api/writes")).json()
    assert shown["intact"] is False and len(shown["entries"]) == 5
    assert "the chain is broken" in (await admin.get("/p/doncaster/audit")).text

    await collection.delete_one({"_id": "doncaster/000000000004"})
    _, problems = await log.verify("doncaster")
    assert any("expected entry 4 here" in p for p in problems)
    assert any("entry 5" in p and "does not name the hash" in p for p in problems)


async def test_a_key_is_rotated_while_its_system_sends_and_nothing_is_lost(stack):
    old = await stack.key()
    old_id = old.split("_")[1]
    sent = [course(n) for n in range(30)]
    for event in sent[:10]:
        assert (await stack.post([event], old)).status_code == 202
    rotated = _cli(stack, "rotate-key", old_id, "--overlap-hours", "1")
    assert rotated.returncode == 0, rotated.stderr
    new = rotated.stdout.strip().splitlines()[-1]
    for n, event in enumerate(sent[10:20]):  # during the overlap both keys work: the system switches midway
        assert (await stack.post([event], old if n < 5 else new)).status_code == 202
    assert _cli(stack, "revoke-key", old_id).returncode == 0
    stack.training_app.state.runtime.keys._cache.clear()  # the services' key cache (30 s) is not waited for here
    assert (await stack.post([sent[20]], old)).status_code == 401
    for event in sent[20:]:
        assert (await stack.post([event], new)).status_code == 202
    entries = await WriteLog(stack.mongo[f"{stack.prefix}auth"]).entries("doncaster")
    accepted = [e["id"] for entry in entries for e in entry["events"] if e["status"] == "accepted"]
    assert sorted(accepted) == sorted(e.id for e in sent)  # every event accepted once
    assert {entry["key_id"] for entry in entries} == {old_id, new.split("_")[1]}
    listed = _cli(stack, "list-keys")
    assert f"{old_id}\t" in listed.stdout and "revoked" in listed.stdout


async def test_a_key_over_its_limit_is_answered_429_with_retry_after_and_nothing_is_stored(stack):
    store = KeyStore(stack.mongo[f"{stack.prefix}auth"])
    noisy, _ = await store.create("dscp-training", ["training.*"], partnerships=["doncaster"], requests_per_s=2,
                                  events_per_s=5)
    quiet = await stack.key()
    assert (await stack.post([course(1)], noisy)).status_code == 202
    assert (await stack.post([course(2)], noisy)).status_code == 202
    third = course(3)
    refused = await stack.post([third], noisy)
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
    problem = refused.json()
    assert problem["status"] == 429 and problem["errors"][0]["loc"] == ["header", "authorization"]
    assert "2 requests a second" in problem["detail"]
    assert (await stack.post([course(4)], quiet)).status_code == 202  # the other key is not held back
    await asyncio.sleep(1.1)
    too_many = await stack.post([course(n) for n in range(10, 16)], noisy)  # 6 events: more than 5 a second
    assert too_many.status_code == 429 and "5 events a second" in too_many.json()["detail"]
    recorded = [e["id"] for entry in await WriteLog(stack.mongo[f"{stack.prefix}auth"]).entries("doncaster")
                for e in entry["events"]]
    assert len(recorded) == 3 and third.id not in recorded
