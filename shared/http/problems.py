"""One shape for every refusal: RFC 9457 problem details, with the fields at fault listed.

    HTTP/1.1 422
    Content-Type: application/problem+json

    {"type": "https://schemas.scp.example/problems/invalid-event", "title": "Invalid event",
     "status": 422, "detail": "body.0.data.session_id: Field required",
     "errors": [{"loc": ["body", 0, "data", "session_id"], "msg": "Field required", "type": "missing"}]}

`errors[].loc` always names where the problem is: a header (`["header", "authorization"]`), the
body (`["body"]`), an event's field (`["body", i, "data", "..."]`), a path or query parameter
(`["query", "as_of"]`, whose problem type is `invalid-parameter`), or the request line.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi.responses import JSONResponse

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "https://schemas.scp.example/problems/"

TITLES = {
    400: "Bad request", 401: "Unauthorized", 403: "Forbidden", 404: "Not found", 405: "Method not allowed",
    408: "Request timeout", 409: "Conflict", 413: "Content too large", 415: "Unsupported media type",
    422: "Invalid event", 429: "Too many requests", 431: "Request header fields too large", 500: "Internal error",
    501: "Not implemented", 503: "Service unavailable",
}
SLUGS = {
    400: "bad-request", 401: "unauthorized", 403: "forbidden", 404: "not-found", 405: "method-not-allowed",
    408: "request-timeout", 409: "conflict", 413: "content-too-large", 415: "unsupported-media-type",
    422: "invalid-event", 429: "too-many-requests", 431: "header-fields-too-large", 500: "internal-error",
    501: "not-implemented", 503: "unavailable",
}
INVALID_PARAMETER = "invalid-parameter"  # a 422 for a path or query parameter, not an event


def error(loc: Sequence[str | int], msg: str, type: str) -> dict[str, Any]:
    """One entry of `errors`: where (`loc`), what (`msg`), and a machine-readable `type`."""
    return {"loc": list(loc), "msg": msg, "type": type}


def problem_body(status: int, errors: Sequence[dict[str, Any]], *, title: str | None = None,
                 slug: str | None = None) -> dict[str, Any]:
    first = errors[0] if errors else None
    detail = f"{'.'.join(map(str, first['loc']))}: {first['msg']}" if first else TITLES.get(status, "Error")
    if len(errors) > 1:
        detail += f" (and {len(errors) - 1} more)"
    return {"type": PROBLEM_BASE + (slug or SLUGS.get(status, str(status))), "title": title or TITLES.get(status, "Error"),
            "status": status, "detail": detail, "errors": list(errors)}


def problem(status: int, errors: Sequence[dict[str, Any]], *, title: str | None = None, slug: str | None = None,
            headers: dict[str, str] | None = None) -> JSONResponse:
    """A problem-details response; `errors` is a list made with `error()`."""
    return JSONResponse(problem_body(status, errors, title=title, slug=slug), status_code=status,
                        media_type=PROBLEM_JSON, headers=headers)


PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "RFC 9457 problem details; `errors[].loc` names each field at fault.",
    "required": ["type", "title", "status", "detail", "errors"],
    "properties": {
        "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {"type": "array", "items": {
            "type": "object", "required": ["loc", "msg", "type"],
            "properties": {"loc": {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}},
                           "msg": {"type": "string"}, "type": {"type": "string"}}}},
    },
}


def problem_responses(described: dict[int, str]) -> dict[int, dict[str, Any]]:
    """OpenAPI `responses` for refusals, each a problem document: `{404: "no such partnership"}`."""
    content = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    return {status: {"description": text, "content": content} for status, text in described.items()}
