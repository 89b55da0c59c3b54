"""The notifier process: it evaluates every partnership's clocks, actions, KPIs and recommendations each day and
after every projected event, decides the notices its subscriptions ask for (each once), and sends them, with
retries, backoff and dead letters (docs/architecture.md, docs/alerts.md).

It reads the figures the reporting service publishes (services.notifier.reporting), so a notice never says what a
page would not. It learns of a projected event from the partnership's read-model version (`api/version`), which it
asks for every `tick_s`; the day changing (in London) makes it evaluate every partnership again.
"""

from __future__ import annotations

import asyncio
from dataclasses import asdict
from datetime import date, datetime, timedelta, timezone

import httpx
import structlog
from prometheus_client import Counter, Gauge

from services.notifier import channels, render
from services.notifier.notices import (Candidate, Notice, action_candidates, clock_candidates, decide, kpi_candidates,
                                       recommendation_candidates)
from services.notifier.settings import NotifierSettings
from services.notifier.store import Notices
from shared.adapters.mongo.subscriptions import Subscriptions
from shared.subscriptions import Subscription
from services.notifier.reporting import Refused, ReportingClient
from shared.calendar import london_day
from shared.stopping import Stoppable
from shared.observability.metrics import one_of

log = structlog.get_logger("notifier")
CHANNELS = frozenset({"email", "webhook"})
SENT = Counter("notices_sent_total", "Notices sent", ["channel"])
FAILED = Counter("notices_failed_total", "Sends that failed (each attempt)", ["channel"])
RETRIED = Counter("notices_retried_total", "Failed sends put back to be tried again", ["channel"])
DEAD = Counter("notices_dead_lettered_total", "Notices given up after the last attempt or a lasting failure",
               ["channel"])
DECIDED = Counter("notices_decided_total", "Notices decided (each once)", ["kind"])
OLDEST = Gauge("notices_oldest_unsent_age_seconds", "Age of the oldest notice decided and not yet sent (0: none)")


def channel_label(value: str) -> str:
    return value if value in CHANNELS else "other"


async def gather(reporting: ReportingClient, partnership: str, day: date) -> list[Candidate]:
    """The candidates of a partnership on `day`: its figures as they stood at the end of that day, as the
    reporting service publishes them."""
    return [*clock_candidates(await reporting.clocks(partnership, day), day),
            *action_candidates(await reporting.actions(partnership, day), day),
            *kpi_candidates(await reporting.kpis(partnership, day), day),
            *recommendation_candidates(await reporting.recommendations(partnership, day), day)]


class Notifier(Stoppable):
    def __init__(self, settings: NotifierSettings, mongo, reporting: ReportingClient | None = None):
        self.settings = settings
        self.reporting = reporting or ReportingClient(settings.reporting_url, settings.reporting_read_key,
                                                      settings.reporting_read_key_file)
        self.notices = Notices(mongo[settings.mongodb_database])
        self.subscriptions = Subscriptions(mongo[settings.auth_database])
        self.mailer = channels.Mailer(settings.smtp_host, settings.smtp_port, settings.smtp_security,
                                      settings.smtp_username, settings.smtp_password, settings.smtp_ca_file,
                                      settings.smtp_timeout_s)
        self.hooks = channels.Hooks(settings.webhook_timeout_s)
        self._seen: dict[str, object] = {}  # partnership -> the read-model version last evaluated
        self._day: date | None = None
        self._stopping = asyncio.Event()

    def today(self) -> date:
        return self.settings.today or london_day(datetime.now(timezone.utc))

    async def evaluate(self, partnership: str, day: date, subscriptions: list[Subscription]) -> int:
        """Decide the partnership's notices for `day`; how many were new."""
        notices = decide(partnership, subscriptions, await gather(self.reporting, partnership, day), day)
        now = datetime.now(timezone.utc)
        new = 0
        for notice in notices:
            if await self.notices.decide(self._document(notice, day, now)):
                new += 1
                DECIDED.labels(one_of(frozenset(render.KINDS))(notice.candidate.kind)).inc()
                log.info("notice decided", notice=notice.id, kind=notice.candidate.kind, partnership=partnership,
                         subject=notice.candidate.subject, subscription=notice.subscription_id)
        return new

    def _document(self, notice: Notice, day: date, now: datetime) -> dict:
        c = notice.candidate
        return {"_id": notice.id, "partnership": notice.partnership, "subscription_id": notice.subscription_id,
                "kind": c.kind, "key": c.key, "subject": c.subject, "owner": c.owner, "day": day.isoformat(),
                "created_at": now, "candidate": asdict(c)}

    async def evaluate_changed(self) -> int:
        """Evaluate each partnership with subscriptions whose read model moved since it was last evaluated, or
        every one when the day has changed."""
        day = self.today()
        subscriptions = [s for s in await self.subscriptions.all() if not s.disabled]
        by_partnership: dict[str, list[Subscription]] = {}
        for s in subscriptions:
            by_partnership.setdefault(s.partnership, []).append(s)
        if day != self._day:
            self._seen.clear()
            self._day = day
        new = 0
        hosted = await self.reporting.partnerships()
        for partnership, subs in sorted(by_partnership.items()):
            if partnership not in hosted:  # not hosted, or not readable with the notifier's key: said once a day
                if self._seen.get(partnership) != "unread":
                    log.warning("subscriptions of a partnership the notifier cannot read", partnership=partnership)
                    self._seen[partnership] = "unread"
                continue
            version = await self.reporting.version(partnership)
            key = (version, tuple(sorted(s.id for s in subs)))
            if self._seen.get(partnership) == key:
                continue
            new += await self.evaluate(partnership, day, subs)
            self._seen[partnership] = key
        return new

    async def send_due(self) -> int:
        """Send every notice due now; how many were sent."""
        sent = 0
        names = await self.reporting.partnerships()
        for doc in await self.notices.due(datetime.now(timezone.utc)):
            claimed = await self.notices.claim(doc, datetime.now(timezone.utc), self.settings.lease_s)
            if claimed is None:
                continue
            sent += await self._send(claimed, names.get(claimed["partnership"], claimed["partnership"]))
        oldest = await self.notices.oldest_unsent()
        OLDEST.set((datetime.now(timezone.utc) - oldest.replace(tzinfo=oldest.tzinfo or timezone.utc))
                   .total_seconds() if oldest else 0)
        return sent

    async def _send(self, doc: dict, name: str) -> int:
        subscription = await self.subscriptions.get(doc["subscription_id"])
        now = datetime.now(timezone.utc)
        if subscription is None or subscription.disabled:
            await self.notices.failed(doc, now, "the subscription was removed or disabled", None)
            DEAD.labels("other").inc()
            return 0
        recipient = subscription.recipient
        label = channel_label(recipient.channel)
        notice = _notice(doc)
        if self.settings.pause_before_send_s:
            await asyncio.sleep(self.settings.pause_before_send_s)
        try:
            if recipient.channel == "email":
                domain = self.settings.smtp_from.rsplit("@", 1)[-1].rstrip(">") or "scp.example"
                await self.mailer.send(channels.email_message(
                    notice.id, self.settings.smtp_from, str(recipient.address), render.subject(notice, name),
                    render.text(notice, name, self.settings.public_url),
                    render.html_body(notice, name, self.settings.public_url), domain, now))
            else:
                await self.hooks.send(str(recipient.url), recipient.secret, notice.id,
                                      render.payload(notice, self.settings.public_url, doc["created_at"]), now)
        except channels.SendFailed as exc:
            FAILED.labels(label).inc()
            attempts = doc["attempts"] + 1
            retry_at = None
            if exc.retry and attempts < self.settings.max_attempts:
                wait = min(self.settings.backoff_max_s, self.settings.backoff_base_s * 2 ** (attempts - 1))
                retry_at = now + timedelta(seconds=wait)
            status = await self.notices.failed(doc, now, exc.reason, retry_at)
            (RETRIED if status == "pending" else DEAD).labels(label).inc()
            log.warning("notice not sent", notice=doc["_id"], channel=label, attempts=attempts, status=status,
                        reason=exc.reason)
            return 0
        await self.notices.sent(doc["_id"], datetime.now(timezone.utc))
        SENT.labels(label).inc()
        log.info("notice sent", notice=doc["_id"], channel=label, kind=doc["kind"], partnership=doc["partnership"])
        return 1

    async def run(self) -> None:
        await self.notices.prepare()
        log.info("notifier started", today=self.today().isoformat())
        while not self._stopping.is_set():
            try:
                await self.evaluate_changed()
                await self.send_due()
            except (httpx.HTTPError, Refused) as exc:  # reporting not up yet, or the key refused: the next tick
                log.warning("the reporting service cannot be read", reason=f"{type(exc).__name__}: {exc}"[:300])
            except Exception:  # a database or network fault: say so, and try again at the next tick
                log.exception("notifier tick failed")
            try:
                await asyncio.wait_for(self._stopping.wait(), timeout=self.settings.tick_s)
            except TimeoutError:
                pass
        await self.hooks.close()
        await self.reporting.close()
        log.info("notifier stopped")



def _notice(doc: dict) -> Notice:
    return Notice(doc["_id"], doc["subscription_id"], doc["partnership"], Candidate(**doc["candidate"]))
