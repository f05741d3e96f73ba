"""Whose identifier is it? Staff, the organization itself, or a (possible) patient.

Presidio finds identifiers; most in a healthcare post belong to staff (names
with titles or credentials) or to the organization (its own phone line, its
e-mail, its address). Only the rest can identify a patient.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from . import names
from .answered import answered_text
from .titles import (
    STAFF_TITLES,
    is_speaker,
    person_role,
    self_disclosed,
    share_roles_in_lists,
    speaks_of_own_health,
)

if TYPE_CHECKING:
    from ..config import Settings

ORG_CONTACT_CONTEXT = re.compile(
    r"\b(call|text|reach|contact|email|e-mail|message|visit|dm|book|find|follow)\b[^.!?]{0,30}"
    r"\b(us|our|we)\b|\b(our|the) [\w\s/-]{0,25}\b(line|number|desk|office|team|manager|portal)\b"
    r"|\bcall\b|\bat our\b|\bto our\b|\bfrom our\b|\bour\b"
    r"|\b(appointments?|questions|info|information|phone|tel|fax|contact|scheduling|hotline|"
    r"line|reservations|rsvp|register|registration)\s*:?\s*$", re.IGNORECASE)
CONTACT_TYPES = {"PHONE_NUMBER", "EMAIL_ADDRESS", "URL", "LOCATION", "STREET_ADDRESS", "ZIP_CODE"}
VENUE_BEFORE = re.compile(
    r"\b(at|@|located|visit|join us|held|address|location|opens?|opening|open in|in)\b",
    re.IGNORECASE)
SIMULATION = re.compile(
    r"\b(mannequins?|manikins?|simulat\w*|sim lab|mock|actors?|actress|models?|"
    r"standardized patients?|role-?play\w*|stock photo|dramati[sz]ation)\b", re.IGNORECASE)
# Who wrote or is quoted, not who is written about: "RT @agency:", "MT @x:", "-@x" at the end
# of a quote, "via @outlet", "cc: @x", "h/t @x", "by @reporter".
ATTRIBUTION_BEFORE = re.compile(
    r"(?:\b(?:rt|mt|via|cc|h/t|ht|hat tip|by|credit|source|reports?|writes?|says?|per)\W{0,3}"
    r"|(?:^|\s)[-~\u2013\u2014]\s?|[.]|\bof|\bat|\bfrom|\bwith)\s*$", re.IGNORECASE)
ATTRIBUTION_AFTER = re.compile(r"^(?:'s|’s)?\s*(?::|reports?\b|explains?\b|says?\b|writes?\b|"
                               r"looks at\b|finds?\b|shows?\b|issues?\b|recommends?\b|"
                               r"estimates?\b|announces?\b|report\b|study\b)", re.IGNORECASE)
URL = re.compile(r"\bhttps?://\S+|\bwww\.\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|gov|edu|"
                 r"ly|co|in|to|it|ms|us|uk|ca|io|me|tv|news|pr|gd|gl|ws|tt|fb|st|be|am)/\S*",
                 re.IGNORECASE)
HASHTAG = re.compile(r"(?<![\w&])#\w+")
# A phone number as people write one: grouped digits (3-4, 3-3-4, +country), not a bare count
# or the id at the end of a news URL.
PHONE_SHAPE = re.compile(
    r"^\s*(?:\+\d[\d\s().-]{6,}|(?:1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]\d{4}|\d{3}[\s.-]\d{4})"
    r"(?:\s*(?:x|ext\.?)\s*\d+)?\s*$", re.IGNORECASE)
# Types that are numbers or places: inside a hashtag they are part of a tag, not an identifier.
NUMERIC_TYPES = {"PHONE_NUMBER", "DATE_TIME", "ZIP_CODE", "ACCOUNT_NUMBER", "MRN", "LICENSE_PLATE",
                 "DEVICE_ID", "LOCATION", "STREET_ADDRESS", "US_DRIVER_LICENSE", "US_BANK_NUMBER",
                 "MEDICAL_LICENSE", "US_PASSPORT", "ROOM_NUMBER", "AGE_OVER_89", "CREDIT_CARD"}
PARTNER_BEFORE = re.compile(
    r"\b(thanks?|thank you|with|by|from|via|partner\w*|sponsor\w*|ft|feat|x|@|follow|"
    r"(?:went|go|going|came|come|headed) to|visit(?:ed|ing)?|at|"
    r"shop|use code)\W*$", re.IGNORECASE)


def assign(entities: list[Any], doc: Any, settings: Settings,
           meta: dict[str, Any] | None = None, evidence: Any = None) -> list[Any]:
    org = getattr(settings, "org", {}) or {}
    own_digits = {_digits(p) for p in org.get("phones", [])}
    own_domains = [d.lower().lstrip("@") for d in [*org.get("domains", []), *org.get("emails", [])]]
    own_addresses = [a.lower() for a in org.get("addresses", [])]
    org_name = str(org.get("name", "")).lower()
    text = doc.text
    addressee = _addressee_names(meta or {})
    titled_in_comment = staff_named_in_answered(meta or {})
    kind = (meta or {}).get("kind")
    hidden = _hidden_spans(text)
    opening = _address_run_end(text)
    supported = names.support_hashtag_names(text)
    for entity in entities:
        value = text[entity.start:entity.end]
        span = doc.char_span(entity.start, entity.end, alignment_mode="expand")
        tagged = _support_name(entity, supported)
        if tagged is not None:
            # "#MilaStrong": the name rallied around is the person, and the tag itself is
            # the evidence that they are the subject of a patient story
            entity.start, entity.end = tagged
            entity.role, entity.featured = "person", True
        elif _is_noise(entity, value, span, hidden, evidence):
            entity.role = "noise"
        elif span is not None and SIMULATION.search(span.sent.text):
            entity.role = "sim"
        elif entity.type == "SOCIAL_HANDLE" and entity.end <= opening:
            entity.role = "addressee"  # "@a @b thanks for asking": the accounts a reply answers
        elif entity.type == "SOCIAL_HANDLE" and _is_attribution(entity, text):
            entity.role = "author"
        elif entity.type in ("PERSON", "SOCIAL_HANDLE") and is_addressee(value, addressee):
            entity.role = "addressee"
        elif entity.type == "PERSON":
            entity.role = person_role(entity, span, value, org_name)
            if entity.role == "person" and _first_word(value) in titled_in_comment:
                entity.role = "staff"  # "Nurse Ottilie was lovely" -> "we'll tell Ottilie"
            if entity.role in ("staff", "public") and evidence is not None and (
                    evidence.of_own_or_family_health(entity.start, entity.end)) and not (
                    entity.role == "public" and span is not None and self_disclosed(span)):
                # a title exempts the professional mention, never the person's own or
                # their family's health, unless a public figure tells it themselves
                entity.role, entity.featured = "person", True
            if (entity.role in ("staff", "public") and kind == "testimonial"
                    and is_speaker(entity, text) and speaks_of_own_health(doc, evidence)):
                # a titled speaker telling their own care ("my depression ..." - Kelsey M.,
                # nurse at ...) is a patient; a client's HR director praising a flu clinic is not
                entity.role = "person"
        elif entity.type == "SOCIAL_HANDLE" and _is_partner_handle(entity, span, text):
            entity.role = "org"
        elif entity.type in CONTACT_TYPES and _is_org_contact(
                entity, value, doc, text, own_digits, own_domains, own_addresses):
            entity.role = "org"
    share_roles_in_lists(entities, doc)
    return entities


def _support_name(entity: Any, supported: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The support-hashtag name a PERSON span covers or lies in ("JaydenStrong" -> "Jayden")."""
    if entity.type != "PERSON":
        return None
    for start, end in supported:
        if entity.start < end and start < entity.end:
            return start, end
    return None


def require_evidence(entities: list[Any], evidence: Any, applies: Any) -> None:
    """A name or handle with no patient evidence of its own is only mentioned, not a patient.

    ``applies(entity)`` says where the rule holds (a post's published words; a reply's or a
    testimonial's own context is evidence already)."""
    for entity in entities:
        if (entity.role == "person" and entity.type in ("PERSON", "SOCIAL_HANDLE")
                and not getattr(entity, "featured", False)
                and applies(entity) and not evidence.for_span(entity.start, entity.end)):
            entity.role = "mentioned"


def _hidden_spans(text: str) -> list[tuple[int, int, str]]:
    """URLs and hashtags: words inside them are part of an address or a tag."""
    return ([(m.start(), m.end(), "url") for m in URL.finditer(text)]
            + [(m.start(), m.end(), "tag") for m in HASHTAG.finditer(text)])


def _is_noise(entity: Any, value: str, span: Any, hidden: list[tuple[int, int, str]],
              evidence: Any) -> bool:
    """An identifier that is not one: inside a URL, a number inside a hashtag, a count read
    as a phone number, a place or a disease eponym read as a name."""
    if entity.type in ("URL", "EMAIL_ADDRESS"):
        return False
    for start, end, what in hidden:
        if start <= entity.start and entity.end <= end and (
                what == "url" or entity.type in NUMERIC_TYPES):
            return True
    if entity.type == "PHONE_NUMBER" and not PHONE_SHAPE.match(value):
        return True
    if entity.type != "PERSON" or span is None:
        return False
    if (evidence is not None and any(t.i in evidence.health for t in span)
            and not names.introduced_as_person(span)):
        return True  # "Bell's palsy", "Guillain-Barre", "Alzheimer's": a condition's name
    # A country read as a given name ("India", "Georgia"); the small NER model's own place
    # labels are not used, since it calls unusual names places as often as places names.
    return names.is_place(value)


def _address_run_end(text: str) -> int:
    """End of the handles a post opens with ("@a @b ..."): the accounts it answers."""
    match = re.match(r"\s*(?:\.?@\w+[\s,:]*)+", text)
    return match.end() if match else 0


def _is_attribution(entity: Any, text: str) -> bool:
    """A retweet, quote or source credit: "RT @x:", "-@x", "via @x", "@x reports"."""
    before = text[max(entity.start - 12, 0):entity.start]
    after = text[entity.end:entity.end + 14]
    return bool(ATTRIBUTION_BEFORE.search(before) or ATTRIBUTION_AFTER.match(after))


def _is_partner_handle(entity: Any, span: Any, text: str) -> bool:
    """A brand or partner being thanked or tagged: "thanks @NoctaviaSleep", "with @brand"."""
    if span is None:
        return False
    return bool(PARTNER_BEFORE.search(text[span.sent.start_char:entity.start][-30:]))


def _addressee_names(meta: dict[str, Any]) -> set[str]:
    """First name and handle of the person a reply answers (from `in_reply_to.author`)."""
    reply = meta.get("in_reply_to")
    author = str(reply.get("author") or "") if isinstance(reply, dict) else ""
    words = re.findall(r"[\w.'-]+", author.lstrip("@"))
    found = {names.fold(author.lstrip("@"))} if author else set()
    if words:
        found.add(names.fold(words[0]))
    return {f for f in found if f}


def staff_named_in_answered(meta: dict[str, Any]) -> set[str]:
    """Names the comment a reply answers gives a staff title ("Nurse Ottilie", "Dr.
    Abernathy"): the reply's "we'll let Ottilie know" speaks of staff, not a patient."""
    found = set()
    for match in TITLED_NAME.finditer(answered_text(meta)):
        if match.group(1).lower().rstrip(".") in STAFF_TITLES:
            found.add(names.fold(match.group(2)))
    return found


# a lookahead, so that a title may also be the word before its name ("me. Nurse Ottilie")
TITLED_NAME = re.compile(r"(?=\b([A-Za-z]+\.?)\s+([A-Z][\w'-]+))")


def _first_word(value: str) -> str:
    """The folded first word of a name, past a greeting NER took into it ("Hi Lou" -> "lou")."""
    words = _name_words(value)
    return names.fold(words[0]) if words else ""


def _name_words(value: str) -> list[str]:
    words = re.findall(r"[\w.'-]+", value.lstrip("@"))
    while len(words) > 1 and names.fold(words[0]) in GREETINGS:
        words = words[1:]  # NER often takes the greeting into the name: "Hi Lou"
    return words


def addressee_words(meta: dict[str, Any]) -> set[str]:
    """The folded words of the reply's addressee (first name, handle), for other checks."""
    return _addressee_names(meta)


# Words a reply opens with before the name it answers: "Hi Lou", "Thanks Ana", "Hola Rosa".
GREETINGS = {"hi", "hey", "hello", "hiya", "dear", "thanks", "thank", "congrats", "hola",
             "omg", "aw", "aww", "yay", "welcome", "morning", "evening", "ok", "okay", "yes",
             "no", "oh"}


def is_addressee(value: str, addressee: set[str]) -> bool:
    """The name or handle is the person the reply answers (a greeting taken into it too)."""
    return bool(addressee) and (names.fold(value.lstrip("@")) in addressee
                                or _first_word(value) in addressee)


def _digits(value: str) -> str:
    digits = re.sub(r"\D", "", value)
    return digits[-10:]


def _is_org_contact(entity: Any, value: str, doc: Any, text: str, own_digits: set[str],
                    own_domains: list[str], own_addresses: list[str]) -> bool:
    low = value.lower()
    if entity.type == "PHONE_NUMBER" and _digits(value) in own_digits:
        return True
    if entity.type in ("EMAIL_ADDRESS", "URL") and any(d in low for d in own_domains):
        return True
    if entity.type in ("LOCATION", "STREET_ADDRESS") and any(low in a for a in own_addresses):
        return True
    span = doc.char_span(entity.start, entity.end, alignment_mode="expand")
    if span is None:
        return False
    before = text[span.sent.start_char:entity.start]  # doc.text is rebuilt on every access
    if entity.type in ("LOCATION", "STREET_ADDRESS", "ZIP_CODE") and VENUE_BEFORE.search(before):
        return True  # where an event or the organization is: "at Alderbrook Pediatrics, 2200 ..."
    return bool(ORG_CONTACT_CONTEXT.search(before))
