"""Reading a JSON request body strictly: an object that names a key twice is refused, not read with the
last value winning (RFC 8259 leaves that to the reader, and readers differ: a partner's own logs or
another consumer may take the first).

    value = loads(raw)                    # json.loads, keeping track of objects with a key repeated
    errors = duplicate_keys(value, ["body"])  # [{"loc": ["body", 0, "data", "title"], ...}], one per key
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from shared.http.problems import error


class _Repeated(dict):
    """A JSON object whose text named some keys more than once (`repeated`, in order)."""

    repeated: list[str]


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found = dict(pairs)
    if len(found) == len(pairs):
        return found
    seen: set[str] = set()
    repeated = _Repeated(found)
    repeated.repeated = list(dict.fromkeys(k for k, _ in pairs if k in seen or seen.add(k)))
    return repeated


def loads(raw: bytes | str) -> Any:
    """`json.loads`, with each object that repeats a key marked for `duplicate_keys`. Raises as json.loads does."""
    return json.loads(raw, object_pairs_hook=_object)


def duplicate_keys(value: Any, at: Sequence[str | int] = ("body",)) -> list[dict]:
    """An error for each key repeated in an object of `value` (read with `loads`), its `loc` the key's place."""
    errors, stack = [], [(value, list(at))]
    while stack:
        item, where = stack.pop()
        if isinstance(item, _Repeated):
            errors += [error([*where, key], "this key appears more than once in its object; send it once",
                             "json_duplicate_key") for key in item.repeated]
        if isinstance(item, dict):
            stack += [(v, [*where, k]) for k, v in reversed(item.items())]
        elif isinstance(item, list):
            stack += [(v, [*where, i]) for i, v in reversed(list(enumerate(item)))]
    return errors
