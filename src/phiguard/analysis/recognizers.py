"""Presidio: one AnalyzerEngine per run, holding only the recognizers the rules use.

Built-in recognizers come from presidio-analyzer (including the US MBI, NPI and
health-plan member-id recognizers Presidio ships disabled); pattern recognizers
of our own are Presidio YAML files in rules/recognizers/. Nothing here touches
the network: the spaCy pipeline is handed over already loaded, and e-mail
validation uses tldextract's bundled public-suffix snapshot.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..models import PhiguardError

SPACY_ENTITIES = {"PERSON", "LOCATION", "DATE_TIME", "NRP", "ORGANIZATION"}


class RecognizerError(PhiguardError):
    """A recognizer file phiguard cannot use."""


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


def _predefined() -> dict[str, Callable[[], Any]]:
    from presidio_analyzer import predefined_recognizers as pr

    return {
        "PHONE_NUMBER": lambda: pr.PhoneRecognizer(),
        "EMAIL_ADDRESS": _offline_email_recognizer,
        "URL": lambda: pr.UrlRecognizer(),
        "IP_ADDRESS": lambda: pr.IpRecognizer(),
        "US_SSN": lambda: pr.UsSsnRecognizer(),
        "US_MBI": lambda: pr.UsMbiRecognizer(),
        "US_NPI": lambda: pr.UsNpiRecognizer(),
        "US_HEALTH_INSURANCE_MEMBER_ID": lambda: pr.UsHealthInsuranceMemberIdRecognizer(),
        "MEDICAL_LICENSE": lambda: pr.MedicalLicenseRecognizer(),
        "CREDIT_CARD": lambda: pr.CreditCardRecognizer(),
        "US_BANK_NUMBER": lambda: pr.UsBankRecognizer(),
        "US_DRIVER_LICENSE": lambda: pr.UsLicenseRecognizer(),
        "US_PASSPORT": lambda: pr.UsPassportRecognizer(),
    }


def build_analyzer(nlp: Any, entities: set[str], pattern_recognizers: list[Any]) -> Any:
    """An AnalyzerEngine over an already-loaded pipeline, with just these entities."""
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
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
    engine.nlp = {"en": nlp}  # loaded by us: Presidio's own load() would try to download

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
    for recognizer in pattern_recognizers:
        if recognizer.supported_entities[0] in entities:
            registry.add_recognizer(recognizer)
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
