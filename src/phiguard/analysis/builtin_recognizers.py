"""The recognizers phiguard builds in code, by entity type: Presidio's predefined ones as
phiguard configures them, and companions that find more of a type than Presidio's own.

build_analyzer (recognizers.py) takes from these two tables the recognizers the rules need.
The tables are a module of their own because they are where a recognizer is chosen and set up
(the regions a phone number is read in, an e-mail checked offline, the US MBI, NPI and
health-plan member-id recognizers Presidio ships disabled, the postal addresses and personal
places redact removes, phone numbers as other countries group them, numeric dates), which
changes far more often than how the engine is built. Nothing here touches the network: e-mail
validation uses tldextract's bundled public-suffix snapshot. Presidio is imported inside the
factories, so nothing heavy runs at import time.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any


def _offline_email_recognizer() -> Any:
    import tldextract
    from presidio_analyzer.predefined_recognizers import EmailRecognizer

    # An empty suffix_list_urls makes tldextract use its bundled snapshot instead of
    # fetching the public-suffix list on first use.
    extractor = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)

    class OfflineEmailRecognizer(EmailRecognizer):
        def validate_result(self, pattern_text: str) -> bool:
            return extractor(pattern_text).fqdn != ""

    return OfflineEmailRecognizer()


# Drafts are North American. Presidio's default reads national-format numbers in eight
# regions, running phonenumbers' matcher eight times over every draft (more than all other
# recognizers together), and it found fictional 555 numbers only because they happen to be
# valid in Brazil. One North American plan (US and Canada share it), with numbers that are
# possible rather than assigned, finds every US-format number; a number written with "+" is
# found whatever its country.
PHONE_REGIONS = ("US",)
PHONE_LENIENCY = 0  # phonenumbers.Leniency.POSSIBLE


def _predefined() -> dict[str, Callable[[], Any]]:
    from presidio_analyzer import predefined_recognizers as pr

    return {
        "PHONE_NUMBER": lambda: pr.PhoneRecognizer(supported_regions=PHONE_REGIONS,
                                                    leniency=PHONE_LENIENCY),
        "EMAIL_ADDRESS": _offline_email_recognizer,
        "URL": lambda: pr.UrlRecognizer(),
        "IP_ADDRESS": lambda: pr.IpRecognizer(),
        "IBAN_CODE": lambda: pr.IbanRecognizer(),
        "US_SSN": lambda: pr.UsSsnRecognizer(),
        "US_MBI": lambda: pr.UsMbiRecognizer(),
        "US_NPI": lambda: pr.UsNpiRecognizer(),
        "MEDICAL_LICENSE": lambda: pr.MedicalLicenseRecognizer(),
        "CREDIT_CARD": lambda: pr.CreditCardRecognizer(),
        "US_BANK_NUMBER": lambda: pr.UsBankRecognizer(),
        "US_DRIVER_LICENSE": lambda: pr.UsLicenseRecognizer(),
        "US_PASSPORT": lambda: pr.UsPassportRecognizer(),
        # For redact only: no rule names them (analysis/addresses.py, places.py).
        "POSTAL_ADDRESS": _postal_address_recognizer,
        "PERSONAL_PLACE": _personal_place_recognizer,
    }


def _postal_address_recognizer() -> Any:
    from .addresses import address_recognizer

    return address_recognizer()


def _personal_place_recognizer() -> Any:
    from .places import place_recognizer

    return place_recognizer()


# Phone numbers as other countries group them ("0699 868 88 55", "(37) 788-063", "72 128 827"):
# phonenumbers reads North American numbers only (PHONE_REGIONS), and these groups are also
# how counts, dates and codes are written, so they count only next to a word that says
# phone: "call me on ...", "Mobile: ...", "... (office)". Checked here rather than with
# Presidio's context words: those are matched as parts of words ("cell" in "cancel") and
# skip stop words ("call").
GROUPED_PHONE = (r"(?<![\w+.,/-])(?:\(\d{1,4}\)[ ]?|\d{2,5}[ .-])\d{2,8}(?:[ .-]\d{2,8}){0,3}"
                 r"(?![\w]|-\d|[.,/]\d)")
PHONE_WORDS = (r"phone|telephone|tel|call|mobile|cell|fax|desk|whatsapp|text|message|messages|"
               r"answering|reach|dial|office|home|work")
PHONE_BEFORE = re.compile(rf"\b(?:{PHONE_WORDS})\b(?:\W+\w+){{0,3}}?\W*$", re.IGNORECASE)
PHONE_AFTER = re.compile(rf"^\W{{0,3}}(?:{PHONE_WORDS})\b", re.IGNORECASE)
DATE_SHAPE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}")
MIN_PHONE_DIGITS, MAX_PHONE_DIGITS = 7, 13


def _grouped_phone_recognizer() -> Any:
    from presidio_analyzer import Pattern, PatternRecognizer

    class GroupedPhoneRecognizer(PatternRecognizer):
        def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None,
                    regex_flags: int | None = None) -> list[Any]:
            return [r for r in super().analyze(text, entities, nlp_artifacts, regex_flags)
                    if PHONE_BEFORE.search(text, max(r.start - 40, 0), r.start)
                    or PHONE_AFTER.match(text[r.end:r.end + 12])]

        def validate_result(self, pattern_text: str) -> bool | None:
            # None keeps the pattern's score (True would raise it to 1.0); False drops it.
            digits = sum(ch.isdigit() for ch in pattern_text)
            valid = (MIN_PHONE_DIGITS <= digits <= MAX_PHONE_DIGITS
                     and not DATE_SHAPE.fullmatch(pattern_text))
            return None if valid else False

    return GroupedPhoneRecognizer(supported_entity="PHONE_NUMBER", name="GroupedPhoneRecognizer",
                                  patterns=[Pattern("grouped digits", GROUPED_PHONE, 0.5)])


def _date_recognizer() -> Any:
    from presidio_analyzer.predefined_recognizers import DateRecognizer

    return DateRecognizer()


# More recognizers for a type than Presidio's own, each made by one of these.
COMPANIONS: dict[str, list[Callable[[], Any]]] = {
    "PHONE_NUMBER": [_grouped_phone_recognizer],
    # numeric and written dates spaCy's small model misses ("5/5/1937")
    "DATE_TIME": [_date_recognizer],
}
