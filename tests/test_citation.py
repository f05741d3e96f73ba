"""Citation (rules/citation.yaml): what a figure is, what an appeal to evidence is, and when a
source named in prose or the draft's publisher cites it. Invented sentences only."""

from __future__ import annotations

from typing import Any

import pytest

from phiguard.rules import claims


def cited(checker: Any, text: str, **meta: Any) -> bool:
    """True when the draft has no citation finding."""
    return not any(f.category == "citation" for f in checker.check_text(text, **meta))


# -- what counts as a figure ----------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Chewing gum after meals cuts cavities by 30%.",
    "One in four hikers gets blisters on a long trail.",
    "Sunscreen users are 3 times less likely to burn.",
    "This rinse removes 6x more plaque than water.",
    "Skipping breakfast brings a 2-fold rise in snacking.",
    "Loud music doubles your risk of hearing loss.",
    "Twice as many cyclists as runners report knee strain.",
    "Two-thirds of adults skip their yearly eye exam.",
    "This balm lowers itching by 3 points on the scale in a week.",
    "Stair climbing cuts the risk of a fall in half.",
    "There were 41 flu admissions per 100,000 residents last month.",
])
def test_figures_need_a_citation(checker: Any, text: str) -> None:
    assert not cited(checker, text)


@pytest.mark.parametrize("text", [
    "Regular stretching reduces the risk of strains.",  # no figure
    "Wear SPF 30+ sunscreen at the beach.",  # a threshold
    "Call us if a fever reaches 103°F or higher.",
    "Teens need 8-10 hours of sleep a night.",
    "Our clinic opens at 8:30 on March 3; call 555-010-2000.",
    "Adults over 65 can get the high-dose shot.",
    "Take the tablets 2x daily with food.",
    "Our team screened 900 students this fall, 15% more than last year!",  # own operations
    "Survey: 58% of voters support the new clinic levy.",  # opinion, not health
    "Do 80% of sore throats really clear up without antibiotics?",  # a question
])
def test_no_figure_or_not_a_claim_needs_no_citation(checker: Any, text: str) -> None:
    assert cited(checker, text)


# -- appeals to evidence --------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "A new analysis of 3,000 swimmers shows earplugs prevent ear infections.",
    "Several trials have found that humming eases congestion.",
    "Scores of studies have found no connection between wet hair and catching a cold.",
    "Honey soothes a child's cough, according to new research.",
    "Oat Milk Lowers Cholesterol: Study",
    "Analysis: Standing Desks Ease Back Pain",
])
def test_appeals_to_evidence_need_a_citation(checker: Any, text: str) -> None:
    assert not cited(checker, text)


@pytest.mark.parametrize("text", [
    "Show the nurse your study badge at the door.",  # the research word is an object
    "The chart by our data team shows visits by month.",  # a modifier of another noun
    "Our sleep study enrolls volunteers next week.",  # no evidence verb
    "Can napping help memory? Researchers are recruiting volunteers.",
])
def test_research_words_without_an_appeal_are_quiet(checker: Any, text: str) -> None:
    assert cited(checker, text)


# -- a source named in prose ----------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "According to the CDC, 1 in 5 adults has arthritis.",
    "Per the CDC, 1 in 5 adults has arthritis.",
    "A new CDC report finds 1 in 5 adults has arthritis.",
    "The CDC estimates that 1 in 5 adults has arthritis.",
    "RT @CDCgov: 1 in 5 adults has arthritis. Learn the signs.",
    "HHS: 20% of adults have arthritis.",
    "A study in the New England Journal of Medicine shows yoga eases arthritis pain.",
    "1 in 5 adults has arthritis (Source: World Health Organization).",
])
def test_a_reputable_source_named_in_prose_cites(checker: Any, text: str) -> None:
    assert cited(checker, text)


@pytest.mark.parametrize("text", [
    "1 in 5 adults has arthritis. Tell @CDCgov we said hi.",  # a mention, not a source
    "According to my neighbour, 1 in 5 adults has arthritis.",  # not a reputable source
    "1 in 5 adults has arthritis, which is who our new clinic serves.",  # "who", not WHO
])
def test_a_mention_or_another_source_does_not_cite(checker: Any, text: str) -> None:
    assert not cited(checker, text)


def test_a_health_authority_states_its_own_figures(checker: Any) -> None:
    text = "This week 14% of flu tests came back positive, up from 9% last week."
    assert cited(checker, text, org="Centers for Disease Control and Prevention (CDCgov)")
    assert not cited(checker, text, org="Maple Street Family Clinic")


# -- the mechanisms, on the parse -----------------------------------------------------------

def test_attribution_reads_markers_colons_nouns_and_subjects(checker: Any) -> None:
    nlp = checker.analyzer.nlp
    attribution = claims.compile_attribution(
        {"names": ["Kestrel Institute", "KHI", "@kestrelhealth"], "markers": ["according to"],
         "nouns": ["report"], "verbs": ["estimate"]}, {}, nlp.tokenizer)
    assert attribution is not None

    def check(text: str) -> bool:
        return claims.attributed(attribution, nlp(text)[:])

    assert check("According to the Kestrel Institute, 3 in 10 dogs snore.")
    assert check("KHI: 3 in 10 dogs snore.")
    assert check("A new @kestrelhealth report says 3 in 10 dogs snore.")
    assert check("The Kestrel Institute estimates that 3 in 10 dogs snore.")
    assert not check("3 in 10 dogs snore. Thanks @kestrelhealth for the treats!")
    assert not check("Khi: 3 in 10 dogs snore.")  # an acronym only in capitals


def test_own_source_reads_the_org_name(checker: Any) -> None:
    nlp = checker.analyzer.nlp
    attribution = claims.compile_attribution({"names": ["Kestrel Institute"]}, {}, nlp.tokenizer)
    assert attribution is not None
    assert claims.own_source(attribution, "Kestrel Institute (kestrelinst)", nlp.tokenizer)
    assert claims.own_source(attribution, {"name": "Kestrel Institute"}, nlp.tokenizer)
    assert not claims.own_source(attribution, "Harbor Dental", nlp.tokenizer)
    assert not claims.own_source(attribution, None, nlp.tokenizer)


def test_a_parsed_claim_needs_the_subject_to_be_the_verbs_subject(checker: Any) -> None:
    nlp = checker.analyzer.nlp
    claim = claims.compile_claims([{"parsed": True, "subject": ["survey"],
                                    "relation": ["show", "find"]}], {}, nlp.tokenizer)[0]

    def found(text: str) -> bool:
        return any(claims.find(claim, s) for s in nlp(text).sents)

    assert found("A survey of 500 gardeners shows that gloves prevent blisters.")
    assert found("Hundreds of surveys have found the same thing.")
    assert not found("Show the clerk your survey card.")
    assert not found("The survey team finds parking hard.")
