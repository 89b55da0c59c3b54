"""The partnership admin's page of notices: who is told about what, how and when (shared.subscriptions), with a
form to add an email subscription and a button to remove one. The same subscriptions the admin CLI manages
(`python -m shared.auth add-subscription ...`) and the notifier reads (docs/alerts.md). Only the partnership's
admins see it; every change is on the audit log, and each form carries the session's CSRF token."""

from __future__ import annotations

import hmac
from datetime import datetime, timezone

from fastapi import APIRouter, Form, HTTPException, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError

from services.reporting.entrypoints.access import TEMPLATES, viewed
from services.reporting.entrypoints.common import PartnershipCode
from shared.adapters.mongo.subscriptions import Subscriptions
from shared.events.reviews import CLOCKS
from shared.partnerships import Partnership
from shared.subscriptions import LEARNING, TOPICS, Recipient, Subscription, When, new_id

router = APIRouter(include_in_schema=False)
SubscriptionId = Path(pattern=r"^sub_[A-Za-z0-9_-]{8,40}$", max_length=44)


def _store(request: Request) -> Subscriptions:
    return Subscriptions(request.app.state.runtime.mongo[request.app.state.runtime.settings.auth_database])


async def _admin(request: Request, partnership: str) -> Partnership:
    found = await viewed(request, partnership)
    if not request.state.viewer.may_audit(found.code):
        raise HTTPException(403, "only the partnership's admins manage its notices")
    return found


def _checked(request: Request, csrf: str) -> None:
    token = request.state.viewer.session_csrf
    if token is None or not hmac.compare_digest(token.encode(), csrf.encode()):
        raise HTTPException(403, "this form did not come from this site's page")


async def _page(request: Request, found: Partnership, message: str = "", status_code: int = 200) -> HTMLResponse:
    subscriptions = await _store(request).all(found.code)
    return TEMPLATES.TemplateResponse(request, "notices.html", {
        "viewer": request.state.viewer, "partnership": found, "subscriptions": subscriptions, "topics": TOPICS, "learning": LEARNING,
        "clocks": CLOCKS, "message": message}, status_code=status_code)


@router.get("/p/{partnership}/notices", response_class=HTMLResponse)
async def notices_page(request: Request, partnership: str = PartnershipCode) -> HTMLResponse:
    return await _page(request, await _admin(request, partnership))


@router.post("/p/{partnership}/notices/subscriptions")
async def add(request: Request, partnership: str = PartnershipCode, csrf: str = Form("", max_length=64),
              email: str = Form(..., max_length=254), name: str = Form("", max_length=120),
              topic: list[str] = Form([]), owner: str = Form("", max_length=63), before: str = Form("", max_length=20),
              digest: str = Form("none", max_length=8)):
    found = await _admin(request, partnership)
    _checked(request, csrf)
    try:
        days = tuple(sorted({int(n) for n in before.replace(",", " ").split()}))
        subscription = Subscription(
            id=new_id(), partnership=found.code, recipient=Recipient(channel="email", address=email, name=name),
            topics=tuple(topic) or TOPICS, owners=(owner,) if owner else (),
            when=When(before_working_days=days, digest=digest),
            created_at=datetime.now(timezone.utc))
    except (ValueError, ValidationError) as exc:
        reason = exc.errors()[0]["msg"] if isinstance(exc, ValidationError) else str(exc)
        return await _page(request, found, f"Not added: {reason}", status_code=422)
    await _store(request).add(subscription)
    return RedirectResponse(f"/p/{found.code}/notices", status_code=303)


@router.post("/p/{partnership}/notices/subscriptions/{subscription_id}/remove")
async def remove(request: Request, partnership: str = PartnershipCode, subscription_id: str = SubscriptionId,
                 csrf: str = Form("", max_length=64)):
    found = await _admin(request, partnership)
    _checked(request, csrf)
    if not await _store(request).remove(subscription_id, found.code):
        raise HTTPException(404, f"no subscription {subscription_id} in {found.code}")
    return RedirectResponse(f"/p/{found.code}/notices", status_code=303)
