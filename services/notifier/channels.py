"""Sending a notice: email over SMTP (aiosmtplib: STARTTLS or implicit TLS, authentication) and webhooks signed
as the Standard Webhooks specification describes (the reference `standardwebhooks` library).

A send either succeeds, or raises `SendFailed` saying whether trying again could help: a receiver's 5xx, a timeout
or a refused connection could; a 4xx, or a recipient the mail server refuses for good (5xx SMTP replies), could not.
The email's `Message-ID` and the webhook's `webhook-id` are the notice's id, so a receiver can tell a notice sent
again (after the notifier died between sending it and recording that it had) from a new one.
"""

from __future__ import annotations

import json
import ssl
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime

import aiosmtplib
import httpx
from standardwebhooks.webhooks import Webhook


class SendFailed(Exception):
    def __init__(self, reason: str, retry: bool):
        super().__init__(reason)
        self.reason, self.retry = reason, retry


def email_message(notice_id: str, sender: str, to: str, subject: str, text: str, html: str, domain: str,
                  when: datetime) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message["Date"] = format_datetime(when)
    message["Message-ID"] = f"<{notice_id}@{domain}>"
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies to it
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


class Mailer:
    """SMTP with the settings' TLS and authentication: `starttls` upgrades a plain connection (port 587), `tls`
    connects over TLS (port 465), neither sends in the clear (a local sink only)."""

    def __init__(self, host: str, port: int, security: str = "starttls", username: str = "", password: str = "",
                 ca_file: str | None = None, timeout_s: float = 30.0):
        self.host, self.port, self.security = host, port, security
        self.username, self.password, self.timeout_s = username, password, timeout_s
        self.context = ssl.create_default_context(cafile=ca_file) if security != "none" else None

    async def send(self, message: EmailMessage) -> None:
        try:
            await aiosmtplib.send(message, hostname=self.host, port=self.port, timeout=self.timeout_s,
                                  use_tls=self.security == "tls", start_tls=self.security == "starttls",
                                  tls_context=self.context, username=self.username or None,
                                  password=self.password or None)
        except aiosmtplib.SMTPRecipientsRefused as exc:
            codes = [r.code for r in exc.recipients]
            raise SendFailed(f"recipient refused: {codes}", retry=all(400 <= c < 500 for c in codes)) from exc
        except aiosmtplib.SMTPResponseException as exc:
            raise SendFailed(f"SMTP {exc.code}: {exc.message}"[:300], retry=400 <= exc.code < 500) from exc
        except (aiosmtplib.SMTPException, OSError) as exc:  # could not connect, timed out, TLS failed
            raise SendFailed(f"{type(exc).__name__}: {exc}"[:300], retry=True) from exc


class Hooks:
    """Webhooks: a POST of the payload's JSON with `webhook-id`, `webhook-timestamp` and `webhook-signature`."""

    def __init__(self, timeout_s: float = 10.0):
        self.client = httpx.AsyncClient(timeout=timeout_s, follow_redirects=False)

    async def send(self, url: str, secret: str, notice_id: str, body: dict, when: datetime) -> None:
        data = json.dumps(body, separators=(",", ":"), ensure_ascii=False)
        signature = Webhook(secret).sign(notice_id, when, data)
        headers = {"content-type": "application/json", "webhook-id": notice_id,
                   "webhook-timestamp": str(int(when.timestamp())), "webhook-signature": signature,
                   "user-agent": "scp-notifier"}
        try:
            response = await self.client.post(url, content=data.encode(), headers=headers)
        except httpx.HTTPError as exc:  # a timeout, a refused connection
            raise SendFailed(f"{type(exc).__name__}: {exc}"[:300], retry=True) from exc
        if response.status_code >= 500 or response.status_code == 429:
            raise SendFailed(f"HTTP {response.status_code}", retry=True)
        if response.status_code >= 300:
            raise SendFailed(f"HTTP {response.status_code}", retry=False)

    async def close(self) -> None:
        await self.client.aclose()
