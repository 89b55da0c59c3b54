"""How each notice reads (pure): an email's subject, plain text and HTML, and a webhook's JSON payload.

A notice says which thing (a statutory clock and its case id, an action, a KPI, a recommendation), when it is due
and how it stands, and links to the signed-in page that shows it: never a case's details. The webhook payload is
the Standard Webhooks shape, `{"type", "timestamp", "data"}`, one `type` per kind of notice (docs/alerts.md).
"""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any

from shared.events.reviews import CLOCKS
from services.notifier.notices import Candidate, Notice

KINDS = {  # kind -> how its subject line begins
    "clock.due_soon": "Due soon", "clock.due_today": "Due today", "clock.breached": "Breached",
    "action.due_soon": "Action due soon", "action.due_today": "Action due today", "action.overdue": "Action overdue",
    "kpi.off_track": "KPI off track", "kpi.missing": "KPI value missing",
    "recommendation.overdue": "Recommendation overdue",
    "digest.daily": "Today's digest", "digest.weekly": "This week's digest", "digest.learning": "Learning digest",
}


def _item(notice: Notice, item: dict) -> Notice:
    """One item of a digest, as a notice of its own kind (to say it the same way)."""
    facts = {k: v for k, v in item.items() if k not in ("kind", "topic", "subject", "owner", "rule", "page")}
    return Notice(notice.id, notice.subscription_id, notice.partnership,
                  Candidate("", item["kind"], item["topic"], item["subject"], item["owner"], item["rule"],
                            item["page"], facts))


def link(public_url: str, notice: Notice) -> str:
    return f"{public_url.rstrip('/')}/p/{notice.partnership}/{notice.candidate.page}"


def _what(notice: Notice) -> str:
    c, f = notice.candidate, notice.candidate.facts
    if c.kind == "digest.learning":
        return f"the learning digest of {f['period']}"
    if c.kind.startswith("digest."):
        n = len(f["items"])
        return f"{n} thing{'' if n == 1 else 's'} due soon, due or overdue ({f['period']})"
    if c.topic == "clocks":
        return f"{CLOCKS[c.rule].label} (case {c.subject})"
    if c.topic == "actions":
        return f"action {c.subject}: {f['title']}"
    if c.topic == "kpis":
        return f"KPI {f['title']}, {f['period']}"
    return f"recommendation {c.subject}"


def _when(notice: Notice) -> str:
    c, f = notice.candidate, notice.candidate.facts
    if c.kind == "digest.learning":
        return "is ready to read"
    if c.kind.startswith("digest."):
        return "need attention"
    if c.kind.endswith("due_soon"):
        left = f.get("working_days_left")
        return f"is due on {f['due']}: {left} working day{'' if left == 1 else 's'} left"
    if c.kind.endswith("due_today"):
        return f"is due today, {f['due']}"
    if c.kind == "clock.breached":
        return f"was due on {f['due']}: " + ("it was done late" if f["state"] == "missed" else "it is overdue")
    if c.kind.endswith("overdue"):
        return f"was due on {f['due']}: it is overdue"
    if c.kind == "kpi.off_track":
        return f"is off track: {f['value']} against {f['expected']} expected"
    return "has no value recorded, and it is due"


def subject(notice: Notice, partnership_name: str) -> str:
    return f"[{partnership_name}] {KINDS[notice.candidate.kind]}: {_what(notice)}"


def _listed(notice: Notice, public_url: str) -> list[tuple[str, str]]:
    """A digest's items, each as a sentence and the link to its page; a learning digest's PDF."""
    c = notice.candidate
    if c.kind == "digest.learning":
        return [("Its PDF", f"{public_url.rstrip('/')}/p/{notice.partnership}/{c.facts['pdf']}")]
    if not c.kind.startswith("digest."):
        return []
    return [(f"{_what(i)[:1].upper()}{_what(i)[1:]} {_when(i)}", link(public_url, i))
            for i in (_item(notice, item) for item in c.facts["items"])]


def text(notice: Notice, partnership_name: str, public_url: str) -> str:
    listed = "".join(f"- {line}: {url}\n" for line, url in _listed(notice, public_url))
    return (f"{partnership_name}\n\n{_what(notice)[:1].upper()}{_what(notice)[1:]} {_when(notice)}.\n\n"
            + (f"{listed}\n" if listed else "") +
            f"See it, signed in: {link(public_url, notice)}\n\n"
            f"You are told this because of subscription {notice.subscription_id}; the partnership's admin manages "
            "subscriptions. This notice carries no case details: the page shows them to those allowed to see them.\n")


def html_body(notice: Notice, partnership_name: str, public_url: str) -> str:
    url = html.escape(link(public_url, notice), quote=True)
    what = html.escape(_what(notice))
    return (f"<!doctype html><html lang=\"en\"><body style=\"font-family:sans-serif\">"
            f"<p><strong>{html.escape(partnership_name)}</strong></p>"
            f"<p>{what[:1].upper()}{what[1:]} {html.escape(_when(notice))}.</p>"
            + ("<ul>" + "".join(f"<li><a href=\"{html.escape(url, quote=True)}\">{html.escape(line)}</a></li>"
                                for line, url in _listed(notice, public_url)) + "</ul>"
               if _listed(notice, public_url) else "") +
            f"<p><a href=\"{url}\">See it, signed in</a></p>"
            f"<p style=\"color:#555;font-size:smaller\">You are told this because of subscription "
            f"{html.escape(notice.subscription_id)}. This notice carries no case details.</p></body></html>")


def payload(notice: Notice, public_url: str, decided_at: datetime) -> dict[str, Any]:
    """The webhook's body: Standard Webhooks' `type`, `timestamp` and `data`."""
    c = notice.candidate
    data = {"notice_id": notice.id, "partnership": notice.partnership, "subscription_id": notice.subscription_id,
            "subject": c.subject, "owner": c.owner, **({"rule": c.rule} if c.rule else {}),
            **({"threshold_working_days": c.threshold} if c.threshold is not None else {}),
            **{k: v for k, v in c.facts.items() if k != "rule"},
            "link": link(public_url, notice)}
    if "pdf" in data:
        data["pdf"] = f"{public_url.rstrip('/')}/p/{notice.partnership}/{data['pdf']}"
    for item in data.get("items", []):
        item["link"] = f"{public_url.rstrip('/')}/p/{notice.partnership}/{item.pop('page')}"
    return {"type": c.kind, "timestamp": decided_at.isoformat(), "data": data}
