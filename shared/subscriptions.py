"""Who is told about what, how and when: a partnership's subscriptions (pure, no I/O).

A subscription names one recipient (an email address, or a webhook URL with its signing secret), what they are
told about (statutory clocks, actions, KPIs, recommendations, each narrowed to some clock rules and to some owner
agencies, or all; and the LQI learning digest), and when (working days before a due day, on the due day, on a breach
or when overdue, when a KPI turns off track or misses a value; a daily or weekly digest; the learning digest each
month or quarter). Kept in the auth database's `subscriptions` collection (shared.adapters.mongo.subscriptions), read by the notifier
(services.notifier), managed with
`python -m shared.auth add-subscription|list-subscriptions|remove-subscription` (docs/alerts.md).
"""

from __future__ import annotations

import secrets
from base64 import b64encode
from datetime import datetime
from typing import Annotated, Literal

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, EmailStr, Field, model_validator

from shared.events.reviews import ClockName
from shared.partnerships import CODE

Topic = Literal["clocks", "actions", "kpis", "recommendations", "learning"]
TOPICS: tuple[Topic, ...] = ("clocks", "actions", "kpis", "recommendations")  # the default: all but "learning"
LEARNING = "learning"  # the LQI group's learning digest, a link to it once each month or quarter has ended
AgencyCode = Annotated[str, Field(pattern=CODE)]


class Recipient(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    channel: Literal["email", "webhook"]
    address: EmailStr | None = Field(None, description="For email: where the notices go.")
    url: AnyHttpUrl | None = Field(None, description="For a webhook: where the notices are POSTed.")
    secret: str | None = Field(None, description="For a webhook: its Standard Webhooks signing secret (whsec_...).")
    name: str = Field("", max_length=120, description="Who it is, as the admin calls them (an agency's safeguarding "
                                                      "inbox, the LQI group).")

    @model_validator(mode="after")
    def _one_channel(self):
        if self.channel == "email" and (self.address is None or self.url is not None):
            raise ValueError("an email recipient has an address and no url")
        if self.channel == "webhook" and (self.url is None or not self.secret or self.address is not None):
            raise ValueError("a webhook recipient has a url and a secret, and no address")
        return self

    @property
    def shown(self) -> str:
        return str(self.address) if self.channel == "email" else str(self.url)


class When(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    before_working_days: tuple[Annotated[int, Field(ge=1, le=60)], ...] = Field(
        (), max_length=5, description="Working days before a due day to be told (of clocks and actions).")
    on_due_day: bool = True
    on_breach: bool = True  # a clock missed or overdue, an action or recommendation overdue
    kpi_off_track: bool = True
    kpi_missing: bool = True
    digest: Literal["none", "daily", "weekly"] = Field("none", description="Also one email a day (each working day) "
                                                       "or a week listing everything covered that is due soon, due "
                                                       "or overdue.")
    learning_digest: Literal["month", "quarter"] = Field("quarter", description="With the topic `learning`: the "
                                                         "learning digest of each month or quarter, once it ends.")


class Subscription(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^sub_[A-Za-z0-9_-]{8,40}$")
    partnership: str = Field(pattern=CODE)
    recipient: Recipient
    topics: tuple[Topic, ...] = Field(TOPICS, min_length=1)
    rules: tuple[ClockName, ...] = Field((), description="Only these statutory clocks; none: every clock.")
    owners: tuple[AgencyCode, ...] = Field((), description="Only what these agencies own; none: whoever owns it.")
    when: When = When()
    created_at: datetime | None = None
    disabled: bool = False

    def covers(self, topic: str, owner: str | None, rule: str | None = None) -> bool:
        """Whether this subscription is told about a thing of `topic`, owned by `owner` (of clock `rule`)."""
        if self.disabled or topic not in self.topics:
            return False
        if topic == LEARNING:  # the partnership's, owned by no agency
            return True
        if self.owners and owner not in self.owners:
            return False
        return not (topic == "clocks" and self.rules and rule not in self.rules)


def new_id() -> str:
    return f"sub_{secrets.token_urlsafe(12)}"


def new_webhook_secret() -> str:
    """A Standard Webhooks secret: `whsec_` and 32 random bytes in base64."""
    return "whsec_" + b64encode(secrets.token_bytes(32)).decode()
