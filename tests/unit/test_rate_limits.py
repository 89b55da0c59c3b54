"""Stories of the limits per partner key (shared.http.rate_limits): a key's own limit first, then the deployment's;
one key over its limit does not use up another's."""

from datetime import datetime, timezone

import pytest

from shared.auth.keys import ApiKey
from shared.http.rate_limits import KeyLimits, Limited


def key(key_id: str, **limits) -> ApiKey:
    return ApiKey(key_id=key_id, agency="dscp-training", event_types=["training.*"], partnerships=["doncaster"],
                  created_at=datetime.now(timezone.utc), **limits)


async def test_a_key_over_its_own_requests_a_second_is_told_to_wait_and_another_key_is_not():
    limits = KeyLimits(requests_per_s=100)
    noisy, quiet = key("a" * 12, requests_per_s=3), key("b" * 12)
    for _ in range(3):
        await limits.request(noisy)
    with pytest.raises(Limited) as refused:
        await limits.request(noisy)
    assert refused.value.retry_after >= 1 and "3 requests a second" in str(refused.value)
    for _ in range(50):
        await limits.request(quiet)  # the deployment's 100 a second


async def test_events_are_counted_by_the_batch_and_a_batch_over_the_limit_alone_is_refused():
    limits = KeyLimits(events_per_s=10)
    k = key("c" * 12)
    await limits.events(k, 6)
    with pytest.raises(Limited):
        await limits.events(k, 6)
    with pytest.raises(Limited):
        await limits.events(key("d" * 12), 11)
    await limits.events(key("e" * 12, events_per_s=0), 10_000)  # its own: none
