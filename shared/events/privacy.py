"""Guards against identifying data in events: NHS numbers, control and bidirectional-override characters.

An NHS number is 10 digits whose last is a modulus 11 check digit over the first nine. People write
it with spaces, hyphens, dots or slashes between the groups (`943 476 5919`, `943-476-5919`), and
it may hide inside a longer reference (`NHS9434765919`, `ref-94347659190`). So every run of digits,
with single separators allowed inside it, is normalised to its digits, and every 10-digit window of
a run of 10 or 11 digits is checked: a window that passes the check makes the whole text refused.
Longer runs (a date with a time, `20211013-1330`; timestamps; long counters) are not NHS-shaped and
are left alone, since one in eleven of their windows would pass the check by chance.

The guard applies to references to people (`PseudonymousRef`), to text (titles, notes, summaries)
and to an envelope's `subject`; identifiers of things (a session, a course) are ASCII-only and
bounded, and are not checked, so that ids made from timestamps are never refused by chance.
"""

from __future__ import annotations

import re

# digits, optionally with one separator (space, hyphen, dot, slash, underscore, colon) between them
_DIGIT_RUN = re.compile(r"\d(?:[ \-./_:]?\d)*")
_NOT_DIGIT = re.compile(r"\D")
_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)

# C0 and C1 controls, DEL, and the bidirectional embedding, override and isolate characters
# (U+202A-U+202E, U+2066-U+2069) that can make text read differently from what it holds.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL_OR_NEWLINE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# The same sets as JSON Schema patterns (ECMA-262), published in the catalogue.
NO_CONTROL_PATTERN = "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f\\u202a-\\u202e\\u2066-\\u2069]*$"
SINGLE_LINE_PATTERN = "^[^\\u0000-\\u001f\\u007f-\\u009f\\u202a-\\u202e\\u2066-\\u2069]*$"


def is_nhs_number(digits: str) -> bool:
    """True if `digits` (exactly 10 digits) passes the NHS number's modulus 11 check."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    remainder = sum(int(d) * w for d, w in zip(digits, _WEIGHTS)) % 11
    check = 11 - remainder
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def nhs_numbers_in(text: str) -> list[str]:
    """Every NHS number found in `text`, however it is written or wrapped."""
    found = []
    for run in _DIGIT_RUN.finditer(text):
        digits = _NOT_DIGIT.sub("", run.group())
        if 10 <= len(digits) <= 11:
            found += [digits[i:i + 10] for i in range(len(digits) - 9) if is_nhs_number(digits[i:i + 10])]
    return found


def refuse_nhs_numbers(value: str) -> str:
    """A pydantic validator: refuse text carrying an NHS number."""
    if nhs_numbers_in(value):
        raise ValueError("contains what looks like an NHS number: send a pseudonymous reference, never an identifier")
    return value


def refuse_control_characters(value: str) -> str:
    """A pydantic validator for single-line text: no control or bidirectional-override characters."""
    if _CONTROL_OR_NEWLINE.search(value):
        raise ValueError("control or bidirectional-override characters are not allowed")
    return value


def refuse_control_characters_multiline(value: str) -> str:
    """A pydantic validator for free text: tabs and line breaks allowed, other controls not."""
    if _CONTROL.search(value):
        raise ValueError("control or bidirectional-override characters are not allowed")
    return value
