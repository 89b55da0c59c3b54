"""A reader signs in with their organisation's account: OpenID Connect's authorization code flow with PKCE, against
a real provider run by the test (tests/oidc_provider, mockoidc), which checks the PKCE verifier itself."""

from __future__ import annotations

from contextlib import AsyncExitStack
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from services.reporting.entrypoints.api import build as build_reporting
from tests.oidc import provider as run_provider

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def provider():
    with run_provider() as running:
        yield running


@pytest.fixture
async def reporting(stack, provider):
    """A reporting app that offers OpenID Connect sign-in, on the stack's databases, and a browser for it."""
    settings = stack.reporting_settings.model_copy(update={
        "oidc_issuer": provider.issuer, "oidc_client_id": provider.client_id,
        "oidc_client_secret": provider.client_secret, "oidc_state_secret": "the tests' state secret",
        "oidc_token_auth_method": "client_secret_post"})  # what mockoidc accepts
    app = build_reporting(settings)
    async with AsyncExitStack() as exit_stack:
        await exit_stack.enter_async_context(app.router.lifespan_context(app))
        yield await exit_stack.enter_async_context(httpx.AsyncClient(
            transport=httpx.ASGITransport(app), base_url="https://reporting.example"))


async def _to_provider(browser: httpx.AsyncClient, next: str = "/p/doncaster/") -> str:
    """Start signing in; return the provider's answer's redirect back to us (its authorization code)."""
    form = await browser.get("/login", params={"next": next})
    assert "Sign in with your organisation" in form.text
    start = await browser.get("/login/oidc", params={"next": next})
    assert start.status_code == 302
    asked = parse_qs(urlsplit(start.headers["location"]).query)
    assert asked["code_challenge_method"] == ["S256"] and len(asked["code_challenge"][0]) == 43
    assert asked["scope"] == ["openid email profile"] and asked["nonce"] and asked["state"]
    async with httpx.AsyncClient() as outside:  # the browser at the provider, which authenticates the person
        authorized = await outside.get(start.headers["location"])
    assert authorized.status_code == 302
    return authorized.headers["location"]


async def test_a_reader_with_an_account_signs_in_with_their_organisation(stack, provider, reporting):
    await stack.reader("alice@example.org", "lqi", ("doncaster",), name="Alice Smith")
    provider.signs_in_next("alice@example.org")
    back = await _to_provider(reporting)
    assert back.startswith("https://reporting.example/login/oidc/callback?")
    done = await reporting.get(back)
    assert done.status_code == 303 and done.headers["location"] == "/p/doncaster/"
    assert "HttpOnly" in done.headers["set-cookie"] and "Secure" in done.headers["set-cookie"]
    page = await reporting.get("/p/doncaster/")
    assert page.status_code == 200 and "Alice Smith" in page.text and "LQI group member" in page.text
    assert (await reporting.get("/p/rotherham/api/dashboard")).status_code == 404


async def test_an_authorization_code_is_useless_without_the_pkce_verifier(stack, provider, reporting):
    await stack.reader("bob@example.org", "board")
    provider.signs_in_next("bob@example.org")
    back = await _to_provider(reporting)
    code = parse_qs(urlsplit(back).query)["code"][0]
    async with httpx.AsyncClient() as thief:  # someone who caught the code, but not the verifier in our cookie
        stolen = await thief.post(provider.issuer + "/token", data={
            "grant_type": "authorization_code", "code": code, "client_id": provider.client_id,
            "client_secret": provider.client_secret, "redirect_uri": "https://reporting.example/login/oidc/callback"})
    assert stolen.status_code == 401 and "code verifier" in stolen.text


async def test_the_provider_authenticates_but_the_account_decides(stack, provider, reporting):
    provider.signs_in_next("nobody@example.org")  # a real person at the provider, with no account here
    refused = await reporting.get(await _to_provider(reporting))
    assert refused.status_code == 403 and "no account here for nobody@example.org" in refused.text
    assert "scp_session" not in refused.headers.get("set-cookie", "")

    await stack.reader("carol@example.org", "board")
    provider.signs_in_next("carol@example.org", verified=False)
    unverified = await reporting.get(await _to_provider(reporting))
    assert unverified.status_code == 403 and "no verified e-mail" in unverified.text


async def test_a_callback_without_its_state_is_refused(reporting):
    forged = await reporting.get("/login/oidc/callback", params={"code": "made-up", "state": "made-up"})
    assert forged.status_code == 401 and "did not complete" in forged.text
    assert "scp_session" not in forged.headers.get("set-cookie", "")


async def test_without_an_issuer_the_form_offers_passwords_only(stack):
    form = await (await stack.browser()).get("/login")
    assert form.status_code == 200 and "organisation" not in form.text
    assert (await (await stack.browser()).get("/login/oidc")).status_code == 404
