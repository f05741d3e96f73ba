"""`phiguard redact`: de-identify drafts with presidio-anonymizer, following HIPAA Safe Harbor
(45 CFR 164.514(b)(2)) rather than masking everything, so the post still reads naturally:

- a patient's name -> a neutral phrase ("a patient", "the reviewer") or an initial;
- dates linked to a patient -> the year only (no year: "(date removed)"); ages over 89 ->
  "90 or older";
- 5-digit ZIP codes -> removed; street addresses, rooms and beds, record, account, plan and
  device numbers, phone numbers, e-mail addresses, patients' handles -> a neutral token.

Staff, public figures and the organization's own contact details are left alone. Edits are
made at file offsets, so everything else in the file stays byte for byte the same.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..analysis.core import Analysis, Entity
from ..masking import Masker
from .files import Edit, file_span

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
_MASKER = Masker()
# Names that stay: staff, public figures, the organization, actors in a simulation, the
# authors a post quotes, and capitalised words NER took for a name. Every other name goes,
# also one with no patient evidence of its own: redaction removes what could identify.
KEPT_NAME_ROLES = {"staff", "public", "org", "sim", "author", "noise"}
# Identifiers that are numbers: a match with fewer digits than this is a word, not a number.
NUMBER_TYPES = {"MRN", "ACCOUNT_NUMBER", "US_HEALTH_INSURANCE_MEMBER_ID", "US_MBI", "US_SSN",
                "DEVICE_ID", "LICENSE_PLATE", "US_DRIVER_LICENSE", "US_PASSPORT",
                "US_BANK_NUMBER", "CREDIT_CARD", "PHONE_NUMBER"}
MIN_NUMBER_DIGITS = 3
ROLE_NOUNS = {"patient", "client", "resident", "member", "reviewer", "mom", "dad", "son",
              "daughter", "wife", "husband"}
REPLY_KINDS = {"reply", "review_reply"}
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_FULL_DATE = re.compile(
    r"\d{1,2}[/.-]\d{1,2}[/.-](?P<year>\d{4})|"
    r"(?:\d{1,2} )?[A-Za-z]{3,9}\.? (?:\d{1,2}(?:st|nd|rd|th)?,? )?(?P<year2>\d{4})")
_SPECIFIC_DATE = re.compile(
    r"\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\b", re.I)
_SPACE_BEFORE = re.compile(r"[ \t]+$")


@dataclass
class RedactOptions:
    names: str = "phrase"  # phrase | initial
    patient_phrase: str = "a patient"
    reviewer_phrase: str = "the reviewer"

    @classmethod
    def from_settings(cls, settings: Settings) -> RedactOptions:
        return cls(**(getattr(settings, "redact", None) or {}))


def plan(analysis: Analysis, file_text: str, settings: Settings,
         options: RedactOptions) -> list[tuple[Edit, str, Callable[[str], str]]]:
    """(file span, entity type, how to transform the old text) for each identifier."""
    draft = analysis.draft
    org = getattr(settings, "org", {}) or {}
    entities = _distinct_names(analysis)
    patients = [e for e in entities if _is_patient_identifier(e)]
    out = []
    for entity in entities:
        transform = _transform(entity, analysis, patients, org, options)
        if transform is None:
            continue
        segment = analysis.segment_index(entity.start)
        if entity.end > analysis.starts[segment] + len(draft.segments[segment].text):
            continue  # never across segments
        if not draft.segments[segment].editable:
            continue  # text read in an image: the file holds no such words to edit
        start, end = file_span(draft, analysis.starts, file_text, entity.start, entity.end,
                               segment)
        if entity.type == "PERSON" and transform is not _REMOVE:
            start = _honorific_start(file_text, start)
        if _is_addressee_in_reply(entity, analysis, file_text, start, end):
            start, end, transform = _unaddressed(file_text, start, end)
        elif transform is _REMOVE or _after_role_noun(analysis.text, entity):
            start = _removal_start(file_text, start, end)
            transform = _REMOVE
        elif transform is _year_only and file_text[max(start - 3, 0):start].lower() == "on ":
            start -= 3
            transform = _in_year
        out.append((Edit(start, end, "", entity.type), entity.type, transform))
    return out


def _REMOVE(_old: str) -> str:
    return ""


_LEADING_NON_NAME = re.compile(r"(?:(?:hi|hello|hey|dear|thanks|thank you|congrats|"
                               r"congratulations|welcome|meet|happy)\b[\s,!]*)+", re.I)


def _distinct_names(analysis: Analysis) -> list[Entity]:
    """Entities with greeting words trimmed off names ("Hi Glenda" -> "Glenda"), and one
    entity per name span (the addressee's reading first)."""
    seen: set[tuple[int, int]] = set()
    out = []
    ranked = sorted(analysis.entities, key=lambda e: e.role != "addressee")
    for entity in ranked:
        if entity.type == "PERSON":
            lead = _LEADING_NON_NAME.match(analysis.text, entity.start, entity.end)
            if lead and lead.end() < entity.end:
                entity = Entity(entity.type, lead.end(), entity.end, entity.score, entity.role)
            if (entity.start, entity.end) in seen:
                continue
            seen.add((entity.start, entity.end))
        out.append(entity)
    return sorted(out, key=lambda e: (e.start, e.end))


_HONORIFIC_BEFORE = re.compile(r"\b(?:Mr|Mrs|Ms|Mx|Miss|Mister)\.?[ \t]+$")
_GREETING_BEFORE = re.compile(r"\b(?:hi|hello|hey|dear|thanks|thank you|welcome)[ \t]*,?[ \t]*$",
                              re.I)
_VOCATIVE_AFTER = re.compile(r"[ \t]*,[ \t]*(?P<next>\w)")


def _honorific_start(text: str, start: int) -> int:
    """ "Mr. Dalton" goes as a whole: "Mr. a patient" reads badly and keeps a gender."""
    honorific = _HONORIFIC_BEFORE.search(text, max(start - 12, 0), start)
    return honorific.start() if honorific else start


def _is_addressee_in_reply(entity: Entity, analysis: Analysis, text: str, start: int,
                           end: int) -> bool:
    """The person a reply speaks to: its addressee, or a name that opens a sentence of the
    reply followed by a comma ("Glenda, we're sorry")."""
    if entity.type != "PERSON" or analysis.draft.kind not in REPLY_KINDS:
        return False
    vocative = ((_starts_sentence(text, start) and _VOCATIVE_AFTER.match(text, end) is not None)
                or _GREETING_BEFORE.search(text, max(start - 16, 0), start) is not None)
    return entity.role == "addressee" or vocative


def _unaddressed(text: str, start: int, end: int) -> tuple[int, int, Callable[[str], str]]:
    """Drop the name a reply addresses someone by, without saying what they are: "Hi Glenda,"
    -> "Hi there,", "Glenda, we're sorry" -> "We're sorry", "Thanks, Glenda!" -> "Thanks!".
    Calling the reader "a patient" or "the reviewer" would confirm that they are one."""
    if _GREETING_BEFORE.search(text, max(start - 16, 0), start):
        return start, end, lambda _old: "there"
    after = _VOCATIVE_AFTER.match(text, end)
    if after and _starts_sentence(text, start):
        first = after.group("next")
        return start, after.end(), lambda _old: first.upper()
    return _removal_start(text, start, end), end, _REMOVE


def _removal_start(text: str, start: int, end: int) -> int:
    """Take the space before a removed identifier too, and a comma that would be doubled."""
    space = _SPACE_BEFORE.search(text, max(start - 8, 0), start)
    start = space.start() if space else start
    if start > 0 and text[start - 1] == "," and text[end:end + 1] in (",", "."):
        start -= 1
    return start


def _after_role_noun(text: str, entity: Entity) -> bool:
    """ "our patient Ana Ruiz" -> "our patient": the name goes, the phrase is already there."""
    if entity.type != "PERSON" or entity.role in KEPT_NAME_ROLES:
        return False
    words = text[:entity.start].split()
    return bool(words) and words[-1].lower().strip(",") in ROLE_NOUNS


def _noise_that_is_a_name(entity: Entity, analysis: Analysis) -> bool:
    """A "name" NER found that the role pass set aside as a capitalised word, though none of
    its words is common vocabulary ("Ottoline Brackwater", unlike "Vital Signs")."""
    if entity.role != "noise":
        return False
    words = re.findall(r"[^\W\d_]+", analysis.text[entity.start:entity.end])
    return bool(words) and all(_MASKER.could_be_name(w) for w in words)


def _is_patient_identifier(entity: Entity) -> bool:
    """A name or handle redaction removes: anyone's but staff, public figures, the
    organization, actors and quoted authors."""
    return entity.type in ("PERSON", "SOCIAL_HANDLE") and entity.role not in KEPT_NAME_ROLES


def _transform(entity: Entity, analysis: Analysis, patients: list[Entity],
               org: dict[str, Any], options: RedactOptions) -> Callable[[str], str] | None:
    kind = entity.type
    if kind == "PERSON":
        if entity.role in KEPT_NAME_ROLES and not _noise_that_is_a_name(entity, analysis):
            return None  # staff, public figures, the organization
        return _name_transform(entity, analysis, options)
    if kind == "AGE_OVER_89":
        return _age_over_89
    if kind == "DATE_OF_BIRTH":
        return _year_only
    if kind == "DATE_TIME":
        value = analysis.text[entity.start:entity.end].strip()
        if value.isdigit() and len(value) <= 3:  # "92": an age the tagger read as a date
            return _age_over_89 if int(value) >= 90 else None
        if not _SPECIFIC_DATE.search(value):
            return None  # "this week", "Saturday": no date element to remove
        return _year_only if _near_patient(entity, analysis, patients) else None
    if kind == "ZIP_CODE":
        return _REMOVE if not _is_own(entity, analysis, org) else None
    if kind == "LOCATION":  # a town or county where a patient lives or was treated
        if _is_own(entity, analysis, org) or not _same_sentence(entity, analysis, patients):
            return None
        return lambda _old: "(place removed)"
    if kind == "SOCIAL_HANDLE" and not _is_patient_identifier(entity):
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
    if _starts_sentence(analysis.text, entity.start):
        phrase = phrase[:1].upper() + phrase[1:]
    return lambda _old: phrase


def _starts_sentence(text: str, offset: int) -> bool:
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


def _year_only(old: str) -> str:
    """ "born 03/14/1958" -> "born 1958"; "May 3, 2025" -> "2025"; no year: removed."""
    if _FULL_DATE.search(old):
        return _FULL_DATE.sub(lambda m: m.group("year") or m.group("year2"), old)
    year = _YEAR.search(old)
    return year.group(0) if year else "(date removed)"


def _in_year(old: str) -> str:
    """ "on May 3, 2025" -> "in 2025" (a year is not "on")."""
    kept = _year_only(old[3:])
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


def redact_text(checker: Any, opened: Any, settings: Settings,
                options: RedactOptions) -> tuple[str, list[str]]:
    """The file's text de-identified, and what kinds of identifiers were replaced."""
    from presidio_anonymizer import AnonymizerEngine
    from presidio_anonymizer.entities import OperatorConfig, RecognizerResult

    text = opened.text
    planned = [item for analysis in checker.analyzer.analyze(opened.drafts(text, settings))
               for item in plan(analysis, text, settings, options)]
    if not planned:
        return text, []
    # One operator per occurrence (its own entity type), so each gets its own replacement.
    results = [RecognizerResult(f"R{i}", edit.start, edit.end, 1.0)
               for i, (edit, _, _) in enumerate(planned)]
    operators = {f"R{i}": OperatorConfig("custom", {"lambda": transform})
                 for i, (_, _, transform) in enumerate(planned)}
    redacted = AnonymizerEngine().anonymize(text=text, analyzer_results=results,
                                            operators=operators)
    return redacted.text, sorted({kind for _, kind, _ in planned})


@dataclass
class Leftover:
    """What the re-check of a redacted file still finds: only this is reported as verified."""

    phi: list[Any] = field(default_factory=list)  # phi findings on the redacted text
    identifiers: list[tuple[int, int, str]] = field(default_factory=list)  # line, col, type
    name_like_lines: list[int] = field(default_factory=list)  # words that could be names


def verify(checker: Any, opened: Any, after: str, settings: Settings,
           options: RedactOptions) -> Leftover:
    """Analyse the redacted text again with the same detection and rules."""
    left = Leftover()
    for analysis, findings in checker.analysed(opened.drafts(after, settings)):
        left.phi += [f for f in findings if f.category == "phi"]
        draft = analysis.draft
        for edit, kind, _ in plan(analysis, after, settings, options):
            line, col = draft.lines.position(edit.start)
            left.identifiers.append((line, col, kind))
        kept = [(e.start, e.end) for e in analysis.entities
                if e.role in KEPT_NAME_ROLES - {"noise"}]
        for start, end in _MASKER.name_like_words(analysis.text):
            if any(lo <= start and end <= hi for lo, hi in kept):
                continue
            segment = analysis.segment_index(start)
            file_start, _ = file_span(draft, analysis.starts, after, start, end, segment)
            left.name_like_lines.append(draft.lines.position(file_start)[0])
    left.name_like_lines = sorted(set(left.name_like_lines))
    return left
