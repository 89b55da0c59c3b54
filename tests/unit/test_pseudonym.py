"""The pseudonymisation recipe partners use for references to people: a system's own numbers, sent as they are,
are refused at random (one 10-digit staff number in eleven passes the NHS number's check); their references,
made by the recipe, never are, and a partner's own copy of the recipe (docs/partners.md) makes the same ones."""

import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pydantic import TypeAdapter, ValidationError

from shared.events.base import PseudonymousRef
from shared.events.pseudonym import WORKED_EXAMPLE, WORKED_EXAMPLE_SECRET, _reference, pseudonymise

PARTNERS_MD = Path(__file__).resolve().parents[2] / "docs" / "partners.md"
REFERENCE = TypeAdapter(PseudonymousRef)
STAFF_NUMBERS = [f"{n:010d}" for n in random.Random(2022).sample(range(10**10), 10_000)]


def accepted(reference: str) -> bool:
    try:
        REFERENCE.validate_python(reference)
        return True
    except ValidationError:
        return False


def test_a_partners_own_staff_numbers_sent_as_they_are_are_refused_about_one_time_in_eleven():
    refused = sum(not accepted(number) for number in STAFF_NUMBERS)
    assert 700 <= refused <= 1100, refused  # 10,000 / 11 = 909, by chance alone


def test_every_one_of_10000_staff_numbers_pseudonymises_to_a_reference_the_guard_accepts():
    references = [pseudonymise(WORKED_EXAMPLE_SECRET, number) for number in STAFF_NUMBERS]
    assert all(accepted(reference) for reference in references)
    assert len(set(references)) == len(references)  # one person, one reference
    assert all(re.fullmatch(r"p-[a-z2-7]{32}", reference) for reference in references)


def test_the_worked_example():
    for identifier, reference in WORKED_EXAMPLE.items():
        assert pseudonymise(WORKED_EXAMPLE_SECRET, identifier) == reference


def test_a_reference_with_ten_digits_in_a_row_is_made_again_from_the_identifier_and_1():
    first = _reference(WORKED_EXAMPLE_SECRET, "4012605445")
    assert re.search(r"[0-9]{10}", first)
    assert pseudonymise(WORKED_EXAMPLE_SECRET, "4012605445") == _reference(WORKED_EXAMPLE_SECRET, "4012605445#1")


def test_the_same_identifier_always_gives_the_same_reference_and_another_secret_another():
    assert pseudonymise(b"our secret", "E123456") == pseudonymise(b"our secret", "E123456")
    assert pseudonymise(b"our secret", "E123456") != pseudonymise(b"their secret", "E123456")
    with pytest.raises(ValueError, match="secret"):
        pseudonymise(b"", "E123456")


def _block(language: str) -> str:
    """The first code block in `language` in partners.md's section on the recipe."""
    section = PARTNERS_MD.read_text().split("## Pseudonymous references", 1)[1].split("\n## ", 1)[0]
    return re.search(rf"```{language}\n(.*?)```", section, re.DOTALL).group(1)


def test_partners_md_shows_the_recipe_as_code_that_makes_the_same_references():
    namespace: dict = {}
    exec(_block("python"), namespace)  # the code a partner copies into their own system
    for identifier, reference in WORKED_EXAMPLE.items():
        assert namespace["pseudonymise"](WORKED_EXAMPLE_SECRET, identifier) == reference
        assert reference in PARTNERS_MD.read_text()
    for number in STAFF_NUMBERS[:1000]:
        assert namespace["pseudonymise"](b"another secret", number) == pseudonymise(b"another secret", number)


@pytest.mark.skipif(not (shutil.which("openssl") and shutil.which("base32")), reason="needs openssl and base32")
def test_partners_md_shows_the_recipe_as_one_line_of_shell_that_makes_the_same_reference():
    line = _block("sh").strip()
    answer = subprocess.run(["bash", "-c", line], capture_output=True, text=True, check=True).stdout.strip()
    assert answer == WORKED_EXAMPLE["4010232137"]
