"""Who may read what: every page and every JSON figure needs a signed-in reader or a read key, and each view is
written to the audit log.

- A **reader** signs in at `/login` with a local account (`python -m shared.auth add-reader`); the session is a
  cookie (`HttpOnly`, `SameSite=Lax`, `Secure` outside plain HTTP to localhost) naming a server-side session that
  expires and can be revoked.
- A **read key** (`python -m shared.auth create-read-key`) is sent as `Authorization: Bearer`, like a partner's key,
  by a partnership's own reporting tools.

`viewed(request, code)` is the one gate: it names the viewer (401, or for a page a redirect to `/login`, when there
is none), answers 404 for a partnership the viewer may not read exactly as for one not hosted, and records the view.
Every form (sign in, sign out) carries a CSRF token checked against the session's, or, before sign-in, against a
cookie of its own (double submit). Failed sign-ins are throttled per account and per address (`LoginThrottle`).
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from pathlib import Path as FilePath
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, FastAPI, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from shared.adapters.mongo.readers import (AuditLog, LoginThrottle, ReaderStore, SessionPolicy, SessionStore,
                                           ThrottlePolicy)
from shared.auth.readers import Viewer, needs_rehash, password_matches, hash_password
from shared.http.problems import error, problem
from shared.http.security import CHALLENGE
from shared.partnerships import Partnership
from services.reporting.settings import ReportingSettings

SESSION_COOKIE = "scp_session"
SIGN_IN_COOKIE = "scp_sign_in"  # the CSRF token of the sign-in form, before there is a session
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}
TEMPLATES = Jinja2Templates(directory=FilePath(__file__).resolve().parents[1] / "templates")

router = APIRouter(include_in_schema=False)


class NotSignedIn(Exception):
    """No reader signed in and no read key: a page redirects to the sign-in form, JSON answers 401."""

    def __init__(self, invalid_key: bool = False):
        self.invalid_key = invalid_key


@dataclass
class Access:
    """The stores the gate and the sign-in forms use, opened with the app."""

    readers: ReaderStore
    sessions: SessionStore
    throttle: LoginThrottle
    audit: AuditLog
    settings: ReportingSettings

    @classmethod
    async def open(cls, auth_db, settings: ReportingSettings) -> "Access":
        sessions = SessionStore(auth_db, SessionPolicy.of(settings.session_hours, settings.session_idle_minutes))
        throttle = LoginThrottle(auth_db, ThrottlePolicy.of(settings.login_window_minutes,
                                                            settings.login_failures_per_account,
                                                            settings.login_failures_per_address))
        audit = AuditLog(auth_db)
        for store in (sessions, throttle, audit):
            await store.prepare()
        return cls(ReaderStore(auth_db), sessions, throttle, audit, settings)


def _access(request: Request) -> Access:
    return request.app.state.access


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _what(request: Request) -> str:
    query = request.url.query
    return f"{request.method} {request.url.path}" + (f"?{query}" if query else "")


async def viewer_of(request: Request) -> Viewer:
    """Who is reading: the read key in `Authorization`, else the session in the cookie; NotSignedIn if neither."""
    known = getattr(request.state, "viewer", None)
    if known is not None:
        return known
    header = request.headers.get("authorization")
    if header is not None:
        scheme, _, raw = header.partition(" ")
        key = await request.app.state.runtime.keys.authenticate(raw) if scheme.lower() == "bearer" else None
        if key is None or key.scope != "read":
            raise NotSignedIn(invalid_key=True)
        viewer = Viewer("key", key.key_id, key.label or f"read key {key.key_id}", None, frozenset(key.partnerships))
    else:
        viewer = await _access(request).sessions.viewer(request.cookies.get(SESSION_COOKIE))
        if viewer is None:
            raise NotSignedIn()
    request.state.viewer = viewer
    return viewer


async def viewed(request: Request, code: str, *, record: bool = True) -> Partnership:
    """The partnership `code`, if the viewer may read it; the view is recorded (once per request, however many
    figures a page gathers; not at all for `record=False`, a page asking whether it is still current). 404 (as for a
    partnership not hosted) when it may not, and that refusal is recorded for the partnership's admin too."""
    seen = getattr(request.state, "viewed", None)
    if seen is not None and seen.code == code:
        return seen
    viewer = await viewer_of(request)
    partnership = await request.app.state.runtime.partnerships.get(code)
    audit = _access(request).audit
    if partnership is None or not viewer.may_read(partnership.code):
        if partnership is not None:
            await audit.record(viewer, partnership.code, _what(request), "refused", _address(request))
        raise HTTPException(404, f"no partnership {code!r} is hosted here")
    if record:
        await audit.record(viewer, partnership.code, _what(request), "shown", _address(request))
    request.state.viewed = partnership
    return partnership


def install(app: FastAPI) -> None:
    """The answer to NotSignedIn: a page (any path outside `/api/`) redirects to the sign-in form and back; JSON
    is a 401 with the Bearer challenge (RFC 6750)."""

    @app.exception_handler(NotSignedIn)
    async def not_signed_in(request: Request, exc: NotSignedIn) -> Response:
        if "/api/" not in request.url.path and not exc.invalid_key:
            back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?next={quote(back, safe='')}", status_code=303)
        message = ("this key cannot read figures: use a read key (python -m shared.auth create-read-key)"
                   if exc.invalid_key else "sign in, or send a read key: Authorization: Bearer <key>")
        challenge = CHALLENGE + (', error="invalid_token"' if exc.invalid_key else "")
        return problem(401, [error(["header", "authorization"], message, "unauthorized")],
                       headers={"WWW-Authenticate": challenge})


def _secure(request: Request) -> bool:
    configured = request.app.state.settings.cookie_secure
    if configured is not None:
        return configured
    return not (request.url.scheme == "http" and request.url.hostname in LOCAL_HOSTS)


def _local_path(target: str | None) -> str:
    """Where to go after signing in: a path on this site only (never `//elsewhere` or a full URL)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else "/"


def _sign_in_page(request: Request, *, status: int = 200, message: str | None = None, username: str = "",
                  target: str = "/", headers: dict | None = None) -> HTMLResponse:
    token = request.cookies.get(SIGN_IN_COOKIE)
    fresh = not token or len(token) > 64
    if fresh:
        token = secrets.token_urlsafe(24)
    response = TEMPLATES.TemplateResponse(request, "login.html", {
        "csrf": token, "message": message, "username": username, "next": target,
        "per_account": request.app.state.settings.login_failures_per_account,
        "oidc": request.app.state.settings.oidc_button if getattr(request.app.state, "oidc", None) else None}, status_code=status,
        headers=headers)
    if fresh:
        response.set_cookie(SIGN_IN_COOKIE, token, httponly=True, samesite="strict", secure=_secure(request),
                            path="/login")
    return response


@router.get("/login", response_class=HTMLResponse)
async def sign_in_form(request: Request, next: str | None = None) -> HTMLResponse:
    return _sign_in_page(request, target=_local_path(next))


@router.post("/login", response_class=HTMLResponse)
async def sign_in(request: Request, username: str = Form("", max_length=100), password: str = Form("", max_length=1024),
                  csrf: str = Form("", max_length=64), next: str = Form("/", max_length=2000)) -> Response:
    access, target = _access(request), _local_path(next)
    cookie = request.cookies.get(SIGN_IN_COOKIE, "")
    if not cookie or not hmac.compare_digest(cookie.encode(), csrf.encode()):
        return _sign_in_page(request, status=403, target=target,
                             message="This form had expired or did not come from this site. Please sign in again.")
    account, address = username.strip().lower(), _address(request)
    wait = await access.throttle.retry_after(account, address)
    if wait:
        minutes = max(1, round(wait / 60))
        return _sign_in_page(request, status=429, username=account, target=target, headers={"Retry-After": str(wait)},
                             message=f"Too many failed sign-ins. Try again in about {minutes} minute"
                                     f"{'s' if minutes != 1 else ''}.")
    found = await access.readers.get(account)
    reader, stored = found if found else (None, None)
    if not password_matches(stored, password) or reader is None or reader.disabled_at is not None:
        await access.throttle.failed(account, address)
        return _sign_in_page(request, status=401, username=account, target=target,
                             message="That username and password do not match an account.")
    await access.throttle.succeeded(account, address)
    if needs_rehash(stored):
        await access.readers.update(account, password_hash=hash_password(password))
    response = await session_started(request, account, target)
    response.delete_cookie(SIGN_IN_COOKIE, path="/login")
    return response


async def session_started(request: Request, username: str, target: str) -> RedirectResponse:
    """A new session for `username`, however they signed in: its cookie, on the way to `target`."""
    sessions = _access(request).sessions
    token, _ = await sessions.create(username, _address(request))
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax", secure=_secure(request), path="/",
                        max_age=int(sessions.policy.lifetime.total_seconds()))
    return response


@router.post("/logout")
async def sign_out(request: Request, csrf: str = Form("", max_length=64)) -> Response:
    viewer = await viewer_of(request)
    if viewer.session_csrf is None or not hmac.compare_digest(viewer.session_csrf.encode(), csrf.encode()):
        return problem(403, [error(["body", "csrf"], "this form did not come from this site's page", "forbidden")])
    await _access(request).sessions.revoke(request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
