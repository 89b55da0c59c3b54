"""What every response says to the browser about itself, and API docs that need no CDN.

Every response (pages, JSON, static files, errors, 500s included) carries `SECURITY_HEADERS`: a
Content-Security-Policy that lets a page load only its own origin's files (no inline script or style,
no frames, no plugins, forms posting only to itself), `nosniff`, no referrer, and no framing.

Every response is `Cache-Control: no-store` unless it says otherwise: figures, pages, refusals and
the OpenAPI document are never kept by a browser or a proxy (figures will hold personal data once
readers sign in). Only the public files (the pages' CSS and JS, Swagger UI's) say `no-cache`: kept,
and checked against their ETag before each use.

Every 401 carries `WWW-Authenticate: Bearer realm="scp"` (RFC 6750) unless it names its own challenge.

`/docs` is Swagger UI served from this service: its files come from the `fastapi-offline` package and
are started by `static/swagger-init.js`, so the page holds under the same policy. ReDoc is not served.
"""

from __future__ import annotations

from html import escape
from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "img-src 'self' data:",  # Swagger UI's icons are data: URIs
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",  # the sign-in and sign-out forms post to this site, nowhere else
    "frame-ancestors 'none'",
])
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
_RAW_HEADERS = [(name.lower().encode(), value.encode()) for name, value in SECURITY_HEADERS.items()]
CACHE_CONTROL = "no-store"
PUBLIC_FILES_CACHE_CONTROL = "no-cache"
REALM = "scp"
CHALLENGE = f'Bearer realm="{REALM}"'

SWAGGER_UI = files("fastapi_offline") / "static"  # swagger-ui-bundle.js, swagger-ui.css, favicon.png
SWAGGER_INIT = Path(__file__).resolve().parent / "static" / "swagger-init.js"


class SecurityHeaders:
    """ASGI middleware: adds each of `SECURITY_HEADERS`, `Cache-Control: no-store` and, on a 401, the Bearer
    challenge, where a response does not set them itself."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                added = [h for h in _RAW_HEADERS if h[0] not in present]
                if b"cache-control" not in present:
                    added.append((b"cache-control", CACHE_CONTROL.encode()))
                if message["status"] == 401 and b"www-authenticate" not in present:
                    added.append((b"www-authenticate", CHALLENGE.encode()))
                message = {**message, "headers": headers + added}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class PublicFiles(StaticFiles):
    """Static files that hold nothing personal: a browser may keep them, and revalidates them before use."""

    def file_response(self, *args, **kwargs) -> Response:
        response = super().file_response(*args, **kwargs)
        response.headers["Cache-Control"] = PUBLIC_FILES_CACHE_CONTROL
        return response


def add_docs(app: FastAPI, path: str = "/docs") -> None:
    """Serve Swagger UI at `path`, from this service's own files. Build the app with `docs_url=None`."""
    app.mount(f"{path}/assets", PublicFiles(directory=str(SWAGGER_UI)), name="swagger-ui")

    @app.get(f"{path}/swagger-init.js", include_in_schema=False)
    async def swagger_init() -> FileResponse:
        return FileResponse(SWAGGER_INIT, media_type="text/javascript",
                            headers={"Cache-Control": PUBLIC_FILES_CACHE_CONTROL})

    @app.get(path, include_in_schema=False)
    async def swagger_page(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "").rstrip("/")
        return HTMLResponse(_DOCS_PAGE.format(title=escape(app.title), root=escape(root), docs=escape(path),
                                              openapi=escape(f"{root}{app.openapi_url}")))


_DOCS_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}: API</title>
<link rel="icon" href="{root}{docs}/assets/favicon.png">
<link rel="stylesheet" href="{root}{docs}/assets/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-openapi-url="{openapi}"></div>
<script src="{root}{docs}/assets/swagger-ui-bundle.js"></script>
<script src="{root}{docs}/swagger-init.js"></script>
</body>
</html>
"""
