"""The JSON Schemas of a domain service's events, served at the URL each event it publishes names (`dataschema`).

`GET /schemas/{type}.json` is the schema of that type's `data`, for every type of the service's domain (those
partners send and those the service decides itself); `GET /schemas/envelope.json` is the envelope's. Each is the
catalogue's own document (shared.events.catalogue), with the `$id` of the URL it is served at: the service's
SCHEMA_BASE_URL (`DomainServiceSettings.schema_base`) and its name. The committed copies in docs/catalogue/ keep
the canonical `$id`s, the same in every deployment.

They are public contracts, as the catalogue is: no key. Each answer is `application/schema+json` with an ETag;
a browser or proxy may keep it, and revalidates it before use (`Cache-Control: no-cache`; 304 when it is
unchanged). Any other name, another domain's type included, is a 404 problem naming the path.
"""

from __future__ import annotations

import hashlib

from fastapi import APIRouter, Header, Path
from fastapi.responses import Response

from shared.events.catalogue import CATALOGUE, envelope_schema, json_schema, text
from shared.http.problems import error, problem, problem_responses
from shared.http.security import PUBLIC_FILES_CACHE_CONTROL

SCHEMA_JSON = "application/schema+json"
ENVELOPE = "envelope"


def documents(domain: str, base: str) -> dict[str, bytes]:
    """Every schema the service serves, by name (`envelope`, or a type of its domain), as it serves it."""
    docs = {ENVELOPE: envelope_schema(base)}
    docs.update({type_name: json_schema(type_name, base) for type_name in sorted(CATALOGUE)
                 if type_name.startswith(domain + ".")})
    return {name: text(doc).encode() for name, doc in docs.items()}


def _etag(body: bytes) -> str:
    return f'"{hashlib.sha256(body).hexdigest()[:32]}"'


def _unchanged(if_none_match: str | None, etag: str) -> bool:
    """If-None-Match (RFC 9110, 13.1.2): `*`, or a list of tags, compared weakly (a `W/` prefix is ignored)."""
    tags = [tag.strip() for tag in (if_none_match or "").split(",")]
    return "*" in tags or etag in (tag.removeprefix("W/") for tag in tags)


def schema_router(domain: str, base: str) -> APIRouter:
    """`GET /schemas/{name}.json` for the envelope and the domain's types, each with its `$id` under `base`."""
    served = {name: (body, _etag(body)) for name, body in documents(domain, base).items()}
    router = APIRouter(tags=["schemas"])
    responses = {
        200: {"description": "the JSON Schema (2020-12), its `$id` the URL it is served at",
              "content": {SCHEMA_JSON: {"schema": {"type": "object"}}},
              "headers": {"ETag": {"schema": {"type": "string"}}, "Cache-Control": {"schema": {"type": "string"}}}},
        304: {"description": "unchanged since the ETag sent in If-None-Match"},
        **problem_responses({404: f"no such schema here: not `envelope` nor a {domain}.* type"}),
    }

    @router.get("/schemas/{name}.json", summary=f"The JSON Schema of a {domain} event type's data, or the envelope's",
                response_class=Response, responses=responses)
    async def schema(name: str = Path(description=f"`envelope`, or a {domain}.* event type",
                                      json_schema_extra={"enum": sorted(served)}),
                     if_none_match: str | None = Header(None, description="an ETag of an earlier answer")) -> Response:
        found = served.get(name)
        if found is None:
            owner = name.split(".", 1)[0]
            where = (f"{name} is a {owner} event: the {owner} service serves its schema" if name in CATALOGUE
                     else f"no schema {name!r} is served here")
            return problem(404, [error(["path", "name"], f"{where}; this service serves envelope.json and its "
                                                         f"{domain}.* types' (/schemas/<type>.json)", "unknown_schema")])
        body, etag = found
        headers = {"ETag": etag, "Cache-Control": PUBLIC_FILES_CACHE_CONTROL}
        if _unchanged(if_none_match, etag):
            return Response(status_code=304, headers=headers)
        return Response(body, media_type=SCHEMA_JSON, headers=headers)

    return router
