"""What the bench needs from the servers: topics, end offsets, clean-up, and the machine it ran on."""

from __future__ import annotations

import asyncio
import os
import platform
import re
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from urllib.parse import urlsplit

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from pymongo import AsyncMongoClient

from shared.kafka.topics import PARTITIONS

ROOT = Path(__file__).resolve().parents[1]


async def create_topic(kafka: str, topic: str, partitions: int = PARTITIONS) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka, client_id="scp-bench")
    await admin.start()
    try:
        if topic not in await admin.list_topics():
            await admin.create_topics([NewTopic(topic, num_partitions=partitions, replication_factor=1)])
    finally:
        await admin.close()


class Offsets:
    """Reads how many records a topic holds (the sum of its partitions' end offsets)."""

    def __init__(self, kafka: str):
        self.consumer = AIOKafkaConsumer(bootstrap_servers=kafka, client_id="scp-bench-offsets")

    async def __aenter__(self) -> "Offsets":
        await self.consumer.start()
        return self

    async def __aexit__(self, *exc) -> None:
        await self.consumer.stop()

    async def partitions(self, topic: str) -> list[TopicPartition]:
        for _ in range(50):
            parts = self.consumer.partitions_for_topic(topic)
            if parts:
                return [TopicPartition(topic, p) for p in sorted(parts)]
            await self.consumer._client.force_metadata_update()  # a topic created after start
            await asyncio.sleep(0.1)
        raise RuntimeError(f"topic {topic} has no partitions")

    async def end(self, topic: str) -> int:
        return sum((await self.consumer.end_offsets(await self.partitions(topic))).values())

    async def wait_for(self, topic: str, count: int, timeout_s: float, every_s: float = 0.02) -> float:
        """Poll until the topic holds `count` records; return the perf_counter() time it was seen."""
        deadline = time.monotonic() + timeout_s
        while True:
            if await self.end(topic) >= count:
                return time.perf_counter()
            if time.monotonic() > deadline:
                raise TimeoutError(f"{topic} holds {await self.end(topic)} records, not {count}, after {timeout_s}s")
            await asyncio.sleep(every_s)


async def clean_up(kafka: str, mongo: AsyncMongoClient, prefix: str) -> tuple[list[str], list[str]]:
    """Delete every topic and database whose name starts with the bench's prefix; return their names."""
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka, client_id="scp-bench")
    await admin.start()
    try:
        topics = [t for t in await admin.list_topics() if t.startswith(prefix)]
        if topics:
            await admin.delete_topics(topics)
    finally:
        await admin.close()
    databases = [d for d in await mongo.list_database_names() if d.startswith(prefix)]
    for name in databases:
        await mongo.drop_database(name)
    return topics, databases


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def local_servers(kafka: str, mongo_url: str) -> dict[str, int]:
    """The pids of scripts/infra.sh's Kafka and FerretDB, when they are the servers at these addresses."""
    pids: dict[str, int] = {}
    kafka_port = kafka.split(",")[0].rsplit(":", 1)[-1]
    listeners = re.search(r"^listeners=PLAINTEXT://[^:]+:(\d+)", _read(str(ROOT / ".local/kafka/server.properties")), re.M)
    mongo_port = urlsplit(mongo_url).port if mongo_url else None
    for name, ours in (("kafka", bool(listeners) and listeners.group(1) == kafka_port),
                       ("ferretdb", mongo_port is not None)):
        pid = _read(str(ROOT / f".local/{name}/{name}.pid")).strip()
        cmdline = _read(f"/proc/{pid}/cmdline").split("\0") if pid.isdigit() else []
        if name == "ferretdb":
            ours = ours and f"--listen-addr=127.0.0.1:{mongo_port}" in cmdline
        if ours and cmdline:
            pids[name] = int(pid)
    return pids


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time a process has used so far."""
    fields = _read(f"/proc/{pid}/stat").rsplit(")", 1)[-1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK") if len(fields) > 12 else 0.0


class CPU:
    """CPU seconds each named process uses between `start()` and `stop()`."""

    def __init__(self, pids: dict[str, int]):
        self.pids, self.used = dict(pids), {}

    def start(self) -> "CPU":
        self._before = {name: cpu_seconds(pid) for name, pid in self.pids.items()}
        return self

    def stop(self) -> dict[str, float]:
        self.used = {name: cpu_seconds(pid) - self._before[name] for name, pid in self.pids.items()}
        return self.used

    def summary(self) -> str:
        return ", ".join(f"{name} {seconds:.1f}" for name, seconds in self.used.items())


def _kafka_version(kafka: str) -> str:
    """The local Kafka's version when it is scripts/infra.sh's (its jars' folder names it); else unknown."""
    pid = local_servers(kafka, "").get("kafka")
    found = re.search(r"kafka-(\d+\.\d+\.\d+)", _read(f"/proc/{pid}/cmdline")) if pid else None
    if found:
        return f"Apache Kafka {found.group(1)} (KRaft, one node)"
    return "Kafka (version unknown: not scripts/infra.sh's server)"


def _package(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "?"


async def machine(kafka: str, mongo: AsyncMongoClient) -> dict[str, str]:
    cpu = re.search(r"^model name\s*:\s*(.+)$", _read("/proc/cpuinfo"), re.M)
    mem = re.search(r"^MemTotal:\s*(\d+) kB", _read("/proc/meminfo"), re.M)
    info = await mongo.admin.command("buildInfo")
    server = (f"FerretDB {info['ferretdbVersion']} (MongoDB {info.get('version')} wire protocol)"
              if "ferretdbVersion" in info else f"MongoDB {info.get('version')}")
    return {
        "cpus": f"{len(os.sched_getaffinity(0))} (nproc), {os.cpu_count()} online",
        "cpu model": cpu.group(1).strip() if cpu else platform.processor() or "?",
        "memory": f"{int(mem.group(1)) / 1024 / 1024:.1f} GiB" if mem else "?",
        "os": platform.platform(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "kafka": _kafka_version(kafka),
        "mongodb server": server,
        "libraries": ", ".join(f"{p} {_package(p)}" for p in ("aiokafka", "pymongo", "fastapi", "uvicorn", "pydantic", "httpx")),
    }
