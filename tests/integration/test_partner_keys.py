"""Partner keys as an administrator manages them: made with the CLI, shown once, stored hashed, revoked."""

import json
import os
import subprocess
import sys

from shared.adapters.mongo.keys import KeyStore
from tests.e2e.processes import ROOT
from tests.integration.test_first_flow import course


def cli(stack, *args) -> subprocess.CompletedProcess:
    env = {**os.environ, "MONGODB_URL": stack.mongo_url, "AUTH_DATABASE": f"{stack.prefix}auth"}
    return subprocess.run([sys.executable, "-m", "shared.auth", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)


async def test_a_key_made_with_the_cli_works_until_it_is_revoked(stack):
    made = cli(stack, "create-key", "--agency", "dscp-training", "--partnership", "doncaster", "--event-type", "training.*",
               "--label", "LMS", "--json")
    assert made.returncode == 0, made.stderr
    key = json.loads(made.stdout)
    stored = await stack.mongo[f"{stack.prefix}auth"]["api_keys"].find_one({"_id": key["key_id"]})
    assert key["key"] not in json.dumps(stored, default=str), "only a hash of the key is stored"

    assert (await stack.post(course(), key["key"])).status_code == 202
    listed = cli(stack, "list-keys").stdout
    assert key["key_id"] in listed and "active" in listed and key["key"] not in listed

    assert cli(stack, "revoke-key", key["key_id"]).returncode == 0
    assert await KeyStore(stack.mongo[f"{stack.prefix}auth"]).authenticate(key["key"]) is None
    assert "revoked" in cli(stack, "list-keys").stdout
    assert cli(stack, "revoke-key", key["key_id"]).returncode == 1  # already revoked: said so


async def test_a_forged_secret_for_a_real_key_id_is_refused(stack):
    raw = await stack.key()
    forged = raw.rsplit("_", 1)[0] + "_forgedsecret"
    assert (await stack.post(course(), forged)).status_code == 401


async def test_a_key_made_with_the_right_to_correct_may_change_another_agencys_fact(stack):
    from shared.events.envelope import new_event

    provider = await stack.key()
    await stack.post(course("c-ce", "Child Exploitation"), provider)
    made = cli(stack, "create-key", "--agency", "dscp-business-unit", "--partnership", "doncaster", "--event-type", "training.*",
               "--label", "partnership administrator", "--may-correct", "--json")
    admin = json.loads(made.stdout)
    assert admin["may_correct"] is True and "may-correct" in cli(stack, "list-keys").stdout

    renamed = new_event("training.course.published.v1", {"course_id": "c-ce", "title": "Child Exploitation (CE)"},
                        partnership="doncaster", agency="dscp-business-unit", source="/partners/dscp-business-unit/admin")
    assert (await stack.post(renamed, admin["key"])).status_code == 202
    ordinary = await stack.key("dscp-business-unit", ("training.*",))
    again = renamed.model_copy(update={"id": "another-id"})
    assert (await stack.post(again, ordinary)).status_code == 403  # without the right, another agency's course is not its to change
