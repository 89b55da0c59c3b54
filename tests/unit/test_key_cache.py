"""The key cache: bounded, and untouched by tokens that are not keys (issue 5, defect 6)."""

import gc
import secrets
import string
import tracemalloc

from shared.adapters.mongo.keys import KeyStore
from shared.auth.keys import split_key


class FakeKeys:
    """The `api_keys` collection, in memory, counting the reads."""

    def __init__(self):
        self.docs: dict[str, dict] = {}
        self.reads = 0

    async def insert_one(self, doc: dict) -> None:
        self.docs[doc["_id"]] = doc

    async def find_one(self, query: dict) -> dict | None:
        self.reads += 1
        return self.docs.get(query["_id"])


class FakeDb(dict):
    def __init__(self):
        super().__init__(api_keys=FakeKeys())


def _junk(size: int) -> str:
    """A random token of `size` characters, in the form `scp_<id>_<secret>` that a lax parser would take for a key."""
    alphabet = string.ascii_letters + string.digits + "-"
    body = "".join(secrets.choice(alphabet) for _ in range(64))
    return (f"scp_{body * (size // 128)}_{body}" + body * (size // 128))[:size]


def _unknown_key() -> str:
    return f"scp_{secrets.token_hex(6)}_{secrets.token_urlsafe(24).replace('_', '-')}"


async def test_a_real_key_is_still_accepted_and_read_once_per_period():
    store = KeyStore(FakeDb())
    raw, made = await store.create("dscp-training", ["training.*"], partnerships=["doncaster"])
    assert split_key(raw) is not None
    for _ in range(3):
        assert (await store.authenticate(raw)).key_id == made.key_id
    assert store.collection.reads == 1
    assert await store.authenticate(raw[:-1] + ("A" if raw[-1] != "A" else "B")) is None  # wrong secret


async def test_a_thousand_50kB_tokens_leave_nothing_behind():
    store = KeyStore(FakeDb())
    tokens = [_junk(50_000) for _ in range(20)]
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for i in range(1000):
        assert await store.authenticate(tokens[i % len(tokens)].replace("scp_", f"scp_{i}", 1)) is None
    gc.collect()
    grown = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    assert len(store._cache) == 0 and store.collection.reads == 0
    assert grown < 100_000, f"{grown} bytes kept after 1000 refused tokens"


async def test_tokens_of_the_wrong_shape_are_refused_before_any_lookup():
    store = KeyStore(FakeDb())
    good = _unknown_key()
    wrong = ["", "Bearer", "scp__x", "scp_abc_secret", good.upper(), good + "A", good[:-1], good.replace("scp", "xyz"),
             good.replace("-", "_", 1) if "-" in good else good[:-1] + "_", good[:10] + "é" + good[11:],
             good + "\n" + good, " " * 100 + good]
    for token in wrong:
        assert split_key(token) is None, token
        assert await store.authenticate(token) is None
    assert store.collection.reads == 0 and len(store._cache) == 0
    assert split_key(f"  {good} ") is not None  # blanks around a key are forgiven


async def test_made_up_keys_of_the_right_shape_never_grow_the_cache_past_its_size():
    store = KeyStore(FakeDb(), cache_size=64)
    for _ in range(1000):
        assert await store.authenticate(_unknown_key()) is None
        assert len(store._cache) <= 64
    assert store.collection.reads == 1000
