"""What an identifier becomes once safeharbor.py has decided it goes: the token for its
type, a neutral phrase or an initial for a name (RedactOptions), the year alone for a date,
"90-plus" for an age over 89, the label kept before a removed postcode.

This is a module of its own so that the wording a redacted post reads with, and the options
that choose it, are in one place apart from the decision (roles, dates near a patient, links,
the organization's own details), and so that deidentify.py can apply a replacement itself
("on May 3, 2025" -> "in 2025") without going through that decision.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..analysis.core import Analysis, Entity
    from ..config import Settings


# Identifiers that are PHI whoever they belong to, and the token each becomes.
TOKENS = {
    "MRN": "(record number removed)",
    "ROOM_NUMBER": "(room removed)",
    "ACCOUNT_NUMBER": "(account number removed)",
    "US_HEALTH_INSURANCE_MEMBER_ID": "(plan number removed)",
    "US_MBI": "(plan number removed)",
    "US_SSN": "(number removed)",
    "DEVICE_ID": "(device number removed)",
    "LICENSE_PLATE": "(plate removed)",
    "US_DRIVER_LICENSE": "(licence removed)",
    "US_PASSPORT": "(number removed)",
    "US_BANK_NUMBER": "(account number removed)",
    "CREDIT_CARD": "(card number removed)",
    "IBAN_CODE": "(account number removed)",
    "IP_ADDRESS": "(address removed)",
    "STREET_ADDRESS": "(address removed)",
    "POSTAL_ADDRESS": "(address removed)",
    "PHONE_NUMBER": "(phone removed)",
    "EMAIL_ADDRESS": "(e-mail removed)",
    "SOCIAL_HANDLE": "(handle removed)",
}
REPLY_KINDS = {"reply", "review_reply"}
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_CLOCK = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?"
_FULL_DATE = re.compile(
    rf"\d{{1,2}}[/.-]\d{{1,2}}[/.-](?P<year>\d{{4}}){_CLOCK}|(?P<year3>\d{{4}})-\d{{1,2}}-\d{{1,2}}{_CLOCK}"
    r"|(?:\d{1,2}(?:st|nd|rd|th)? (?:of )?)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
    r"[a-z]{0,6}\.? (?:\d{1,2}(?:st|nd|rd|th)?,? )?(?P<year2>\d{4})", re.I)


@dataclass
class RedactOptions:
    names: str = "phrase"  # phrase | initial
    patient_phrase: str = "a patient"
    reviewer_phrase: str = "the reviewer"

    @classmethod
    def from_settings(cls, settings: Settings) -> RedactOptions:
        return cls(**(getattr(settings, "redact", None) or {}))


def REMOVE(_old: str) -> str:
    return ""


def _place_removed(_old: str) -> str:
    return "(place removed)"


def _link_removed(_old: str) -> str:
    return "(link removed)"


_ZIP_LABEL = re.compile(r"(?:zip|post(?:al)?)(?:\s*code)?\b[^\d]*?(?=[A-Z\d]*\d)", re.I)


def _postcode_after_label(old: str) -> str:
    """ "my zip code is 2371" -> "my zip code is (removed)": the sentence still reads."""
    label = _ZIP_LABEL.match(old)
    return (label.group(0) if label else "") + "(removed)"


_AGE_NUMBER = re.compile(r"\b(?:9\d|1[01]\d)(?:st|nd|rd|th)?\b")
_ORDINAL_BIRTHDAY = re.compile(r"\b(?:9\d|1[01]\d)(?:st|nd|rd|th)\s+(?=(?:birthday|bday)\b)",
                               re.I)


def _age_over_89(old: str) -> str:
    """Safe Harbor folds ages over 89 into one group: "94th birthday" -> "birthday",
    "94-year-old" -> "90-plus-year-old", "turned 93" -> "turned 90-plus"."""
    if _ORDINAL_BIRTHDAY.search(old):
        return _ORDINAL_BIRTHDAY.sub("", old)
    return _AGE_NUMBER.sub("90-plus", old)


def _name_transform(entity: Entity, analysis: Analysis,
                    options: RedactOptions) -> Callable[[str], str]:
    if options.names == "initial":
        return lambda old: old.strip()[:1].upper() + "."
    reviewer = entity.role == "addressee" and analysis.draft.kind in REPLY_KINDS
    phrase = options.reviewer_phrase if reviewer else options.patient_phrase
    if starts_sentence(analysis.text, entity.start):
        phrase = phrase[:1].upper() + phrase[1:]
    return lambda _old: phrase


def starts_sentence(text: str, offset: int) -> bool:
    before = text[:offset].rstrip(" \t*_\"'(")
    return not before or before[-1] in ".!?\n:"


def year_only(old: str) -> str:
    """ "born 03/14/1958" -> "born 1958"; "May 3, 2025" -> "2025"; no year: removed."""
    if _FULL_DATE.search(old):
        return _FULL_DATE.sub(lambda m: m.group("year") or m.group("year2") or m.group("year3"),
                              old)
    year = _YEAR.search(old)
    return year.group(0) if year else "(date removed)"


def in_year(old: str) -> str:
    """ "on May 3, 2025" -> "in 2025" (a year is not "on"); "On ..." -> "In 2025"."""
    kept = year_only(old[3:])
    if not _YEAR.fullmatch(kept):
        return old[:3] + kept
    return f"{'In' if old[:1].isupper() else 'in'} {kept}"
