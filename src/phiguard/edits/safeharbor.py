"""What HIPAA Safe Harbor (45 CFR 164.514(b)(2)) has `phiguard redact` do with each
identifier the analysis found: keep it (staff, public figures, the organization's own contact
details, a date not linked to a patient) or replace it, and with what:

- a patient's name -> a neutral phrase ("a patient", "the reviewer") or an initial;
- dates linked to a patient -> the year only (no year: "(date removed)"); ages over 89 ->
  "90 or older";
- 5-digit ZIP codes -> removed; street addresses, rooms and beds, record, account, plan and
  device numbers, phone numbers, e-mail addresses, patients' handles -> a neutral token.

This module decides; replacements.py writes each replacement, and deidentify.py decides
where in the file each replacement goes and runs it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from functools import lru_cache
from typing import Any

from ..analysis.core import Analysis, Entity
from ..analysis.places import is_state_or_country
from ..masking import Masker
from .replacements import (
    _YEAR,
    _ZIP_LABEL,
    REMOVE,
    REPLY_KINDS,
    TOKENS,
    RedactOptions,
    _age_over_89,
    _link_removed,
    _name_transform,
    _place_removed,
    _postcode_after_label,
    year_only,
)

MASKER = Masker()
# Names that stay: staff, public figures, the organization, actors in a simulation, the
# authors a post quotes, and capitalised words NER took for a name. Every other name goes,
# also one with no patient evidence of its own: redaction removes what could identify.
KEPT_NAME_ROLES = {"staff", "public", "org", "sim", "author", "noise"}
# Identifiers that are numbers: a match with fewer digits than this is a word, not a number.
NUMBER_TYPES = {"MRN", "ACCOUNT_NUMBER", "US_HEALTH_INSURANCE_MEMBER_ID", "US_MBI", "US_SSN",
                "DEVICE_ID", "LICENSE_PLATE", "US_DRIVER_LICENSE", "US_PASSPORT",
                "US_BANK_NUMBER", "CREDIT_CARD", "IBAN_CODE", "PHONE_NUMBER"}
MIN_NUMBER_DIGITS = 3
# Contact details that stay when they are the organization's own (`org:` in the settings).
OWN_CONTACT_TYPES = {"PHONE_NUMBER", "EMAIL_ADDRESS", "STREET_ADDRESS", "POSTAL_ADDRESS", "URL"}
PLACE_TYPES = {"ZIP_CODE", "LOCATION", "PERSONAL_PLACE"}
_SPECIFIC_DATE = re.compile(
    r"\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\b", re.I)


def _noise_that_is_a_name(entity: Entity, analysis: Analysis) -> bool:
    """A "name" NER found that the role pass set aside as a capitalised word, though none of
    its words is common vocabulary ("Ottoline Brackwater", unlike "Vital Signs")."""
    if entity.role != "noise":
        return False
    # initials and a possessive "s" aside: "Mohmad R. Vizirov", "Alpatu Shervashidze's"
    words = [w for w in re.findall(r"[^\W\d_]+", analysis.text[entity.start:entity.end])
             if len(w) > 1]
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
        return _date_transform(entity, analysis, patients)
    if kind in OWN_CONTACT_TYPES | PLACE_TYPES and _is_own(entity, analysis, org):
        return None
    if kind == "ZIP_CODE":
        return _postcode_after_label if _ZIP_LABEL.match(analysis.text, entity.start) else REMOVE
    if kind in PLACE_TYPES | {"POSTAL_ADDRESS"} and entity.role == "noise":
        return None  # inside a link or a hashtag: "#COVID19Nigeria"
    if kind == "LOCATION":  # a town or county where a patient lives or was treated
        value = analysis.text[entity.start:entity.end]
        if is_state_or_country(value) or not _same_sentence(entity, analysis, patients):
            return None  # Safe Harbor keeps states and countries
        return _place_removed
    if kind == "PERSONAL_PLACE":  # "grew up in ...", "I'm in ...": a person's own town
        return _place_removed
    if kind == "URL":
        return _link_removed if _personal_link(entity, analysis) else None
    if kind == "SOCIAL_HANDLE" and not is_patient_identifier(entity):
        return None
    if kind in TOKENS:
        if kind in NUMBER_TYPES and not _enough_digits(analysis.text[entity.start:entity.end]):
            return None  # "platelets", "O2": a number type with no number in it
        token = TOKENS[kind]
        return lambda _old: token
    return None


def _date_transform(entity: Entity, analysis: Analysis,
                    patients: list[Entity]) -> Callable[[str], str] | None:
    value = analysis.text[entity.start:entity.end].strip()
    if value.isdigit() and len(value) <= 3:  # "92": an age the tagger read as a date
        return _age_over_89 if int(value) >= 90 else None
    if _TIME.fullmatch(value) or _CLOCK_TIME.fullmatch(value):
        # the time of day of a date that goes ("1985-11-18 22:50:23"); else no date element
        return REMOVE if _after_past_day(analysis.text, entity.start) else None
    if not _SPECIFIC_DATE.search(value):
        return None  # "this week", "Saturday": no date element to remove
    if _near_patient(entity, analysis, patients) or _past_day(value):
        return year_only
    return None  # an event's date: "join us on May 3"


def _after_past_day(text: str, start: int) -> bool:
    before = text[max(start - 24, 0):start].rstrip(" ,T")
    dates = list(_DAY_MONTH_YEAR.finditer(before))
    return bool(dates) and dates[-1].end() == len(before) and _past_day(dates[-1].group(0))


_TIME = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?(?:\s?[ap]\.?m\.?)?", re.I)
_CLOCK_TIME = re.compile(r"(?:at\s+)?\d{1,2}(?:[.:]\d{2})?\s?(?:[ap]\.?m\.?|o'clock|h)", re.I)
TIME_AFTER = re.compile(rf"(?:[ T]|,? at ){_TIME.pattern}\b", re.I)


# A day of a month of a given year: "03/14/1958", "1985-11-18 22:50", "May 3, 1961",
# "3rd of May 1961".
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_DAY_MONTH_YEAR = re.compile(
    rf"(?<!\d)(?:\d{{4}}-\d{{1,2}}-\d{{1,2}}|\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{4}}"
    rf"|{_DAY}\s+(?:of\s+)?{_MONTH},?\s+\d{{4}}|{_MONTH}\s+{_DAY},?\s+\d{{4}})(?!\d)", re.I)


def _past_day(value: str) -> bool:
    """A whole date (day, month and year) in an earlier year: a birth date, a day in
    someone's history, a record's time stamp; never an upcoming event's date. Safe Harbor
    keeps only its year."""
    match = _DAY_MONTH_YEAR.search(value)
    year = _YEAR.search(match.group(0)) if match else None
    return year is not None and int(year.group(0)) < date.today().year


# Hosts that are public sources, not a person's page: government, intergovernmental,
# universities and the military.
_PUBLIC_HOST = re.compile(
    r"\.(?:gov|int|edu|mil)(?:\.[a-z]{2})?(?:[/:?#]|$)|\.gov\.|\.ac\.[a-z]{2}\b", re.I)
# A link given as the writer's own: "my blog ...", "I've shared files with you ...",
# "Just posted a photo ...".
_OWN_LINK = re.compile(
    r"\bmy\s+(?:\w+\s+){0,2}?(?:website|web\s*site|blog|site|page|channel|profile|portfolio|"
    r"photos?|pictures?|videos?|files?|gallery|shop|store|podcast|vlog|story|fundraiser)\b"
    r"|\bi(?:'ve|\s+have)?\s+(?:just\s+)?(?:shared|posted|uploaded|published)\b"
    r"|\bshared\s+(?:\w+\s+){0,2}with\s+you\b|\bjust\s+posted\s+an?\s+(?:photo|picture|video)\b",
    re.I)
_LINK_LABEL = re.compile(r"\b(?:website|web site|web|homepage|home page|blog|portfolio|"
                         r"profile|site|url)\s*:?\s*$", re.I)


def _personal_link(entity: Entity, analysis: Analysis) -> bool:
    """A web address of a person: given as their own ("my website is ...", "I've shared
    files with you ...") or on a contact card's "Website:" line. A link in a sentence about
    someone is most often an article about them, and stays; so do links to public sources."""
    text = analysis.text
    if _PUBLIC_HOST.search(text[entity.start:entity.end]):
        return False
    lo, hi = analysis.sentence(entity.start)
    lo = max(lo, text.rfind("\n", 0, entity.start) + 1)  # the sentence's line
    line_end = text.find("\n", entity.end)
    hi = min(hi, line_end if line_end >= 0 else len(text))
    return bool(_OWN_LINK.search(text[lo:hi])
                or _LINK_LABEL.search(text[max(entity.start - 30, 0):entity.start]))




@lru_cache(maxsize=1)
def _url_recognizer() -> Any:
    from presidio_analyzer.predefined_recognizers import UrlRecognizer

    from ..analysis.recognizer_gates import bound_patterns

    recognizer = UrlRecognizer()
    bound_patterns(recognizer)
    return recognizer




def web_addresses(analysis: Analysis) -> list[Entity]:
    """The draft's web addresses. The shared analysis leaves URLs out (no rule of `check`
    asks for one, and excerpts mask them anyway), so redact finds them itself with Presidio's
    UrlRecognizer, outside the e-mail addresses the analysis found."""
    if any(e.type == "URL" for e in analysis.entities):
        return []
    emails = [(e.start, e.end) for e in analysis.entities if e.type == "EMAIL_ADDRESS"]
    found = _url_recognizer().analyze(analysis.text, ["URL"])
    return [Entity("URL", r.start, r.end, r.score) for r in found
            if not any(lo <= r.start and r.end <= hi for lo, hi in emails)]


def _enough_digits(value: str) -> bool:
    return sum(ch.isdigit() for ch in value) >= MIN_NUMBER_DIGITS


def _same_sentence(entity: Entity, analysis: Analysis, patients: list[Entity]) -> bool:
    lo, hi = analysis.sentence(entity.start)
    return any(lo <= p.start < hi for p in patients)


def _near_patient(entity: Entity, analysis: Analysis, patients: list[Entity]) -> bool:
    """A date in the same sentence as a patient's identifier, or any date in a reply about
    someone's care: those are "dates directly related to an individual"."""
    if _same_sentence(entity, analysis, patients):
        return True
    return analysis.draft.kind in REPLY_KINDS or analysis.draft.kind == "testimonial"


def _is_own(entity: Entity, analysis: Analysis, org: dict[str, Any]) -> bool:
    """The organization's own phone, e-mail or address, as configured under `org:`."""
    value = analysis.text[entity.start:entity.end].lower()
    digits = re.sub(r"\D", "", value)[-10:]
    if digits and digits in {re.sub(r"\D", "", p)[-10:] for p in org.get("phones", [])}:
        return True
    if any(str(d).lower().lstrip("@") in value
           for d in [*org.get("domains", []), *org.get("emails", [])]):
        return True
    return any(_same_address(value, str(a)) for a in org.get("addresses", []))


def _same_address(found: str, own: str) -> bool:
    """One holds the other, spaces and commas aside: an address block found around the
    configured street ("12 Elm St, Suite 4, Alder Falls") or a part of it ("12 Elm St")."""
    def plain(value: str) -> str:
        return " ".join(re.sub(r"[,;]", " ", value.lower()).split())

    found, own = plain(found), plain(own)
    return bool(found) and bool(own) and (found in own or own in found)
