"""Finding NHS numbers in text, however they are written.

An NHS number is 10 digits whose last is a modulus 11 check digit over the first nine. People write
it in groups (`943 476 5919`, `(943) 476 5919`, `943 - 476 - 5919`, `943,476,5919`), with any
space, dash or invisible character between the groups (a no-break or thin space, an en dash, a tab
or newline, a zero-width space, a soft hyphen), and it may hide inside a longer reference
(`NHS9434765919`, `ref-94347659190`, `2021-943-476-5919`).

So the text is first normalised (Unicode NFKC: full-width digits become digits), and read as runs
of digit groups, where any run of separators between two groups counts as one separator. Three
places are checked with the modulus 11 check:

- a run of 10 or 11 digits in one, two or three groups, or spaced out digit by digit (with a digit
  added before or after: every 10-digit window);
- a single group of 10 or 11 digits inside a longer run;
- three groups of 3, 3 and 4 digits in a row inside a longer run (the NHS number's printed form).

Runs written otherwise are not NHS-shaped and are left alone, since one in eleven of their 10-digit
windows would pass the check by chance: a date with a time (`2021-12-07 09:30`, `12/03/21 09:30`),
a timestamp (`20211207093000`), an address (`127.0.0.1:8000`), a list of figures (`45, 52, 61, 70, 80`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)
_PRINTED_GROUPS = (3, 3, 4)
# punctuation written between digit groups, besides every Unicode space, dash and format character
_SEPARATOR_PUNCTUATION = frozenset("./_:,()[]\u2212")


def is_nhs_number(digits: str) -> bool:
    """True if `digits` (exactly 10 ASCII digits) passes the NHS number's modulus 11 check."""
    if len(digits) != 10 or not (digits.isascii() and digits.isdigit()):
        return False
    remainder = sum(int(d) * w for d, w in zip(digits, _WEIGHTS)) % 11
    check = 11 - remainder
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def nhs_numbers_in(text: str) -> list[str]:
    """Every NHS number found in `text`, however it is written or wrapped."""
    found: list[str] = []
    for groups in _digit_runs(unicodedata.normalize("NFKC", text)):
        for candidate in _nhs_shaped(groups):
            found += [candidate[i:i + 10] for i in range(len(candidate) - 9) if is_nhs_number(candidate[i:i + 10])]
    return list(dict.fromkeys(found))


def _is_separator(char: str) -> bool:
    return char.isspace() or char in _SEPARATOR_PUNCTUATION or unicodedata.category(char) in ("Pd", "Cf", "Zs")


def _digit_runs(text: str) -> Iterator[list[str]]:
    """Each run of digit groups in `text`: groups of digits (as ASCII) parted by runs of separators."""
    groups: list[str] = []
    digits: list[str] = []
    for char in text:
        if char.isdecimal():
            digits.append(str(unicodedata.decimal(char)))
        elif _is_separator(char):
            if digits:
                groups.append("".join(digits))
                digits = []
        else:
            if digits:
                groups.append("".join(digits))
                digits = []
            if groups:
                yield groups
            groups = []
    if digits:
        groups.append("".join(digits))
    if groups:
        yield groups


def _nhs_shaped(groups: list[str]) -> Iterator[str]:
    """The digits of a run that could be an NHS number as people write one."""
    whole = "".join(groups)
    if 10 <= len(whole) <= 11 and (len(groups) <= 3 or all(len(g) == 1 for g in groups)):
        yield whole
        return
    for group in groups:
        if 10 <= len(group) <= 11:
            yield group
    for i in range(len(groups) - 2):
        if tuple(len(g) for g in groups[i:i + 3]) == _PRINTED_GROUPS:
            yield "".join(groups[i:i + 3])
