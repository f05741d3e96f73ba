"""What HIPAA Safe Harbor (45 CFR 164.514(b)(2)) has `phiguard redact` do with each
identifier the analysis found: keep it (staff, public figures, the organization's own contact
details, a date not linked to a patient) or replace it, and with what:

- a patient's name -> a neutral phrase ("a patient", "the reviewer") or an initial;
- dates linked to a patient -> the year only (no year: "(date removed)"); ages over 89 ->
  "90 or older";
- 5-digit ZIP codes -> removed; street addresses, rooms and beds, record, account, plan and
  device numbers, phone numbers, e-mail addresses, patients' handles -> a neutral token.

deidentify.py decides where in the file each replacement goes and runs it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..analysis.core import Analysis, Entity
from ..masking import Masker

if TYPE_CHECKING:
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
    "IP_ADDRESS": "(address removed)",
    "STREET_ADDRESS": "(address removed)",
    "PHONE_NUMBER": "(phone removed)",
    "EMAIL_ADDRESS": "(e-mail removed)",
    "SOCIAL_HANDLE": "(handle removed)",
}
MASKER = Masker()
# Names that stay: staff, public figures, the organization, actors in a simulation, the
# authors a post quotes, and capitalised words NER took for a name. Every other name goes,
# also one with no patient evidence of its own: redaction removes what could identify.
KEPT_NAME_ROLES = {"staff", "public", "org", "sim", "author", "noise"}
# Identifiers that are numbers: a match with fewer digits than this is a word, not a number.
NUMBER_TYPES = {"MRN", "ACCOUNT_NUMBER", "US_HEALTH_INSURANCE_MEMBER_ID", "US_MBI", "US_SSN",
                "DEVICE_ID", "LICENSE_PLATE", "US_DRIVER_LICENSE", "US_PASSPORT",
                "US_BANK_NUMBER", "CREDIT_CARD", "PHONE_NUMBER"}
MIN_NUMBER_DIGITS = 3
REPLY_KINDS = {"reply", "review_reply"}
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_FULL_DATE = re.compile(
    r"\d{1,2}[/.-]\d{1,2}[/.-](?P<year>\d{4})|"
    r"(?:\d{1,2} )?[A-Za-z]{3,9}\.? (?:\d{1,2}(?:st|nd|rd|th)?,? )?(?P<year2>\d{4})")
_SPECIFIC_DATE = re.compile(
    r"\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\b", re.I)


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


def _noise_that_is_a_name(entity: Entity, analysis: Analysis) -> bool:
    """A "name" NER found that the role pass set aside as a capitalised word, though none of
    its words is common vocabulary ("Ottoline Brackwater", unlike "Vital Signs")."""
    if entity.role != "noise":
        return False
    words = re.findall(r"[^\W\d_]+", analysis.text[entity.start:entity.end])
    return bool(words) and all(MASKER.could_be_name(w) for w in words)


def is_patient_identifier(entity: Entity) -> bool:
    """A name or handle redaction removes: anyone's but staff, public figures, the
    organization, actors and quoted authors."""
    return entity.type in ("PERSON", "SOCIAL_HANDLE") and entity.role not in KEPT_NAME_ROLES


def replacement_for(entity: Entity, analysis: Analysis, patients: list[Entity],
               org: dict[str, Any], options: RedactOptions) -> Callable[[str], str] | None:
    kind = entity.type
    if kind == "PERSON":
        if entity.role in KEPT_NAME_ROLES and not _noise_that_is_a_name(entity, analysis):
            return None  # staff, public figures, the organization
        return _name_transform(entity, analysis, options)
    if kind == "AGE_OVER_89":
        return _age_over_89
    if kind == "DATE_OF_BIRTH":
        return year_only
    if kind == "DATE_TIME":
        value = analysis.text[entity.start:entity.end].strip()
        if value.isdigit() and len(value) <= 3:  # "92": an age the tagger read as a date
            return _age_over_89 if int(value) >= 90 else None
        if not _SPECIFIC_DATE.search(value):
            return None  # "this week", "Saturday": no date element to remove
        return year_only if _near_patient(entity, analysis, patients) else None
    if kind == "ZIP_CODE":
        return REMOVE if not _is_own(entity, analysis, org) else None
    if kind == "LOCATION":  # a town or county where a patient lives or was treated
        if _is_own(entity, analysis, org) or not _same_sentence(entity, analysis, patients):
            return None
        return lambda _old: "(place removed)"
    if kind == "SOCIAL_HANDLE" and not is_patient_identifier(entity):
        return None
    if kind in ("PHONE_NUMBER", "EMAIL_ADDRESS", "STREET_ADDRESS") and _is_own(entity, analysis,
                                                                               org):
        return None
    if kind in TOKENS:
        if kind in NUMBER_TYPES and not _enough_digits(analysis.text[entity.start:entity.end]):
            return None  # "platelets", "O2": a number type with no number in it
        token = TOKENS[kind]
        return lambda _old: token
    return None


def _enough_digits(value: str) -> bool:
    return sum(ch.isdigit() for ch in value) >= MIN_NUMBER_DIGITS


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


def _same_sentence(entity: Entity, analysis: Analysis, patients: list[Entity]) -> bool:
    lo, hi = analysis.sentence(entity.start)
    return any(lo <= p.start < hi for p in patients)


def _near_patient(entity: Entity, analysis: Analysis, patients: list[Entity]) -> bool:
    """A date in the same sentence as a patient's identifier, or any date in a reply about
    someone's care: those are "dates directly related to an individual"."""
    if _same_sentence(entity, analysis, patients):
        return True
    return analysis.draft.kind in REPLY_KINDS or analysis.draft.kind == "testimonial"


def year_only(old: str) -> str:
    """ "born 03/14/1958" -> "born 1958"; "May 3, 2025" -> "2025"; no year: removed."""
    if _FULL_DATE.search(old):
        return _FULL_DATE.sub(lambda m: m.group("year") or m.group("year2"), old)
    year = _YEAR.search(old)
    return year.group(0) if year else "(date removed)"


def in_year(old: str) -> str:
    """ "on May 3, 2025" -> "in 2025" (a year is not "on")."""
    kept = year_only(old[3:])
    return f"in {kept}" if _YEAR.fullmatch(kept) else old[:3] + kept


def _is_own(entity: Entity, analysis: Analysis, org: dict[str, Any]) -> bool:
    """The organization's own phone, e-mail or address, as configured under `org:`."""
    value = analysis.text[entity.start:entity.end].lower()
    digits = re.sub(r"\D", "", value)[-10:]
    if digits and digits in {re.sub(r"\D", "", p)[-10:] for p in org.get("phones", [])}:
        return True
    if any(str(d).lower().lstrip("@") in value
           for d in [*org.get("domains", []), *org.get("emails", [])]):
        return True
    return any(value in str(a).lower() for a in org.get("addresses", []))
