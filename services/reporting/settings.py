from typing import Literal

from pydantic import AnyHttpUrl

from shared.settings import Settings


class ReportingSettings(Settings):
    service_name: str = "reporting"
    port: int = 8000
    mongodb_database: str = "reporting"
    consumer_group: str = "reporting-projector"
    metrics_port: int = 9100
    max_batch: int = 500
    pause_before_commit_s: float = 0.0  # fault injection for the crash tests only

    # Readers' sessions and sign-in (services/reporting/entrypoints/access.py, docs/readers.md)
    session_hours: float = 8.0  # a session ends this long after sign-in
    session_idle_minutes: float = 60.0  # or after this long without a request
    login_window_minutes: float = 15.0  # failed sign-ins are counted in windows this long
    login_failures_per_account: int = 5  # then that account is refused until the window ends
    login_failures_per_address: int = 20  # then that address is refused until the window ends
    # The session cookie is `Secure` unless served over plain HTTP to localhost (a developer's machine); set
    # COOKIE_SECURE=true to require HTTPS there too, or false only behind a proxy that speaks HTTPS for this service.
    cookie_secure: bool | None = None

    # OpenID Connect (services/reporting/entrypoints/oidc.py): set the issuer to offer it on the sign-in form.
    oidc_issuer: AnyHttpUrl | None = None  # e.g. https://login.microsoftonline.com/<tenant>/v2.0
    oidc_client_id: str = ""
    oidc_client_secret: str = ""  # empty: a public client (PKCE alone)
    oidc_token_auth_method: Literal["client_secret_basic", "client_secret_post"] = "client_secret_basic"
    oidc_scopes: str = "openid email profile"
    oidc_redirect_url: AnyHttpUrl | None = None  # this service's /login/oidc/callback as the provider knows it
    oidc_state_secret: str = ""  # signs the cookie holding a sign-in's state: the same on every replica
    oidc_button: str = "your organisation's account"  # the form's "Sign in with ..." wording
