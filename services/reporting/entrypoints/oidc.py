"""Signing in with OpenID Connect, for deployments whose readers have an organisation's account (Microsoft Entra ID,
Keycloak, any provider with discovery): the authorization code flow with PKCE (S256), by Authlib.

Set OIDC_ISSUER, OIDC_CLIENT_ID (and OIDC_CLIENT_SECRET for a confidential client) and the sign-in form offers it.
The provider authenticates; the account says what the person may read. A reader is let in only when an account
exists whose username is the ID token's verified `email` (made by the partnership's admin with
`python -m shared.auth add-reader --username alice@example.org --no-password ...`), and it is not disabled. The
session that follows is the same as a password sign-in's.

While the browser is at the provider, the flow's state (Authlib's: `state`, the PKCE `code_verifier`, the `nonce`)
travels in a signed cookie of its own, `scp_oidc` (Starlette's SessionMiddleware, signed with OIDC_STATE_SECRET),
which lives at most 10 minutes.
"""

from __future__ import annotations

import secrets

import structlog
from authlib.integrations.base_client import OAuthError
from authlib.integrations.starlette_client import OAuth
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import Response
from starlette.middleware.sessions import SessionMiddleware

from services.reporting.entrypoints.access import (_access, _local_path, _sign_in_page,
                                                   session_started)
from services.reporting.settings import ReportingSettings

STATE_COOKIE = "scp_oidc"
log = structlog.get_logger("oidc")
router = APIRouter(include_in_schema=False)


def configure(app: FastAPI, settings: ReportingSettings) -> None:
    """Register the provider and the state cookie, when OIDC_ISSUER is set."""
    app.state.oidc = None
    if not settings.oidc_issuer:
        return
    oauth = OAuth()
    oauth.register("provider", client_id=settings.oidc_client_id, client_secret=settings.oidc_client_secret or None,
                   server_metadata_url=f"{str(settings.oidc_issuer).rstrip('/')}/.well-known/openid-configuration",
                   client_kwargs={"scope": settings.oidc_scopes, "code_challenge_method": "S256",
                                  "token_endpoint_auth_method": settings.oidc_token_auth_method
                                  if settings.oidc_client_secret else "none"})
    app.state.oidc = oauth.provider
    secure = settings.cookie_secure if settings.cookie_secure is not None else not str(
        settings.oidc_redirect_url or "").startswith(("http://127.0.0.1", "http://localhost"))
    app.add_middleware(SessionMiddleware, secret_key=settings.oidc_state_secret or secrets.token_urlsafe(32),
                       session_cookie=STATE_COOKIE, max_age=600, same_site="lax", https_only=secure)


def _redirect_url(request: Request) -> str:
    configured = request.app.state.settings.oidc_redirect_url
    return str(configured) if configured else str(request.url_for("oidc_callback"))


@router.get("/login/oidc")
async def oidc_start(request: Request, next: str | None = None) -> Response:
    provider = request.app.state.oidc
    if provider is None:
        return _sign_in_page(request, status=404, message="Signing in with an organisation's account is not set up "
                                                          "here: use your username and password.")
    request.session.clear()
    request.session["next"] = _local_path(next)
    return await provider.authorize_redirect(request, _redirect_url(request))


@router.get("/login/oidc/callback", name="oidc_callback")
async def oidc_callback(request: Request) -> Response:
    provider = request.app.state.oidc
    if provider is None:
        return _sign_in_page(request, status=404, message="Signing in with an organisation's account is not set up.")
    target = _local_path(request.session.get("next"))
    try:
        token = await provider.authorize_access_token(request)
    except OAuthError as exc:
        log.info("OIDC sign-in refused", error=exc.error, description=exc.description)
        return _sign_in_page(request, status=401, target=target,
                             message="Your organisation's sign-in did not complete. Please try again.")
    finally:
        request.session.clear()
    claims = token.get("userinfo") or {}
    email = str(claims.get("email") or "").strip().lower()
    if not email or claims.get("email_verified") is not True:
        return _sign_in_page(request, status=403, target=target,
                             message="Your organisation's account gave no verified e-mail address to sign in with.")
    access = _access(request)
    found = await access.readers.get(email)
    if found is None or found[0].disabled_at is not None:
        log.info("OIDC sign-in without an account", subject=claims.get("sub"))
        return _sign_in_page(request, status=403, target=target,
                             message=f"There is no account here for {email}: ask your partnership's administrator.")
    return await session_started(request, email, target)
