"""Presidio: one AnalyzerEngine per run, holding only the recognizers the rules use.

The recognizers built in code are listed in builtin_recognizers.py (Presidio's predefined ones
and companions of our own); pattern recognizers of our own are Presidio YAML files in
rules/recognizers/, loaded here. Pattern recognizers search behind a timeout
(recognizer_gates.py). Nothing here touches the network: the spaCy pipeline is handed over
already loaded.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import RecognizerError
from .builtin_recognizers import COMPANIONS, _predefined
from .recognizer_gates import bound_patterns

SPACY_ENTITIES = {"PERSON", "LOCATION", "DATE_TIME", "NRP", "ORGANIZATION"}


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
