"""The agency registry on the real server (issue 15): agencies added, listed, named and removed, by the store and by
the admin CLI (`python -m shared.auth add-agency|list-agencies|remove-agency`)."""

import os
import subprocess
import sys

import pymongo

from shared.adapters.mongo.agencies import AgencyRegistry
from shared.adapters.mongo.client import connect
from shared.agencies import Agency, AgencyKind


async def test_agencies_are_added_listed_named_and_removed(servers, prefix):
    _, mongo_url = servers
    client = connect(mongo_url)
    try:
        registry = AgencyRegistry(client[f"{prefix}auth"])
        assert (await registry.directory()).name("south-yorkshire-police") == "south-yorkshire-police"
        added = await registry.add(Agency(code="south-yorkshire-police", name="South Yorkshire Police", kind="police",
                                          partnerships=["rotherham", "doncaster"]))
        assert added.kind is AgencyKind.police and added.created_at is not None
        await registry.add(Agency(code="schools", name="Schools", kind="education"))
        renamed = await registry.add(Agency(code="schools", name="Schools and colleges", kind="education"))
        assert renamed.created_at == (await registry.get("schools")).created_at and renamed.partnerships == []
        assert [a.code for a in await registry.list()] == ["schools", "south-yorkshire-police"]
        directory = await registry.directory()  # the add emptied the cache: the new names are read
        assert directory.name("schools") == "Schools and colleges"
        assert directory.unknown(["schools", "nhs-doncaster-ccg"]) == ["nhs-doncaster-ccg"]
        assert await registry.get("nhs-doncaster-ccg") is None and await registry.get("Not A Code") is None
        assert await registry.remove("schools") and not await registry.remove("schools")
        assert not (await registry.directory()).known("schools")
    finally:
        await client.drop_database(f"{prefix}auth")
        await client.close()


def test_the_admin_cli_registers_lists_and_removes_agencies(servers, prefix):
    _, mongo_url = servers
    env = {**os.environ, "MONGODB_URL": mongo_url, "AUTH_DATABASE": f"{prefix}auth"}

    def cli(*args) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "shared.auth", *args], capture_output=True, text=True, env=env,
                              timeout=60)

    try:
        unknown = cli("add-agency", "--code", "nhs-south-yorkshire-icb", "--name", "NHS South Yorkshire ICB",
                      "--kind", "icb", "--partnership", "doncaster")
        assert unknown.returncode == 1 and "add them first with add-partnership" in unknown.stderr
        assert cli("add-partnership", "--code", "doncaster", "--name", "Doncaster SCP", "--area", "Doncaster")\
            .returncode == 0
        made = cli("add-agency", "--code", "nhs-south-yorkshire-icb", "--name", "NHS South Yorkshire ICB",
                   "--kind", "icb", "--partnership", "doncaster")
        assert made.returncode == 0 and "integrated care board, member of doncaster" in made.stdout, made.stderr
        schools = cli("add-agency", "--code", "schools", "--name", "Schools and colleges", "--kind", "education")
        assert schools.returncode == 0 and "member of any partnership" in schools.stdout, schools.stderr
        bad = cli("add-agency", "--code", "Schools", "--name", "Schools", "--kind", "education")
        assert bad.returncode == 2 and "not a valid agency" in bad.stderr
        assert cli("add-agency", "--code", "x1", "--name", "X", "--kind", "church").returncode == 2  # argparse
        listed = cli("list-agencies").stdout.splitlines()
        assert listed == ["nhs-south-yorkshire-icb\ticb\tdoncaster\tNHS South Yorkshire ICB",
                          "schools\teducation\t*\tSchools and colleges"]
        assert cli("remove-agency", "schools").returncode == 0
        gone = cli("remove-agency", "schools")
        assert gone.returncode == 1 and "no agency schools" in gone.stderr
        assert "schools" not in cli("list-agencies").stdout
    finally:
        with pymongo.MongoClient(mongo_url) as mongo:
            mongo.drop_database(f"{prefix}auth")
