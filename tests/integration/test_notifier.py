"""The notifier on the real servers: a serious incident's notification clock told to its owner by email one working
day before it is due and on its breach, each once, also across a SIGKILL mid-send; signed webhooks a receiver can
verify, retried on a 5xx and not on a 4xx; an overdue action and an off-track KPI told to their owner. The mail
server is aiosmtpd with STARTTLS and authentication, its certificate from a test CA (trustme); the webhook receiver
a real HTTP server."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import ssl
import subprocess
import sys
from datetime import date, datetime, timezone
from email import message_from_bytes, policy

import pytest
import trustme
import uvicorn
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from standardwebhooks.webhooks import Webhook, WebhookVerificationError
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route

from services.notifier.reporting import ReportingClient
from services.notifier.runner import OLDEST, RETRIED, SENT, Notifier
from services.notifier.settings import NotifierSettings
from shared.adapters.mongo.subscriptions import Subscriptions
from shared.calendar import add_working_days, london_day, next_working_day_from
from shared.events.envelope import new_event
from shared.subscriptions import Recipient, Subscription, When, new_id, new_webhook_secret
from tests.harness import eventually

pytestmark = pytest.mark.integration
INBOX = "safeguarding@council.example.org"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """An SMTP server's handler keeping every message it accepts."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.messages.append(message_from_bytes(envelope.original_content or envelope.content, policy=policy.default))
        return "250 OK"


@pytest.fixture
def mail_server(tmp_path):
    """aiosmtpd on a free port, offering STARTTLS with a certificate from a test CA, and requiring AUTH."""
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(context)
    inbox, port = Inbox(), free_port()

    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = auth_data.login == b"notifier" and auth_data.password == b"correct horse"
        return AuthResult(success=ok)

    controller = Controller(inbox, hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True,
                            authenticator=authenticate, auth_require_tls=True)
    controller.start()
    yield inbox, port, str(ca_file)
    controller.stop()


def notifier_settings(stack, smtp_port: int, ca_file: str, reporting_url: str = "http://unused", **extra) \
        -> NotifierSettings:
    return NotifierSettings(
        mongodb_url=stack.mongo_url, auth_database=f"{stack.prefix}auth", mongodb_database=f"{stack.prefix}notifier",
        reporting_url=reporting_url, reporting_read_key=stack.read_key, public_url="https://scp.example.org",
        smtp_host="127.0.0.1", smtp_port=smtp_port, smtp_security="starttls", smtp_username="notifier",
        smtp_password="correct horse", smtp_ca_file=ca_file, metrics_port=0, log_format="console",
        backoff_base_s=0.2, tick_s=0.2, **extra)


def in_process(settings: NotifierSettings, stack) -> Notifier:
    """A notifier reading the stack's reporting app in-process, with the stack's read key."""
    return Notifier(settings, stack.mongo, ReportingClient("http://reporting", stack.read_key,
                                                           client=stack.reporting))


async def served(stack) -> str:
    """The stack's reporting app on a real port, for a notifier run as its own process; stopped with the stack."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(stack.reporting_app, host="127.0.0.1", port=port, lifespan="off",
                                           log_level="warning"))
    task = asyncio.create_task(server.serve())
    await eventually(lambda: asyncio.sleep(0, server.started), timeout_s=10)

    async def stop():
        server.should_exit = True
        await task

    stack._exit.push_async_callback(stop)
    return f"http://127.0.0.1:{port}"


def _env(settings: NotifierSettings) -> dict:
    fields = settings.model_dump(exclude_none=True)
    return {**os.environ, **{k.upper(): str(v) for k, v in fields.items()}}


async def _incident(stack, aware_on: date) -> None:
    key = await stack.key("doncaster-council", ("reviews.serious_incident.*",), ("doncaster",))
    event = new_event("reviews.serious_incident.recorded.v1",
                      {"incident_id": "si-n1", "case_ref": "case-2026-0001", "aware_on": aware_on.isoformat()},
                      partnership="doncaster", agency="doncaster-council", source="/tests/council")
    assert (await stack.post(event, key, service="reviews")).status_code == 202


async def _subscribe(stack, **fields) -> Subscription:
    subscription = Subscription(id=new_id(), partnership="doncaster", **fields)
    return await Subscriptions(stack.mongo[f"{stack.prefix}auth"]).add(subscription)


async def test_a_notification_clock_is_told_a_working_day_before_it_is_due_and_on_its_breach_once_across_a_sigkill(
        stack, mail_server):
    inbox, port, ca_file = mail_server
    today = next_working_day_from(london_day(datetime.now(timezone.utc)))  # "today", as the notifier is told it
    aware_on = add_working_days(today, -3)
    await _incident(stack, aware_on)
    await stack.start_projector()
    await eventually(stack.caught_up, timeout_s=60)
    clocks = await stack.figures("reviews/clocks", as_of=today.isoformat())
    (clock,) = [c for c in clocks["clocks"] if c["rule"] == "serious_incident_notification"]
    due = date.fromisoformat(clock["due"])
    assert clock["working_days_left"] == 2
    await _subscribe(stack, recipient=Recipient(channel="email", address=INBOX, name="Council"), topics=("clocks",),
                     owners=("doncaster-council",), when=When(before_working_days=(1,)))

    # today, two working days out: nothing yet
    quiet = in_process(notifier_settings(stack, port, ca_file, today=today), stack)
    await quiet.notices.prepare()
    assert await quiet.evaluate_changed() == 0

    # the working day before it is due, the notifier is killed while sending: restarted, it sends the notice once
    eve = add_working_days(due, -1)
    settings = notifier_settings(stack, port, ca_file, reporting_url=await served(stack), today=eve, lease_s=1.0)
    killed = subprocess.Popen([sys.executable, "-m", "services.notifier"],
                              env=_env(settings.model_copy(update={"pause_before_send_s": 60.0})))
    notices = stack.mongo[f"{stack.prefix}notifier"]["notices"]
    try:
        await eventually(lambda: notices.find_one({"status": "sending"}), timeout_s=60)
    finally:
        killed.send_signal(signal.SIGKILL)
        killed.wait(timeout=10)
    assert inbox.messages == []  # it died before sending
    restarted = subprocess.Popen([sys.executable, "-m", "services.notifier"], env=_env(settings))
    try:
        await eventually(lambda: notices.find_one({"status": "sent"}), timeout_s=60)
        await asyncio.sleep(1.5)  # a tick or more: nothing more to send
    finally:
        restarted.send_signal(signal.SIGTERM)
        restarted.wait(timeout=20)
    (message,) = inbox.messages
    assert message["To"] == INBOX and "Due soon: Serious incident notified to the national Panel (case si-n1)" \
        in message["Subject"]
    body = message.get_body(("plain",)).get_content()
    assert f"due on {due.isoformat()}: 1 working day left" in body
    assert f"https://scp.example.org/p/doncaster/reviews?as_of={eve.isoformat()}#clocks" in body
    assert "case-2026-0001" not in message.as_string()  # never the case's details

    # asked again that day, and after a restart: nothing new
    again = in_process(settings, stack)
    assert await again.evaluate_changed() == 0 and await again.send_due() == 0

    # the day after it was due, not notified: one breach notice
    after = next_working_day_from(date.fromordinal(due.toordinal() + 1))
    late = in_process(notifier_settings(stack, port, ca_file, today=after), stack)
    assert await late.evaluate_changed() == 1 and await late.send_due() == 1
    assert await late.evaluate_changed() == 0 and await late.send_due() == 0
    assert [m["Subject"].split(": ")[0].split("] ")[1] for m in inbox.messages] == ["Due soon", "Breached"]
    assert len({m["Message-ID"] for m in inbox.messages}) == 2


class Receiver:
    """A webhook receiver answering each request with the next status of `statuses` (then 204)."""

    def __init__(self, statuses=()):
        self.requests, self.statuses = [], list(statuses)

    async def endpoint(self, request):
        self.requests.append((dict(request.headers), await request.body()))
        return Response(status_code=self.statuses.pop(0) if self.statuses else 204)


@pytest.fixture
async def receiver():
    hooks, port = Receiver(), free_port()
    server = uvicorn.Server(uvicorn.Config(Starlette(routes=[Route("/hooks", hooks.endpoint, methods=["POST"])]),
                                           host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    task = asyncio.create_task(server.serve())
    await eventually(lambda: asyncio.sleep(0, server.started), timeout_s=10)
    yield hooks, f"http://127.0.0.1:{port}/hooks"
    server.should_exit = True
    await task


def _months_before(today: date, n: int) -> str:
    month = today.year * 12 + today.month - 1 - n
    return f"{month // 12}-{month % 12 + 1:02d}"


async def _strategy(stack, today: date) -> None:
    """A plan with an action due ten days ago, never started, and a monthly KPI below its target in the last two
    months (the last one's value recorded: off track, not missing)."""
    key = await stack.key("dscp", ("strategy.*",), ("doncaster",))
    past = date.fromordinal(today.toordinal() - 10).isoformat()
    two, one = _months_before(today, 2), _months_before(today, 1)
    events = [
        new_event("strategy.strategy.published.v1", {"strategy_id": "plan", "kind": "delivery_plan",
                                                     "title": "Delivery plan", "starts_on": "2026-04-01",
                                                     "ends_on": "2027-03-31", "owner_agency": "dscp"},
                  partnership="doncaster", agency="dscp", source="/tests/dscp"),
        new_event("strategy.priority.published.v1", {"priority_id": "p1", "strategy_id": "plan", "number": 1,
                                                     "title": "Neglect"},
                  partnership="doncaster", agency="dscp", source="/tests/dscp"),
        new_event("strategy.action.planned.v1", {"action_id": "p1-a", "priority_id": "p1", "title": "Audit neglect",
                                                 "owner_agency": "dscp", "due_on": past},
                  partnership="doncaster", agency="dscp", source="/tests/dscp"),
        new_event("strategy.kpi.defined.v1", {"kpi_id": "gcp-use", "title": "Graded Care Profile used",
                                              "strategy_id": "plan", "numerator": "Cases with a GCP", "unit": "percent",
                                              "period_type": "month", "trajectory": "target_only",
                                              "target": {"value": 100, "on": f"{today.year + 1}-03-31"},
                                              "reporting_from": two},
                  partnership="doncaster", agency="dscp", source="/tests/dscp"),
        *(new_event("strategy.kpi_value.recorded.v1", {"kpi_id": "gcp-use", "period": period, "value": 60,
                                                       "source": "Audit"},
                    partnership="doncaster", agency="dscp", source="/tests/dscp") for period in (two, one)),
    ]
    response = await stack.post(events, key, service="strategy")
    assert response.status_code == 202, response.text


async def test_signed_webhooks_an_overdue_action_and_an_off_track_kpi_each_told_once_to_their_owner(
        stack, receiver, mail_server):
    hooks, url = receiver
    hooks.statuses = [503]  # the first attempt fails: tried again
    _, port, ca_file = mail_server
    today = london_day(datetime.now(timezone.utc))
    await _strategy(stack, today)
    await stack.start_projector()
    await eventually(stack.caught_up, timeout_s=60)
    secret = new_webhook_secret()
    await _subscribe(stack, recipient=Recipient(channel="webhook", url=url, secret=secret, name="DSCP"),
                     topics=("actions", "kpis"), owners=("dscp",))
    notifier = in_process(notifier_settings(stack, port, ca_file, today=today), stack)
    await notifier.notices.prepare()
    sent_before, retried_before = SENT.labels("webhook")._value.get(), RETRIED.labels("webhook")._value.get()
    assert await notifier.evaluate_changed() == 2
    await notifier.send_due()
    await asyncio.sleep(0.5)  # the backoff after the 503
    await notifier.send_due()
    assert await notifier.evaluate_changed() == 0 and await notifier.send_due() == 0
    delivered = [(h, b) for h, b in hooks.requests]
    assert len(delivered) == 3  # one 503, then both
    kinds = {}
    for headers, body in delivered:
        payload = Webhook(secret).verify(body, headers)  # a valid signature
        kinds.setdefault(payload["type"], set()).add(headers["webhook-id"])
        with pytest.raises(WebhookVerificationError):
            Webhook(new_webhook_secret()).verify(body, headers)  # a wrong secret fails
    assert {k: len(v) for k, v in kinds.items()} == {"action.overdue": 1, "kpi.off_track": 1}
    action = next(json.loads(b) for h, b in delivered if json.loads(b)["type"] == "action.overdue")
    assert action["data"]["action_id"] == "p1-a" and action["data"]["owner"] == "dscp"
    assert action["data"]["link"] == f"https://scp.example.org/p/doncaster/strategy?as_of={today.isoformat()}"
    kpi = next(json.loads(b) for h, b in delivered if json.loads(b)["type"] == "kpi.off_track")
    assert (kpi["data"]["period"], kpi["data"]["value"]) == (_months_before(today, 1), 60.0)
    notices = stack.mongo[f"{stack.prefix}notifier"]["notices"]
    assert await notices.count_documents({"status": "sent"}) == 2
    assert SENT.labels("webhook")._value.get() - sent_before == 2  # the metrics say so too
    assert RETRIED.labels("webhook")._value.get() - retried_before == 1
    assert OLDEST._value.get() == 0  # nothing left unsent


async def test_a_receivers_4xx_is_not_tried_again_and_is_dead_lettered_with_its_reason(stack, receiver,
                                                                                        mail_server):
    hooks, url = receiver
    hooks.statuses = [410, 410, 410]
    _, port, ca_file = mail_server
    today = london_day(datetime.now(timezone.utc))
    await _strategy(stack, today)
    await stack.start_projector()
    await eventually(stack.caught_up, timeout_s=60)
    await _subscribe(stack, recipient=Recipient(channel="webhook", url=url, secret=new_webhook_secret()),
                     topics=("actions",))
    notifier = in_process(notifier_settings(stack, port, ca_file, today=today), stack)
    await notifier.notices.prepare()
    assert await notifier.evaluate_changed() == 1
    await notifier.send_due()
    await asyncio.sleep(0.5)
    await notifier.send_due()
    assert len(hooks.requests) == 1
    dead = await stack.mongo[f"{stack.prefix}notifier"]["notices"].find_one({"status": "dead"})
    assert dead["last_error"] == "HTTP 410" and dead["attempts"] == 1
