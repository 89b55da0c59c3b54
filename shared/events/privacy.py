"""The privacy guard, and the rules every text field keeps.

A partnership holds only aggregate and pseudonymous data, so references to people
(`PseudonymousRef`), text (titles, notes, summaries: `Title`, `FreeText`) and an envelope's `subject`
refuse anything that looks like personal data: an NHS number, an email address, a phone number, a
postcode, a date of birth, or a person's name with their age (what each looks like, and how it is
found, is in shared.events.personal_data and shared.events.nhs_numbers). The refusal names the kind
found, never the value. Identifiers of things (a session, a course) are ASCII-only and bounded, and
are not checked, so that ids made from timestamps are never refused by chance.

Text also refuses control and bidirectional-override characters, which can make it read differently
from what it holds, and text made only of spaces and invisible characters, which says nothing.
"""

from __future__ import annotations

import re

from shared.events.nhs_numbers import is_nhs_number, nhs_numbers_in
from shared.events.personal_data import NHS_NUMBER, personal_data_in

__all__ = ["is_nhs_number", "nhs_numbers_in", "refuse_personal_data", "refuse_blank_text", "refuse_control_characters",
           "refuse_control_characters_multiline", "FREE_TEXT_PATTERN", "TITLE_PATTERN"]

# C0 and C1 controls, DEL, and the bidirectional embedding, override and isolate characters
# (U+202A-U+202E, U+2066-U+2069) that can make text read differently from what it holds.
_CONTROLS = r"\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069"
_LINE_BREAKS = r"\u0009\u000a\u000d"  # tab, line feed, carriage return: in free text only
# Spaces and invisible characters that are not controls: every Unicode space (no-break, thin, ideographic),
# the line and paragraph separators U+2028 and U+2029, the soft hyphen, zero-width spaces and joiners, word
# joiners, variation selectors, the byte order mark, and the blank letters (Hangul fillers, the blank Braille
# pattern). Text made only of these (and line breaks) is blank.
_INVISIBLE = (r"\u0020\u00a0\u00ad\u034f\u061c\u115f\u1160\u1680\u17b4\u17b5\u180b-\u180f\u2000-\u200f"
              r"\u2028\u2029\u202f\u205f-\u2065\u206a-\u206f\u2800\u3000\u3164\ufe00-\ufe0f\ufeff\uffa0")
_CONTROL = re.compile(f"[{_CONTROLS}]")
_CONTROL_OR_NEWLINE = re.compile(f"[{_CONTROLS}{_LINE_BREAKS}]")
_BLANK = re.compile(f"[{_LINE_BREAKS}{_INVISIBLE}]*")
# The same rules as JSON Schema patterns (ECMA-262), published in the catalogue: no control characters, and
# at least one visible character (the blank run, then a visible character, then anything allowed).
FREE_TEXT_PATTERN = (f"^[{_LINE_BREAKS}{_INVISIBLE}]*[^{_CONTROLS}{_LINE_BREAKS}{_INVISIBLE}]"
                     f"[^{_CONTROLS}]*$")
TITLE_PATTERN = f"^[{_INVISIBLE}]*[^{_CONTROLS}{_LINE_BREAKS}{_INVISIBLE}][^{_CONTROLS}{_LINE_BREAKS}]*$"


def refuse_personal_data(value: str) -> str:
    """A pydantic validator: refuse text that looks like it carries personal data, naming the kind, never the value."""
    kind = personal_data_in(value)
    if kind == NHS_NUMBER:
        raise ValueError(f"contains what looks like {kind}: send a pseudonymous reference, never an identifier")
    if kind:
        raise ValueError(f"contains what looks like {kind}: send only aggregate or pseudonymous data, "
                         "never what identifies a person")
    return value


def refuse_blank_text(value: str) -> str:
    """A pydantic validator: refuse text made only of spaces, line breaks and invisible characters."""
    if _BLANK.fullmatch(value):
        raise ValueError("must contain visible text, not only spaces or invisible characters")
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
