"""PHI: every identifier class is recognised, and linkage decides what is PHI."""

from __future__ import annotations

import functools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from phiguard.config import load_settings
from phiguard.models import Draft, LineIndex, Segment, SourceMap
from phiguard.readers import read_drafts, reader_for

from .conftest import ROOT


def analyse(checker, text: str, **meta):
    draft = Draft("<t>", [Segment("body", text, SourceMap.linear(0))], meta, 0, [],
                  LineIndex(text))
    return next(checker.analyzer.analyze([draft]))


def entity_types(checker, text: str, **meta) -> dict[str, str]:
    """Detected identifier text -> "TYPE/role" (the most specific type when several agree)."""
    analysis = analyse(checker, text, **meta)
    found: dict[str, str] = {}
    for e in sorted(analysis.entities, key=lambda e: e.type in ("DATE_TIME", "PHONE_NUMBER")):
        found.setdefault(analysis.text[e.start:e.end], f"{e.type}/{e.role}")
    return found


def all_types(checker, text: str) -> set[str]:
    return {e.type for e in analyse(checker, text).entities}


def findings(checker, text: str, **meta) -> dict[str, str]:
    return {f.rule: f.message for f in checker.check_text(text, **meta)}


@pytest.mark.parametrize("text,entity", [
    ("Her MRN 00482913 is on file.", "MRN"),
    ("Medical record # 4481290 was updated.", "MRN"),
    ("Your member ID: XGH482913771 was denied.", "ACCOUNT_NUMBER"),
    ("Account number 88412934 has a balance.", "ACCOUNT_NUMBER"),
    ("Her insurance number is W123456789 on file.", "US_HEALTH_INSURANCE_MEMBER_ID"),
    ("Her Medicare number is 1EG4-TE5-MK73.", "US_MBI"),
    ("SSN 219-09-9999 on the form.", "US_SSN"),
    ("Pacemaker serial number PM-4418829 was replaced.", "DEVICE_ID"),
    ("License plate 7ABC123 was in the ER lot.", "LICENSE_PLATE"),
    ("DOB 03/14/1951 on the wristband.", "DATE_OF_BIRTH"),
    ("He is a 94-year-old veteran.", "AGE_OVER_89"),
    ("Happy 95th birthday to Frank!", "AGE_OVER_89"),
    ("She turned 93 this week.", "AGE_OVER_89"),
    ("She was moved to room 412 last night.", "ROOM_NUMBER"),
    ("He is in bed 7 on the ward.", "ROOM_NUMBER"),
    ("She lives at 55 Elm Street near the park.", "STREET_ADDRESS"),
    ("She lives at 8 Heron Way near the park.", "STREET_ADDRESS"),
    ("mail it to 40 birch rd please", "STREET_ADDRESS"),
    ("Mail it to Springfield, IL 62704 please.", "ZIP_CODE"),
    ("Shoutout to @jsmith87 for finishing rehab!", "SOCIAL_HANDLE"),
    ("Email maria.lopez@example.com for the form.", "EMAIL_ADDRESS"),
    ("Her cell is (312) 555-0188.", "PHONE_NUMBER"),
    ("Login came from 192.168.10.44 yesterday.", "IP_ADDRESS"),
])
def test_identifier_classes_are_recognised(checker, text: str, entity: str) -> None:
    assert entity in all_types(checker, text)


@pytest.mark.parametrize("text", [
    "Our volunteers in their 90s are the heart of this place.",
    "Patients 90 or older can request a home visit.",
    "Our clinics serve the 606 ZIP area.",
    # a street type that is an everyday word counts only capitalised, as a name is written
    "Pick up 3 free way-finding maps at the front desk.",
    "We moved 2 patients out of the way.",
    # a plan number only after its label, not any code near "members" or "policy"
    "Our 40 members who finished module BLS2024 can skip the quiz.",
])
def test_not_identifiers(checker, text: str) -> None:
    assert not all_types(checker, text) & {"AGE_OVER_89", "ZIP_CODE", "STREET_ADDRESS",
                                           "US_HEALTH_INSURANCE_MEMBER_ID"}


@pytest.mark.parametrize("text,name,role", [
    ("Dr. Maria Alvarez joins our cardiology team.", "Maria Alvarez", "staff"),
    ("Jamal Pierce, RN, has spent 25 years in the ICU.", "Jamal Pierce", "staff"),
    ("Many thanks to State Representative Idris Tallowmere for opening our new wing.",
     "Idris Tallowmere",
     "public"),
    ("The ER team drilled chest compressions on Barnaby, our simulation mannequin.", "Barnaby",
     "sim"),
    ("Congratulations to Mr. Walsh on finishing dialysis!", "Walsh", "person"),
    ("Lucinda struggled with painful psoriasis through college.", "Lucinda", "person"),
])
def test_whose_name_it_is(checker, text: str, name: str, role: str) -> None:
    assert entity_types(checker, text).get(name, "").endswith("/" + role)


def test_commenter_in_a_reply_is_the_addressee(checker) -> None:
    found = entity_types(checker, "Sounds rough, Jenna!", kind="reply",
                         in_reply_to={"author": "Jenna Mraz"})
    assert found["Jenna"] == "PERSON/addressee"


def test_own_contact_details_are_the_organizations(checker) -> None:
    found = entity_types(checker, "Have questions? Call us at (555) 017-6622.")
    assert found["(555) 017-6622"] == "PHONE_NUMBER/org"


@pytest.mark.parametrize("text,meta", [
    ("Congrats to Mr. Anselm Brightwater on twelve months without skipping a dialysis visit!", {}),
    ("Cheers to Philomena Ashby, our resident who turns 103 today, pacemaker and all!", {}),
    ("Hi Tomasz, your MRN 00482913 is on file.", {"kind": "reply"}),
    ("Augustin left the ICU for a regular room before lunch.",
     {"kind": "reply", "in_reply_to": {"author": "@juniper_dad"}}),
    ("Ms. Okafor-Reyes, our chart shows your father's heart workup included an MRI.",
     {"kind": "review_reply"}),
    ('"Dr. Lindqvist spotted my thyroid nodule in time." — Ines V., Tulsa',
     {"kind": "testimonial"}),
])
def test_phi(checker, text: str, meta: dict) -> None:
    rules = findings(checker, text, **meta)
    assert any(r.startswith("PHI") for r in rules), rules


@pytest.mark.parametrize("text,meta", [
    ("Dr. Maria Alvarez joins our cardiology team this spring.", {}),
    ("Jamal Pierce, RN, 25 years in the ICU and still our favorite preceptor!", {}),
    ("Our maternity ward delivered 3,907 newborns in 2024!", {}),
    ("Flu clinic Saturday, October 3 at our Eastside clinic. Call (555) 010-4400.", {}),
    ("Ugh, sounds rough, Jenna! We're not able to advise in comments; please ring your doctor.",
     {"kind": "reply", "in_reply_to": {"author": "Jenna Mraz"}}),
    ("In training our nurses ran a code drill on Barnaby, our mannequin, who had a heart attack.",
     {}),
])
def test_not_phi(checker, text: str, meta: dict) -> None:
    rules = findings(checker, text, **meta)
    assert not any(r.startswith("PHI") for r in rules), rules


def test_valid_consent_silences_phi(checker, tmp_path) -> None:
    from phiguard.config import Settings
    from phiguard.pipeline import Session, load_rules

    registry = tmp_path / "consents.yaml"
    registry.write_text("consents:\n  - id: A1\n    status: signed\n    platforms: [facebook]\n"
                        "    expires: 2099-01-01\n", encoding="utf-8")
    settings = Settings(consent_registry=registry)
    consented = Session(settings, load_rules(settings))
    text = "Congrats to Mr. Anselm Brightwater on twelve months of dialysis!"
    assert not consented.check_text(text, consent="A1", platform="facebook")
    assert {f.category for f in consented.check_text(text, consent="A1", platform="x")} >= {
        "phi", "consent"}


def test_phi_message_names_what_was_linked_by_kind_only(checker) -> None:
    message = findings(checker, "Congrats to Mr. Anselm Brightwater, who never skipped dialysis!")
    phi = next(m for r, m in message.items() if r == "PHI002")
    assert "PERSON" in phi and "procedures" in phi and "Brightwater" not in phi


def test_icd10cm_vocabulary_extends_the_curated_lexicon(checker) -> None:
    """"sarcoidosis" is only in the ICD-10-CM-derived lexicon, not the curated lay terms."""
    from phiguard.rules.loader import builtin_rules_dir, load_ruleset

    lexicons = load_ruleset([builtin_rules_dir()]).lexicons
    assert "sarcoidosis" in lexicons["icd10cm_conditions"].terms
    assert "sarcoidosis" not in lexicons["conditions"].terms
    text = "So proud of Marcus Hale, back on the court after his sarcoidosis treatment!"
    assert "PHI002" in findings(checker, text)
    # a one-word category title names a condition ("Gout", M10); an adjective or an
    # everyday word from a longer title does not
    icd = lexicons["icd10cm_conditions"].terms
    assert {"gout", "measles", "scabies"} <= set(icd)
    assert not {"affective", "pregnancy-induced", "fall", "burn"} & set(icd)


@pytest.mark.parametrize("text,number", [
    ("Call her at 555-201-8841 tonight.", "555-201-8841"),  # fictional, yet a US-format number
    ("Reach me on (312) 555-0147 after 5.", "(312) 555-0147"),
    ("Her cousin in London is on +44 20 7946 0958.", "+44 20 7946 0958"),
    ("The front desk extension is 555 0199.", "555 0199"),  # a 7-digit local number
])
def test_phone_numbers_in_any_us_format(checker, text: str, number: str) -> None:
    assert entity_types(checker, text).get(number, "").startswith("PHONE_NUMBER")


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="0123456789 .-:()/+#,abcefxt\n", max_size=40))
def test_hand_written_gates_pass_every_text_their_recognizer_finds_something_in(
        text: str) -> None:
    from presidio_analyzer.predefined_recognizers import IpRecognizer, PhoneRecognizer

    from phiguard.analysis.builtin_recognizers import PHONE_LENIENCY, PHONE_REGIONS
    from phiguard.analysis.recognizer_gates import gate

    for recognizer in (PhoneRecognizer(supported_regions=PHONE_REGIONS, leniency=PHONE_LENIENCY),
                       IpRecognizer()):
        if recognizer.analyze(text, recognizer.supported_entities):
            assert gate(recognizer).search(text) is not None


def test_presidio_finds_the_same_when_asked_only_for_the_types_the_gates_pass(checker) -> None:
    """Every example draft and a few identifier-dense texts, analysed for every type and for
    the gated types: the same results, score included."""
    from phiguard.analysis.core import SCORE_THRESHOLD

    drafts = [*(ROOT / "examples" / "drafts").rglob("*"),
              *(ROOT / "examples" / "scheduled").rglob("*")]
    settings = load_settings(ROOT / "examples" / ".phiguard.yaml")  # its CSV's date order
    texts = [draft.joined()[0] for path in sorted(drafts)
             if path.is_file() and reader_for(path) is not None
             for draft in read_drafts(path, str(path), settings)]
    texts += [
        "SSN 123-45-6789, MRN 4456123, DOB 03/14/1961, room 412B, call (555) 201-3344.",
        "Email ana.ruiz@example.org or visit 10.0.0.12; member ID XJH123456789, NPI 1234567893.",
        "Plate 7ABC123, passport 912345678, card 4111 1111 1111 1111, acct 00123456789.",
        "Age 93, lives at 1200 Hollis Street, Apt 4, ZIP 02139. @ana_ruiz on Instagram.",
    ]
    analyzer = checker.analyzer
    every = sorted(analyzer.presidio.get_supported_entities(language="en"))
    gated_away = 0
    for text in texts:
        artifacts = analyzer.presidio.nlp_engine.process_text(text, "en")
        entities = analyzer.gates.entities(text)
        gated_away += len(every) - len(entities)

        def found(types: list[str], text: str = text, artifacts: object = artifacts) -> list:
            return sorted((r.entity_type, r.start, r.end, round(r.score, 6))
                          for r in analyzer.presidio.analyze(
                              text=text, language="en", entities=types,
                              nlp_artifacts=artifacts, score_threshold=SCORE_THRESHOLD))

        assert found(entities) == found(every), text
    assert gated_away > len(texts)  # the gates did skip recognizers


@functools.cache  # built when a test asks (seconds), not when the suite is collected
def union_gated() -> list[tuple[object, object]]:
    """Every plain pattern recognizer phiguard runs (Presidio's and rules/recognizers/), with
    the union gate it is run behind."""
    from phiguard.analysis.builtin_recognizers import _predefined
    from phiguard.analysis.recognizer_gates import union_gate
    from phiguard.analysis.recognizers import load_pattern_recognizers
    from phiguard.rules.loader import builtin_rules_dir, load_ruleset

    ruleset = load_ruleset([builtin_rules_dir()])
    recognizers = [make() for make in _predefined().values()]
    recognizers += load_pattern_recognizers(ruleset.recognizer_files)
    return [(r, gate) for r in recognizers if (gate := union_gate(r)) is not None]


NOISE = st.text(alphabet="0123456789 .-:#/()@abcMRNDOBxX\n", max_size=20)


def test_union_gates_cover_the_pattern_recognizers() -> None:
    names = {recognizer.name for recognizer, _ in union_gated()}
    assert len(names) >= 15
    assert {"UsSsnRecognizer", "Medical record number", "ZIP code"} <= names


@settings(max_examples=600, deadline=None)
@given(st.data())
def test_a_union_gate_passes_every_text_its_recognizer_finds_something_in(data) -> None:
    """Texts are built around a string that one of the recognizer's own patterns matches."""
    recognizer, gate = data.draw(st.sampled_from(union_gated()))
    pattern = data.draw(st.sampled_from(recognizer.patterns))
    try:
        core = data.draw(st.from_regex(pattern.regex, fullmatch=True))
    except Exception:  # a pattern in `regex`-only syntax hypothesis cannot generate from
        core = ""
    text = data.draw(NOISE) + core + data.draw(NOISE)
    if recognizer.analyze(text, recognizer.supported_entities):
        assert gate.search(text) is not None


@pytest.mark.parametrize("text", [
    "Get well soon Pemberly Ashgrove! Your last round of chemo ends Friday.",
    "Congrats to Quorra Vantablack on finishing radiation this week!",
])
def test_an_unusual_name_where_a_greeting_expects_one_is_a_name(checker, text: str) -> None:
    assert "PHI002" in findings(checker, text, kind="post")


@pytest.mark.parametrize("text", [
    "Congratulations to Oakhaven Elementary on 100 flu shots given!",
    "Welcome to Riverside Clinic, where flu shots are free this week.",
])
def test_a_school_or_clinic_after_a_greeting_is_not_a_name(checker, text: str) -> None:
    assert "PHI002" not in findings(checker, text, kind="post")


def test_a_self_introduced_name_that_is_also_a_billing_word_is_a_name(checker) -> None:
    text = "I'm Bill, a retired mail carrier, and after my hip replacement I walked a 5K."
    assert "PHI005" in findings(checker, text, kind="testimonial")


def test_a_lower_case_given_name_where_a_name_is_expected_is_a_name(checker) -> None:
    found = entity_types(checker, "@pell.o.w yes!! tell maisie we said hello!", kind="reply")
    assert found.get("maisie", "").startswith("PERSON/")
    assert "doctor" not in entity_types(checker, "Please tell your doctor about any rash.")
