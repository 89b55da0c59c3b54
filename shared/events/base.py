"""What every event contract has in common: the field types, strict and bounded.

Every field of every contract is bounded (strings by length or pattern, lists by count, numbers by
range), so that an event can never outgrow what Kafka accepts. Types are strict: a number sent as a
string, or a boolean sent as 0 or 1, is refused rather than coerced. Text refuses control and
bidirectional-override characters and text made only of spaces or invisible characters, and
references and text refuse anything that looks like personal data (shared.events.privacy).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from typing import Annotated, ClassVar

from pydantic import AfterValidator, AwareDatetime, BeforeValidator, BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from shared.events.privacy import (FREE_TEXT_PATTERN, TITLE_PATTERN, refuse_blank_text, refuse_control_characters,
                                   refuse_control_characters_multiline, refuse_personal_data)

EARLIEST_YEAR, LATEST_YEAR = 1970, 2099


# RFC 3339 `date-time` (section 5.6): a full date, `T`, a full time with optional fractions, and `Z` or an offset.
# Anything else pydantic would read (epoch seconds as a number or as a string like "1609459200", a date alone,
# a time without seconds or without an offset) is refused, on ingest and in the projector alike.
_AFTER_THE_YEAR = (r"-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[Tt]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
                   r"(\.[0-9]{1,9})?([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$")
RFC3339_DATE_TIME = r"^[0-9]{4}" + _AFTER_THE_YEAR
_DATE_TIME = re.compile(RFC3339_DATE_TIME)
# as published: the same, with the years that can be inside 1970-2099 in UTC once the offset is applied
_PUBLISHED_DATE_TIME = r"^(19(69|[7-9][0-9])|20[0-9][0-9]|2100)" + _AFTER_THE_YEAR


def _rfc3339_only(value: object) -> object:
    """Only an RFC 3339 date-time string (or a datetime, from code): no numbers read as epoch seconds."""
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not _DATE_TIME.fullmatch(value):
        raise ValueError("must be an RFC 3339 date-time string with its offset, e.g. 2021-11-02T09:30:00Z")
    return value


def _in_range_utc(value: datetime) -> datetime:
    """The instant in UTC, refused unless its UTC year is 1970 to 2099.

    The range applies to the instant, not to the year the sender wrote: `1970-01-01T00:00:00+23:59` is in 1969
    in UTC, and the event is published in UTC, so ingest and the projector (which reads the published form)
    decide alike. The written year is checked first, so converting never overflows (year 9999 less an offset).
    """
    if not EARLIEST_YEAR - 1 <= value.year <= LATEST_YEAR + 1:
        raise ValueError(f"must be between the years {EARLIEST_YEAR} and {LATEST_YEAR} (in UTC)")
    value = value.astimezone(timezone.utc)
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValueError(f"must be between the years {EARLIEST_YEAR} and {LATEST_YEAR} (in UTC)")
    return value


PseudonymousRef = Annotated[
    str,
    Field(pattern=r"^[A-Za-z0-9_-]{6,64}$", min_length=6, max_length=64,
          description="A pseudonymous reference made by the emitting agency, e.g. by the recipe in partners.md (a keyed "
                      "hash of its own identifier): never a name, NHS number or address."),
    AfterValidator(refuse_personal_data),
]
AgencyCode = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{1,62}$", max_length=63,
                                  description="An agency's code, e.g. south-yorkshire-police.")]
Identifier = Annotated[str, Field(pattern=r"^[A-Za-z0-9_.:-]{1,64}$", max_length=64,
                                  description="An identifier chosen by the emitting system.")]
Moment = Annotated[AwareDatetime, BeforeValidator(_rfc3339_only), AfterValidator(_in_range_utc),
                   Field(description="An RFC 3339 date-time with its offset; the instant, in UTC, between "
                                     "1970-01-01T00:00:00Z and 2099-12-31T23:59:59Z.",
                         json_schema_extra={"pattern": _PUBLISHED_DATE_TIME})]


def _a_date_string(value: object) -> object:
    """Only `YYYY-MM-DD` (or a date object, from code): no times, no numbers read as epoch days."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise ValueError("must be a date, YYYY-MM-DD")
    return value


def _in_years(value: date) -> date:
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValueError(f"must be between the years {EARLIEST_YEAR} and {LATEST_YEAR}")
    return value


# a calendar date that is a fact (a due date, the day of awareness): distinct from the envelope's `time`
Day = Annotated[date, BeforeValidator(_a_date_string), AfterValidator(_in_years),
                Field(description="A date, YYYY-MM-DD, between 1970 and 2099.",
                      json_schema_extra={"maxLength": 10,
                                         "pattern": r"^(19[7-9][0-9]|20[0-9][0-9])-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"})]


_MOMENT, _DAY = TypeAdapter(Moment), TypeAdapter(Day)


def read_moment(text: str) -> datetime:
    """A `Moment` outside an event (a query's `as_of`), by the same rules, in UTC. Raises ValueError saying why."""
    return _read(_MOMENT, text)


def read_day(text: str) -> date:
    """A `Day` outside an event, by the same rules. Raises ValueError saying why."""
    return _read(_DAY, text)


def _read(adapter: TypeAdapter, text: str):
    try:
        return adapter.validate_python(text)
    except ValidationError as exc:
        raise ValueError(exc.errors()[0]["msg"].removeprefix("Value error, ")) from None


def _a_number(value: object) -> object:
    """Refuse a number sent as a string, or a boolean, which pydantic would otherwise read as an integer."""
    if isinstance(value, (str, bool, bytes)):
        raise ValueError("must be a JSON number, not a string or a boolean")
    return value


Count = Annotated[int, BeforeValidator(_a_number)]


def Title(max_length: int = 200) -> type[str]:  # noqa: N802: a type factory, read as a type
    """One line of text (a title, a name of a thing): visible, no control characters, no personal data."""
    return Annotated[str, Field(min_length=1, max_length=max_length, json_schema_extra={"pattern": TITLE_PATTERN}),
                     AfterValidator(refuse_control_characters), AfterValidator(refuse_blank_text),
                     AfterValidator(refuse_personal_data)]


def FreeText(max_length: int = 4000) -> type[str]:  # noqa: N802
    """Free text (a note, a summary): visible, line breaks allowed, other control characters and personal data not."""
    return Annotated[str, Field(min_length=1, max_length=max_length, json_schema_extra={"pattern": FREE_TEXT_PATTERN}),
                     AfterValidator(refuse_control_characters_multiline), AfterValidator(refuse_blank_text),
                     AfterValidator(refuse_personal_data)]


class EventData(BaseModel):
    """The `data` of one event type. Frozen; unknown fields are refused.

    `type_name` is the CloudEvents type; `aggregate` names the field whose value keys the event on
    Kafka, so that one aggregate's events stay in order.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")
    type_name: ClassVar[str]
    aggregate: ClassVar[str]
    summary: ClassVar[str] = ""
    decided_by_service: ClassVar[bool] = False
    superseded_by: ClassVar[str | None] = None  # a newer version's type: this one is still read, and upcast

    def aggregate_id(self) -> str:
        return str(getattr(self, self.aggregate))

    def upcast(self) -> "EventData":
        """This event as the next version of its type says it (a superseded version overrides it). Readers see only
        the current version: shared.events.catalogue.parse_data upcasts until it gets there."""
        return self


class Decision(EventData):
    """What a domain service decided from a fact a partner sent (a clock's due date, whether a cancellation was
    late, a KPI's value from its numerator and denominator): published by the service that owns the rule, beside
    the fact, in the same write, so that every reader is told the outcome rather than working it out again.

    A decision is never sent by a partner (ingest refuses its type). Its envelope is the fact's own moment, agency,
    partnership and correlation id, with the service as `source` (shared.events.envelope.decision_of).
    """

    decided_by_service: ClassVar[bool] = True
