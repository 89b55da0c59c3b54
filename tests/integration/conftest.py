import pytest

from tests.harness import Stack


@pytest.fixture
async def stack(servers, prefix):
    kafka, mongo_url = servers
    async with Stack(prefix, kafka, mongo_url) as s:
        yield s
