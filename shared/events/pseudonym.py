"""The pseudonymisation recipe: a reference to a person that the privacy guard never refuses.

A partner's system turns its own identifier for a person (a staff number, a learner id) into the
reference it sends (`attendee_ref`, `person_ref`, `manager_ref`) with a keyed hash, under a secret
only the partner keeps:

    reference = "p-" + lowercase base32 of the first 20 bytes of HMAC-SHA256(secret, identifier)

Sending the system's own numbers instead would be refused at random: a 10-digit staff number
passes the NHS number's modulus 11 check about one time in eleven. A reference made this way is 34
characters of `p-`, `a-z` and `2-7`; the only thing the guard could find in it is a run of ten
digits (one reference in about a million). So if the reference holds ten digits in a row, the
recipe hashes `identifier + "#1"` instead, then `"#2"` and so on: the same identifier always gives
the same reference, and no reference is ever refused. (`pseudonymise` also asks the guard itself,
so that a reference it returns is one the guard accepts, whatever the guard learns to refuse.)

The platform never sees the secret, so it cannot tell who a reference is; the partner, holding the
secret, can recompute a person's reference from its own records. docs/partners.md gives the same
recipe in a form to copy, with its worked example (`WORKED_EXAMPLE`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from itertools import count

from shared.events.personal_data import personal_data_in

PREFIX = "p-"
DIGEST_BYTES = 20  # 160 bits: 32 base32 characters, no padding
_TEN_DIGITS = re.compile(r"[0-9]{10}")

# The worked example in docs/partners.md, under one secret: two staff numbers that both pass the NHS number's
# check (so that, sent as they are, they would be refused); the second one's first reference holds ten digits
# in a row (`...2i3346355442j...`), so the recipe takes its "#1".
WORKED_EXAMPLE_SECRET = b"a secret only our agency keeps"
WORKED_EXAMPLE = {"4010232137": "p-zp3h3jjqqahp2xzyi7ipxycvlfksj6mq",
                  "4012605445": "p-x5h4qwbzb3szd4v72ybrnmpufm7lf4q6"}


def pseudonymise(secret: bytes, identifier: str) -> str:
    """The pseudonymous reference for `identifier` under `secret`: always the same, never refused by the guard."""
    if not secret:
        raise ValueError("the secret must not be empty")
    for attempt in count():
        message = identifier if attempt == 0 else f"{identifier}#{attempt}"
        reference = _reference(secret, message)
        if not _TEN_DIGITS.search(reference) and personal_data_in(reference) is None:
            return reference
    raise AssertionError("unreachable")  # pragma: no cover


def _reference(secret: bytes, message: str) -> str:
    digest = hmac.new(secret, message.encode("utf-8"), hashlib.sha256).digest()
    return PREFIX + base64.b32encode(digest[:DIGEST_BYTES]).decode("ascii").lower()
