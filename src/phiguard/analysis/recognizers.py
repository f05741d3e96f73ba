"""Presidio: one AnalyzerEngine per run, holding only the recognizers the rules use.

Built-in recognizers come from presidio-analyzer (including the US MBI, NPI and
health-plan member-id recognizers Presidio ships disabled); pattern recognizers
of our own are Presidio YAML files in rules/recognizers/. Nothing here touches
the network: the spaCy pipeline is handed over already loaded, and e-mail
validation uses tldextract's bundled public-suffix snapshot.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import RecognizerError

SPACY_ENTITIES = {"PERSON", "LOCATION", "DATE_TIME", "NRP", "ORGANIZATION"}


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

# Necessary conditions, checked before an expensive recognizer runs: a draft without a match
# cannot hold what the recognizer finds, so skipping it changes no result. Written by hand for
# these two (cheaper than the union of their patterns); every other plain pattern recognizer
# gets union_gate.
GATES = {
    # A "+" (international numbers can be short), or 7 digits (a US local number) with at
    # most 4 other characters between digits: the matcher accepts up to 4 punctuation marks
    # between groups, or an extension marker ("x").
    "PhoneRecognizer": re.compile(r"[+\uff0b]|\d(?:\D{0,4}\d){6}"),
    # IPv4 has digit.digit; IPv6 has "::" or two hex digits around a colon.
    "IpRecognizer": re.compile(r"\d\.\d|::|[0-9A-Fa-f]:[0-9A-Fa-f]"),
    # Every address anchor holds a digit, but a street corner (addresses.GATE).
    "PostalAddressRecognizer": re.compile(r"\d|corner of", re.IGNORECASE),
}


# Inline flags, backreferences and conditionals depend on a pattern's place and numbering, so
# a pattern holding one is not merged into a union.
_POSITIONAL = re.compile(r"\(\?[aiLmsux-]+\)|\\[1-9]|\\g<|\(\?P=|\(\?\(")


def union_gate(recognizer: Any) -> Any:
    """For a plain pattern recognizer, one regex that matches wherever any of its patterns
    (deny list included) does: a text it misses gives no result, and one search costs less
    than Presidio running each pattern on its own. None when that cannot be guaranteed."""
    import regex
    from presidio_analyzer import PatternRecognizer

    if type(recognizer).analyze is not PatternRecognizer.analyze or not recognizer.patterns:
        return None  # its own analyze may find what no pattern does
    sources = [pattern.regex for pattern in recognizer.patterns]
    if any(_POSITIONAL.search(source) for source in sources):
        return None
    try:
        return regex.compile("|".join(f"(?:{source})" for source in sources),
                             recognizer.global_regex_flags)
    except regex.error:
        return None


def gate(recognizer: Any) -> Any:
    """The recognizer's necessary condition, or None when it must always run."""
    return GATES.get(type(recognizer).__name__) or union_gate(recognizer)


def _what(recognizer: Any) -> str:
    return f"recognizer {recognizer.name} ({', '.join(recognizer.supported_entities)})"


class _TimedRegex:
    """A compiled `regex` pattern whose searches stop after REGEX_TIMEOUT_SECONDS with a
    RegexTimeout. Presidio's own timeout (60 s) logs a warning and drops the pattern's
    results: a silent miss; a RegexTimeout is no TimeoutError, so Presidio lets it through."""

    def __init__(self, compiled: Any, what: str) -> None:
        self.compiled = compiled
        self.what = what

    def finditer(self, text: str, *args: Any, timeout: Any = None, **kwargs: Any) -> Any:
        from ..regexcheck import timed_finditer

        return timed_finditer(self.compiled, text, self.what)

    def search(self, text: str, *args: Any, **kwargs: Any) -> Any:
        from ..regexcheck import timed_search

        return timed_search(self.compiled, text, self.what)


def bound_patterns(recognizer: Any) -> None:
    """Compile a pattern recognizer's patterns now, behind the timeout."""
    import regex

    flags = recognizer.global_regex_flags
    for pattern in getattr(recognizer, "patterns", None) or []:
        pattern.compiled_regex = _TimedRegex(regex.compile(pattern.regex, flags=flags),
                                             f"{_what(recognizer)}, pattern {pattern.name}")
        pattern.compiled_with_flags = flags


class EntityGates:
    """Which entity types a text may hold, by the gates of the recognizers that find them.

    Presidio is then asked for those types only, so a recognizer that cannot find anything
    is not run at all, and neither is the per-recognizer bookkeeping (context, duplicates)
    Presidio does around each one.
    """

    def __init__(self, recognizers: list[Any]) -> None:
        self.always: set[str] = set()
        self.gated: dict[str, list[Any]] = {}
        for recognizer in recognizers:
            condition = gate(recognizer)
            if condition is not None and not isinstance(condition, re.Pattern):
                condition = _TimedRegex(condition, f"{_what(recognizer)}, its patterns' union")
            for entity in recognizer.supported_entities:
                if condition is None:
                    self.always.add(entity)
                else:
                    self.gated.setdefault(entity, []).append(condition)
        for entity in self.always:
            self.gated.pop(entity, None)

    def entities(self, text: str) -> list[str]:
        return sorted(self.always.union(
            entity for entity, conditions in self.gated.items()
            if any(condition.search(text) for condition in conditions)))


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
        "US_HEALTH_INSURANCE_MEMBER_ID": lambda: pr.UsHealthInsuranceMemberIdRecognizer(),
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


def build_analyzer(nlp: Any, entities: set[str], pattern_recognizers: list[Any]) -> Any:
    """An AnalyzerEngine over an already-loaded pipeline, with just these entities."""
    from presidio_analyzer import AnalyzerEngine, PatternRecognizer, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine
    from presidio_analyzer.predefined_recognizers import SpacyRecognizer

    ner_config = NerModelConfiguration(
        model_to_presidio_entity_mapping={
            "PERSON": "PERSON", "PER": "PERSON", "GPE": "LOCATION", "LOC": "LOCATION",
            "FAC": "LOCATION", "DATE": "DATE_TIME", "TIME": "DATE_TIME", "NORP": "NRP",
            "ORG": "ORGANIZATION",
        },
        low_score_entity_names=[],
        labels_to_ignore=["CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT", "EVENT",
                          "PRODUCT", "LAW", "LANGUAGE", "WORK_OF_ART"],
    )
    engine = SpacyNlpEngine(models=[{"lang_code": "en", "model_name": nlp.meta.get("name", "")}],
                            ner_model_configuration=ner_config)
    # Loaded by us: Presidio's own load() would try to download. (Presidio's __init__ sets
    # nlp = None, which mypy takes for its type.)
    engine.nlp = {"en": nlp}  # type: ignore[assignment]

    registry = RecognizerRegistry(supported_languages=["en"])
    spacy_entities = sorted(entities & SPACY_ENTITIES)
    if spacy_entities:
        registry.add_recognizer(SpacyRecognizer(supported_entities=spacy_entities))
    if "PERSON" in entities:
        from .names import name_recognizer

        registry.add_recognizer(name_recognizer())
    predefined = _predefined()
    for entity in sorted(entities - SPACY_ENTITIES):
        if entity in predefined:
            registry.add_recognizer(predefined[entity]())
    for entity in sorted(entities):
        for companion in COMPANIONS.get(entity, []):
            registry.add_recognizer(companion())
    for recognizer in pattern_recognizers:
        if recognizer.supported_entities[0] in entities:
            registry.add_recognizer(recognizer)
    for recognizer in registry.recognizers:
        if isinstance(recognizer, PatternRecognizer):
            bound_patterns(recognizer)
    return AnalyzerEngine(registry=registry, nlp_engine=engine, supported_languages=["en"])


def known_entities(pattern_recognizers: list[Any]) -> set[str]:
    return SPACY_ENTITIES | set(_predefined()) | {
        r.supported_entities[0] for r in pattern_recognizers}


def load_pattern_recognizers(paths: list[Path]) -> list[Any]:
    """Presidio YAML recognizer files, validated with file and line on error."""
    from presidio_analyzer import PatternRecognizer

    from ..yamlpos import load_file
    from .recognizer_schema import SCHEMA, check_regexes

    recognizers = []
    for path in paths:
        shown = str(path)
        data, node = load_file(path, SCHEMA, RecognizerError)
        for spec in check_regexes(data, node, shown):
            try:
                recognizers.append(PatternRecognizer.from_dict(dict(spec)))
            except Exception as exc:  # Presidio raises ValueError/TypeError/re.error
                raise RecognizerError(f"recognizer {spec.get('name')!r}: {exc}", shown) from None
    return recognizers
