"""A projector killed with SIGKILL in the middle of a batch, then restarted, leaves the read model
exactly as a run without the kill."""

import asyncio
import signal

from aiokafka import AIOKafkaConsumer, TopicPartition

from shared.events.envelope import new_event
from tests.e2e.processes import environment, projector
from tests.harness import eventually
from shared.read import entities
from tests.read_model import stored_attendance

SOURCE = "/partners/dscp-training/lms"
SESSIONS, PER_SESSION = 12, 25


def events():
    out = [new_event("training.course.published.v1", {"course_id": "c-da", "title": "Domestic Abuse"},
                     partnership="doncaster", agency="dscp-training", source=SOURCE)]
    for s in range(SESSIONS):
        out.append(new_event("training.session.scheduled.v1",
                             {"session_id": f"s-{s}", "course_id": "c-da", "delivery_mode": ("virtual", "face_to_face")[s % 2],
                              "starts_at": "2022-01-10T09:30:00Z"}, partnership="doncaster", agency="dscp-training", source=SOURCE))
        out += [new_event("training.attendance.recorded.v1",
                          {"session_id": f"s-{s}", "attendee_ref": f"ref-{s:03d}-{a:03d}",
                           "attendee_agency": ("schools", "doncaster-council", "south-yorkshire-police")[a % 3],
                           "outcome": "no_show" if a % 10 == 0 else "attended"},
                          partnership="doncaster", agency="dscp-training", source=SOURCE) for a in range(PER_SESSION)]
    return out


async def publish_events(stack) -> None:
    """POST the course, sessions and attendance through the training service; wait until all are on Kafka."""
    sent = events()
    key = await stack.key()
    for i in range(0, len(sent), 100):
        assert (await stack.post(sent[i:i + 100], key)).status_code == 202
    await eventually(lambda: _at_least(stack.end_offsets(stack.topic), len(sent)))


async def committed(stack, group: str) -> dict:
    consumer = AIOKafkaConsumer(bootstrap_servers=stack.kafka, group_id=group, enable_auto_commit=False)
    await consumer.start()
    try:
        return {p: await consumer.committed(TopicPartition(stack.topic, p)) for p in range(3)}
    finally:
        await consumer.stop()


async def snapshot(db) -> dict:
    """Every training entity document: its years, whether open, and its records (each once)."""
    return {name: sorted([{"_id": doc["_id"], "years": sorted(doc["years"]), "open": doc.get("open"),
                           "records": sorted((r for r in entities.records_of([doc])), key=lambda r: r["_id"])}
                          async for doc in db[name].find({})], key=lambda d: d["_id"])
            for name in ("training_courses", "training_sessions")}


async def test_a_projector_killed_mid_batch_and_restarted_projects_exactly_once(stack, tmp_path):
    await publish_events(stack)
    attendance = SESSIONS * PER_SESSION

    # the reference: a run without the kill, into its own database and consumer group
    reference_env = environment(stack.prefix, stack.kafka, stack.mongo_url, MONGODB_DATABASE=f"{stack.prefix}reference",
                                CONSUMER_GROUP="reference", METRICS_PORT="0", MAX_BATCH="50")
    reference = projector(reference_env, tmp_path / "reference.log")
    reference_db = stack.mongo[f"{stack.prefix}reference"]
    await eventually(lambda: _count(reference_db, attendance), timeout_s=60)
    reference.send_signal(signal.SIGTERM)
    assert reference.wait(30) == 0

    # the crash: the projector writes its first batch, then is killed before it commits
    crash_env = environment(stack.prefix, stack.kafka, stack.mongo_url, MONGODB_DATABASE=f"{stack.prefix}reporting",
                            CONSUMER_GROUP="crash", METRICS_PORT="0", MAX_BATCH="50", PAUSE_BEFORE_COMMIT_S="60")
    victim = projector(crash_env, tmp_path / "victim.log")
    db = stack.read_model
    await eventually(lambda: _some(db), timeout_s=60)
    victim.send_signal(signal.SIGKILL)
    victim.wait(10)
    written_before_kill = len(await stored_attendance(db))
    assert all(offset is None for offset in (await committed(stack, f"{stack.prefix}crash")).values()), \
        "the kill should land after the batch's writes and before its commit"

    restarted = projector({**crash_env, "PAUSE_BEFORE_COMMIT_S": "0"}, tmp_path / "restarted.log")
    try:
        await eventually(lambda: _count(db, attendance), timeout_s=60)
        await asyncio.sleep(1)  # let any straggling redelivery land before comparing
        assert await snapshot(db) == await snapshot(reference_db)
        figures = await stack.dashboard()
        assert figures["attendances"] == attendance - SESSIONS * 3 and figures["no_shows"] == SESSIONS * 3
        assert written_before_kill > 0
    finally:
        restarted.send_signal(signal.SIGTERM)
        assert restarted.wait(30) == 0
        await stack.mongo.drop_database(f"{stack.prefix}reference")


async def _at_least(awaitable, n):
    return await awaitable >= n


async def _count(db, n):
    return len(await stored_attendance(db)) == n


async def _some(db):
    """The first batch is written: its stamp is (it is written last in its batch)."""
    return await db["read_model_versions"].count_documents({}) > 0


async def test_a_projector_killed_at_arbitrary_moments_still_projects_exactly_once(stack, tmp_path):
    """Kills land wherever they land: between batches, during a bulk write, before or after a commit."""
    await publish_events(stack)
    attendance = SESSIONS * PER_SESSION
    env = environment(stack.prefix, stack.kafka, stack.mongo_url, MONGODB_DATABASE=f"{stack.prefix}reporting",
                      CONSUMER_GROUP="kills", METRICS_PORT="0", MAX_BATCH="20")
    db = stack.read_model

    kills = 0
    for threshold in (1, attendance // 4, attendance // 2):
        victim = projector(env, tmp_path / f"victim-{threshold}.log")
        await eventually(lambda: _count_at_least(db, threshold), timeout_s=60)
        victim.send_signal(signal.SIGKILL)
        victim.wait(10)
        kills += 1

    last = projector(env, tmp_path / "last.log")
    try:
        await eventually(lambda: _count(db, attendance), timeout_s=60)
        # the victims may have written it all before their kills: wait until this one has consumed and committed
        # every record, so that it is up (its SIGTERM handler in place) and the figures are its own
        await eventually(lambda: _committed_all(stack, f"{stack.prefix}kills"), timeout_s=60)
        await asyncio.sleep(1)
        figures = await stack.dashboard()
        assert kills == 3 and figures["attendances"] == attendance - SESSIONS * 3
        assert figures["no_shows"] == SESSIONS * 3 and figures["sessions"] == SESSIONS and figures["courses"] == 1
        assert len(await stored_attendance(db)) == attendance
    finally:
        last.send_signal(signal.SIGTERM)
        assert last.wait(30) == 0


async def _committed_all(stack, group: str) -> bool:
    offsets = await committed(stack, group)
    return sum(o or 0 for o in offsets.values()) == await stack.end_offsets(stack.topic)


async def _count_at_least(db, n):
    return len(await stored_attendance(db)) >= n
