"""Limits per partner key: requests and events a second (the `limits` library's moving window, kept in memory).

Each key may carry its own limits, set when it is made (`create-key --requests-per-s 20 --events-per-s 2000`);
a key without them has the deployment's (`KEY_REQUESTS_PER_S`, `KEY_EVENTS_PER_S`; 0: none). A key over its limit
is answered 429 with `Retry-After` (whole seconds) and an RFC 9457 problem naming it, and nothing is stored, so one
noisy partner cannot take the service from the others. Each replica counts for itself: with N replicas a key may
send N times its limit in all.
"""

from __future__ import annotations

import math
import time

from limits import RateLimitItemPerSecond
from limits.aio.storage import MemoryStorage
from limits.aio.strategies import MovingWindowRateLimiter

from shared.auth.keys import ApiKey


class Limited(Exception):
    def __init__(self, what: str, limit: int, retry_after: int):
        super().__init__(f"this key may send {limit} {what} a second: wait {retry_after} s")
        self.what, self.limit, self.retry_after = what, limit, retry_after


class KeyLimits:
    def __init__(self, requests_per_s: int = 0, events_per_s: int = 0):
        self.requests_per_s, self.events_per_s = requests_per_s, events_per_s
        self.limiter = MovingWindowRateLimiter(MemoryStorage())

    async def _take(self, what: str, limit: int, key_id: str, cost: int) -> None:
        if limit <= 0:
            return
        if cost > limit:
            raise Limited(what, limit, 1)
        item = RateLimitItemPerSecond(limit)
        if not await self.limiter.hit(item, what, key_id, cost=cost):
            stats = await self.limiter.get_window_stats(item, what, key_id)
            raise Limited(what, limit, max(1, math.ceil(stats.reset_time - time.time())))

    async def request(self, key: ApiKey) -> None:
        """Count one request of the key; Limited when it is over its requests a second."""
        limit = key.requests_per_s if key.requests_per_s is not None else self.requests_per_s
        await self._take("requests", limit, key.key_id, 1)

    async def events(self, key: ApiKey, count: int) -> None:
        """Count a batch's events; Limited when the key is over its events a second (or the batch alone is)."""
        limit = key.events_per_s if key.events_per_s is not None else self.events_per_s
        await self._take("events", limit, key.key_id, count)
