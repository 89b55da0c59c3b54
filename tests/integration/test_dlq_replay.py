"""Dead letters sent back once what failed them is fixed (`python -m shared.kafka.dlq replay`): each reaches the read
model once, however often it is replayed, and only those dead-lettered in the window asked for are sent."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest

from shared.events.envelope import new_event
from shared.kafka import dlq
from shared.kafka.producer import STRUCTURED_CONTENT_TYPE, EventProducer, Outgoing
from tests.harness import eventually

pytestmark = pytest.mark.integration


def course(n: int):
    return new_event("training.course.published.v1", {"course_id": f"c-{n}", "title": f"Course {n}"},
                     partnership="doncaster", agency="dscp-training", source="/tests/lms")


async def _dead_letter(stack, event, reason: str = "write failed: the database was away") -> None:
    """What the projector writes to the DLQ when it cannot handle a record: its bytes, key and headers, with why."""
    producer = EventProducer(stack.kafka, client_id="test-dlq")
    await producer.start()
    try:
        await producer.publish([Outgoing(f"{stack.topic}.dlq", event.subject or "", event.to_json(), [
            STRUCTURED_CONTENT_TYPE, ("dlq_reason", reason.encode()), ("dlq_topic", stack.topic.encode()),
            ("dlq_partition", b"0"), ("dlq_offset", b"0")])])
    finally:
        await producer.stop()


async def _shown(stack, event_id: str) -> int:
    return len((await stack.figures("events", ids=event_id))["events"])


async def test_a_replayed_dead_letter_is_projected_once_however_often_it_is_replayed(stack):
    before = course(1)
    await _dead_letter(stack, before)
    await asyncio.sleep(1.2)  # the window below starts after it
    since = datetime.now(timezone.utc)
    late = course(2)
    await _dead_letter(stack, late)
    await stack.start_projector()
    await eventually(stack.caught_up)
    assert await _shown(stack, late.id) == 0  # a dead letter is not in the read model

    env = {**os.environ, "KAFKA_BOOTSTRAP_SERVERS": stack.kafka}
    replayed = subprocess.run([sys.executable, "-m", "shared.kafka.dlq", "replay", "--topic", f"{stack.topic}.dlq",
                               "--since", since.isoformat()], env=env, capture_output=True, text=True, timeout=120)
    assert replayed.returncode == 0 and "1 dead letter(s)" in replayed.stdout, replayed.stderr
    await eventually(lambda: _shown(stack, late.id))
    assert await _shown(stack, before.id) == 0  # dead-lettered before the window: not sent

    assert await dlq.replay(stack.kafka, f"{stack.topic}.dlq", since) == 1  # again: still counted once
    await eventually(stack.caught_up)
    assert await _shown(stack, late.id) == 1
    until = datetime.now(timezone.utc) + timedelta(seconds=5)
    assert await dlq.replay(stack.kafka, f"{stack.topic}.dlq", until) == 0
