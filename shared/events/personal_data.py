"""What personal data looks like in text: the kinds the privacy guard refuses, and how each is found.

`personal_data_in(text)` names the first kind found, or None. Text is normalised first (Unicode
NFKC, so full-width and other compatibility forms read as what they show; every format character,
such as a zero-width space or a soft hyphen, taken out), so that what a reader sees is what is
checked. The kinds, in the order they are looked for:

- an NHS number (shared.events.nhs_numbers);
- an email address: `local@domain.tld`;
- a phone number, found by Google's libphonenumber (`phonenumbers.PhoneNumberMatcher`, region GB):
  a valid number written as one, or a number written the UK way (`07…` with 11 digits, `+44…`)
  whose length is possible, so that numbers from ranges kept for fiction (`07700 900123`) count;
  a bare 10-digit figure without its leading 0 is not a phone number;
- a UK postcode, by the UK Government Data Standards pattern (BS 7666), whole words only and in
  either case, so that ids and figures do not match by chance; an ordinal (`KS2 3rd`) is not one;
- a date of birth: a full date (`12/03/2015`, `12-3-15`, `12 March 2015`, `March 12, 2015`,
  `2015-03-12`) within a few words of DOB, D.O.B., date of birth, born or birthday;
- a person's name with an age: two capitalised names followed by `(aged 7)`, `, aged 7`, `age 7`,
  `7 years old` or `7-year-old`. Ranges and bands (`aged 0-2`, `aged 5 to 11`, `aged 16+`) are
  not an age, and words that describe groups (`Children`, `Year`, `Family Hub`) are not names.

Names in general cannot be found reliably (a name is a word like any other); only a name next to
an age is. Partners are told so (docs/partners.md).
"""

from __future__ import annotations

import re
import unicodedata

import phonenumbers

from shared.events.nhs_numbers import nhs_numbers_in

NHS_NUMBER = "an NHS number"
EMAIL_ADDRESS = "an email address"
PHONE_NUMBER = "a phone number"
POSTCODE = "a postcode"
DATE_OF_BIRTH = "a date of birth"
NAME_WITH_AGE = "a person's name with their age"
KINDS = (NHS_NUMBER, EMAIL_ADDRESS, PHONE_NUMBER, POSTCODE, DATE_OF_BIRTH, NAME_WITH_AGE)


def personal_data_in(text: str) -> str | None:
    """The first kind of personal data `text` seems to hold (e.g. "a phone number"), or None."""
    if nhs_numbers_in(text):
        return NHS_NUMBER
    readable = readable_form(text)
    for kind, found in ((EMAIL_ADDRESS, _has_email_address), (PHONE_NUMBER, _has_phone_number),
                        (POSTCODE, _has_postcode), (DATE_OF_BIRTH, _has_date_of_birth),
                        (NAME_WITH_AGE, _has_name_with_age)):
        if found(readable):
            return kind
    return None


def readable_form(text: str) -> str:
    """`text` as a reader sees it: NFKC-normalised, without format characters (zero-width space, soft hyphen)."""
    return "".join(c for c in unicodedata.normalize("NFKC", text) if unicodedata.category(c) != "Cf")


_LOCAL_PART = r"[\w.!#$%&'*+/=?^`{|}~-]"
_EMAIL = re.compile(rf"(?<!{_LOCAL_PART}){_LOCAL_PART}+@[^\W_](?:[\w-]*[^\W_])?(?:\.[^\W_](?:[\w-]*[^\W_])?)*\.[^\W\d_]{{2,}}")


def _has_email_address(text: str) -> bool:
    return _EMAIL.search(text) is not None


# what every phone number the rules below accept has: a + or a 0, then at least nine more digits
_PHONE_LIKE = re.compile(r"[+0](?:[^\w+]{0,4}[0-9]){9}")


# More phone-shaped runs than this in one text is a list of numbers: refused without asking the matcher, whose
# cost on text dense with number-like groups is tens of microseconds a character (a request of such text would
# hold a worker for minutes). Governance text quotes a phone number rarely, never dozens.
MAX_PHONE_LIKE_RUNS = 20


def _has_phone_number(text: str) -> bool:
    runs = 0
    for _ in _PHONE_LIKE.finditer(text):
        runs += 1
        if runs > MAX_PHONE_LIKE_RUNS:
            return True
    if not runs:
        return False  # most text: no need to ask the matcher
    for match in phonenumbers.PhoneNumberMatcher(text, "GB", leniency=phonenumbers.Leniency.POSSIBLE):
        if _inside_a_word(text, match.start, match.end) or not phonenumbers.is_possible_number(match.number):
            continue
        raw = match.raw_string.lstrip("( ")
        digits = re.sub(r"\D", "", raw)
        if (raw.startswith("+") and len(digits) >= 10) or (raw.startswith("00") and len(digits) >= 12):
            return True  # +44 7700 900123, 0044 7700 900123
        national = raw.startswith("0") and not raw.startswith("00")
        if national and (len(digits) == 11 or phonenumbers.is_valid_number(match.number)):
            return True  # 07700 900123 (a range kept for fiction: possible, not valid), 0114 496 0123
    return False


def _inside_a_word(text: str, start: int, end: int) -> bool:
    """Digits run on from letters or digits (`att-00068e6f`) are part of an id, not a phone number."""
    return (start > 0 and text[start - 1].isalnum()) or (end < len(text) and text[end].isalnum())


# The UK Government Data Standards Catalogue's postcode pattern: outward code (A9, A99, AA9, AA99,
# A9A, AA9A), an optional space, inward code (9AA); GIR 0AA. Letters are those Royal Mail uses.
_OUTWARD = (r"(?:[A-PR-UWYZ][0-9][0-9]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?|[A-PR-UWYZ][0-9][A-HJKPSTUW]"
            r"|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])")
_INWARD = r"[0-9][ABD-HJLNP-UW-Z]{2}"
_POSTCODE = re.compile(rf"(?<![^\W_])(?:GIR(?P<gap>\s*)0AA|{_OUTWARD}(?P<space>\s*)(?P<inward>{_INWARD}))(?![^\W_])",
                       re.IGNORECASE)
_ORDINAL = re.compile(r"[0-9](?:st|nd|rd|th)")


def _has_postcode(text: str) -> bool:
    return any(_is_postcode(m) for m in _POSTCODE.finditer(text))


def _is_postcode(match: re.Match) -> bool:
    """Written with its space in either case (`DN1 3BU`, `dn1 3bu`), or without it in capitals (`DN13BU`): a
    short lower-case id (`aq35jg`) is not a postcode, and neither is an ordinal (`KS2 3rd`)."""
    if match.group("inward") and _ORDINAL.fullmatch(match.group("inward")):
        return False
    return bool(match.group("space") or match.group("gap")) or match.group().isupper()


_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_DASH = "\\-\u2010-\u2015\u2212"
_DATE_SEP = rf"\s*[/.{_DASH}]\s*"
_DAY = r"(?:0?[1-9]|[12][0-9]|3[01])(?:st|nd|rd|th)?"
_DATE = (rf"(?:{_DAY}{_DATE_SEP}(?:0?[1-9]|1[0-2]){_DATE_SEP}(?:[0-9]{{4}}|[0-9]{{2}})"  # 12/03/2015, 12-3-15
         rf"|[0-9]{{4}}{_DATE_SEP}(?:0?[1-9]|1[0-2]){_DATE_SEP}(?:0?[1-9]|[12][0-9]|3[01])"  # 2015-03-12
         rf"|{_DAY}(?:\s+of)?[\s{_DASH}]*{_MONTH}[\s{_DASH},]*(?:[0-9]{{4}}|'?[0-9]{{2}})"  # 12 March 2015, 12-Mar-15
         rf"|{_MONTH}\s+{_DAY},?\s+[0-9]{{4}})(?![0-9])")  # March 12, 2015
_BIRTH = r"(?:d\s*\.?\s*o\s*\.?\s*b\b\.?|date\s+of\s+birth|birth\s*date|born|birthday)"
_LINK = r"[\W_]{0,6}"  # spaces and punctuation between a birth word and its date: `DOB: `, ` (`, ` - `
_DATE_OF_BIRTH = re.compile(rf"(?<![^\W_]){_BIRTH}{_LINK}(?:(?:on|is|was|the){_LINK}){{0,3}}{_DATE}"  # born on the 12th
                            rf"|(?<![^\W_]){_DATE}{_LINK}(?:(?:is|was|her|his|their|the){_LINK}){{0,2}}{_BIRTH}",
                            re.IGNORECASE)


def _has_date_of_birth(text: str) -> bool:
    return _DATE_OF_BIRTH.search(text) is not None


def _character_class(test) -> str:
    """A regular-expression class of every character for which `test` is true, as ranges."""
    ranges, start, previous = [], None, None
    for code in range(0x10000):  # the Basic Multilingual Plane: every script's names, and quick at import
        if test(chr(code)):
            if start is None:
                start = code
            previous = code
        elif start is not None:
            ranges.append((start, previous))
            start = None
    if start is not None:
        ranges.append((start, previous))
    return "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)


_CAPITAL = _character_class(lambda c: c.isupper() or c.istitle())
_NAME = rf"(?>[{_CAPITAL}][^\W\d_]*(?:['\u2019{_DASH}][^\W\d_]+)*)"  # atomic: never re-read, so linear
_AGE = r"[0-9]{1,2}"
_YEARS_OLD = rf"(?:years?|yrs?)[\s{_DASH}]*old"
_AGE_PHRASE = (rf"(?:\s*\(\s*(?:aged?\s*)?{_AGE}(?:\s*{_YEARS_OLD}|[\s{_DASH}]*years?)?\s*\)"  # (aged 7), (7 years old)
               rf"|,?\s+aged?\s*{_AGE}"  # , aged 7; age 7
               rf"|,?\s+(?:an?\s+)?{_AGE}[\s{_DASH}]*{_YEARS_OLD})")  # 7 years old, 7-year-old, a 7-year-old
# a range, a band or a bound is about a group of children, not one child
_NOT_ONE_AGE = rf"(?![0-9]|\s*[{_DASH}+]|\s*(?:to|and|or)\b|\s*(?:&|plus\b))"
_NAME_WITH_AGE = re.compile(rf"(?<![\w'\u2019{_DASH}])(?=(?P<first>{_NAME})\s+(?P<last>{_NAME}){_AGE_PHRASE}{_NOT_ONE_AGE})")
# capitalised words that, before an age, describe a group or a service rather than name a person
_NOT_NAMES = frozenset("""
    adolescents adults aged all babies boys care carers child children cohort early families family girls group
    groups help hub hubs infants key learners looked people pupil pupils school schools stage student students
    teenagers those toddlers under over young year years
""".split())


def _has_name_with_age(text: str) -> bool:
    return any(m.group("first").lower() not in _NOT_NAMES and m.group("last").lower() not in _NOT_NAMES
               for m in _NAME_WITH_AGE.finditer(text))
