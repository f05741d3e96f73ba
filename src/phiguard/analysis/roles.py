"""Whose identifier is it? Staff, the organization itself, or a (possible) patient.

Presidio finds identifiers; most in a healthcare post belong to staff (names
with titles or credentials) or to the organization (its own phone line, its
e-mail, its address). Only the rest can identify a patient.
"""

from __future__ import annotations

import re
from typing import Any

from . import names

STAFF_TITLES = {
    "dr", "dr.", "doctor", "nurse", "np", "pa", "rn", "dentist", "hygienist", "therapist",
    "physician", "surgeon", "midwife", "doula", "pharmacist", "director", "manager", "ceo",
    "president", "chief", "coordinator", "volunteer", "volunteers", "chaplain", "technician",
    "tech", "pediatrician", "cardiologist", "oncologist", "dermatologist", "psychiatrist",
    "counselor", "provider", "physicians", "nurses", "hr", "officer", "lead", "advocate",
    "liaison", "navigator", "representative", "specialist", "educator", "assistant",
}
CREDENTIALS = {
    "rn", "md", "do", "dds", "dmd", "np", "pa", "pa-c", "lpn", "cna", "pt", "dpt", "phd",
    "msn", "bsn", "faap", "facs", "lcsw", "psyd", "ot", "otr", "slp", "crna", "aprn", "fnp",
    "rdh", "mph", "mba", "ccc", "lmft", "lpc", "rd", "facc", "facog", "dnp", "ma",
}
STAFF_CONTEXT = re.compile(
    r"\b(joins?|joined|joining) (our|the)\b|\bwelcome\b.*\bto (our|the) team\b|"
    r"\b(our|the) (new )?(team|staff|nurses?|doctors?|physicians?|providers?)\b.*\b(spotlight|"
    r"welcome|congratulat|award|honou?r|recogni[sz])|\bstaff spotlight\b|\bemployee of the\b|"
    r"\byears? of service\b|\bvolunteer spotlight\b|\b(nurse|provider|team member) spotlight\b|"
    r"\bmeet (our|the) (new )?(team|staff|nurse|doctor|dentist|provider)",
    re.IGNORECASE)
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
PUBLIC_TITLES = {
    "senator", "sen", "rep", "representative", "congressman", "congresswoman", "governor", "gov",
    "mayor", "councilmember", "councilman", "councilwoman", "commissioner", "secretary", "judge",
    "chancellor", "superintendent", "sheriff", "ambassador", "olympian", "coach", "author",
}
SIMULATION = re.compile(
    r"\b(mannequins?|manikins?|simulat\w*|sim lab|mock|actors?|actress|models?|"
    r"standardized patients?|role-?play\w*|stock photo|dramati[sz]ation)\b", re.IGNORECASE)
PARTNER_BEFORE = re.compile(
    r"\b(thanks?|thank you|with|by|from|via|partner\w*|sponsor\w*|ft|feat|x|@|follow|"
    r"shop|use code)\W*$", re.IGNORECASE)


def assign(entities: list[Any], doc: Any, settings: Any,
           meta: dict[str, Any] | None = None) -> list[Any]:
    org = getattr(settings, "org", {}) or {}
    own_digits = {_digits(p) for p in org.get("phones", [])}
    own_domains = [d.lower().lstrip("@") for d in [*org.get("domains", []), *org.get("emails", [])]]
    own_addresses = [a.lower() for a in org.get("addresses", [])]
    org_name = str(org.get("name", "")).lower()
    text = doc.text
    addressee = _addressee_names(meta or {})
    for entity in entities:
        value = text[entity.start:entity.end]
        span = doc.char_span(entity.start, entity.end, alignment_mode="expand")
        if span is not None and SIMULATION.search(span.sent.text):
            entity.role = "sim"
        elif entity.type in ("PERSON", "SOCIAL_HANDLE") and _is_addressee(value, addressee):
            entity.role = "addressee"
        elif entity.type == "PERSON":
            entity.role = _person_role(entity, span, value, org_name)
        elif entity.type == "SOCIAL_HANDLE" and _is_partner_handle(entity, span, text):
            entity.role = "org"
        elif entity.type in CONTACT_TYPES and _is_org_contact(
                entity, value, doc, text, own_digits, own_domains, own_addresses):
            entity.role = "org"
    return entities


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


def _is_addressee(value: str, addressee: set[str]) -> bool:
    words = re.findall(r"[\w.'-]+", value.lstrip("@"))
    return bool(addressee) and (names.fold(value.lstrip("@")) in addressee
                                or (bool(words) and names.fold(words[0]) in addressee))


def _person_role(entity: Any, span: Any, value: str, org_name: str) -> str:
    if span is None or not names.looks_like_name(span):
        return "noise"  # a capitalised word or brand that NER took for a name
    if org_name and value.lower() in org_name:
        return "org"
    before = [t.lower_.rstrip(".") for t in span.doc[max(span.start - 3, 0):span.start]]
    if any(b in PUBLIC_TITLES for b in before):
        return "public"
    return "staff" if _is_staff(entity, span.doc) else "person"


def _digits(value: str) -> str:
    digits = re.sub(r"\D", "", value)
    return digits[-10:]


def _is_staff(entity: Any, doc: Any) -> bool:
    span = doc.char_span(entity.start, entity.end, alignment_mode="expand")
    if span is None:
        return False
    before = [t.lower_.rstrip(".") for t in doc[max(span.start - 3, 0):span.start]]
    after = [t.lower_.rstrip(".") for t in doc[span.end:span.end + 4] if not t.is_punct]
    if any(b in STAFF_TITLES or b in CREDENTIALS for b in before[-2:]):
        return True
    if after and after[0] in CREDENTIALS:
        return True
    if any(a in STAFF_TITLES for a in after[:3]):
        return True  # "Dolores Whitcomb, HR Director": identified by a job, not as a patient
    return bool(STAFF_CONTEXT.search(span.sent.text))


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
