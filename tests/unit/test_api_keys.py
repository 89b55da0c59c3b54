"""Partner keys: one agency each, and only the event types they were given."""

from datetime import datetime, timezone

from shared.auth.keys import ApiKey, split_key
from shared.write.aggregates import KeyedLocks


def test_a_key_covers_exact_types_and_patterns():
    key = ApiKey(key_id="k", agency="south-yorkshire-police", created_at=datetime.now(timezone.utc),
                 event_types=["training.attendance.recorded.v1", "reviews.*"])
    assert key.may_emit("training.attendance.recorded.v1")
    assert key.may_emit("reviews.rapid_review.completed.v1")
    assert not key.may_emit("training.course.published.v1")


def test_a_malformed_key_is_not_a_key():
    assert split_key("scp_0123456789ab_" + "A" * 32) == ("0123456789ab", "A" * 32)
    assert split_key("Bearer") is None and split_key("scp__x") is None and split_key("") is None


async def test_locks_are_released_and_forgotten():
    locks = KeyedLocks()
    async with locks.hold([("sessions", "b"), ("courses", "a")]):
        async with locks.hold([("sessions", "c")]):
            pass
    assert locks._locks == {}
