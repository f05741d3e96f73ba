"""Advice (rules/advice.yaml): personalised advice as a speech act in a reply - a diagnosis, a
dose, an instruction to start, stop or change a medication - and redirects to care that stay
quiet. Invented people and sentences only."""

from __future__ import annotations

from typing import Any

import pytest

from phiguard.rules import claims


def advised(checker: Any, text: str, kind: str = "reply") -> bool:
    return any(f.category == "advice" for f in checker.check_text(text, kind=kind))


@pytest.mark.parametrize("text", [
    "Hi Orla, stop the prednisone for two days and then restart it.",  # vocative, then imperative
    "@trailmix Start with 2 puffs of your albuterol before you hike.",
    "Yes, you can double your metformin tonight.",
    "@wren_p Have you tried taking 200 mg of magnesium at night?",  # a dose asked back
    "Hi Dev, for her weight it's 4 mL of the children's ibuprofen.",  # a dose stated
    "Hi Cal, give him 3 extra units of insulin after dinner.",
    "@pia_l That's eczema, it flares in winter.",  # a diagnosis
    "Sounds like eczema to me!",
])
def test_personal_advice_in_a_reply_fires(checker: Any, text: str) -> None:
    assert advised(checker, text)


@pytest.mark.parametrize("text", [
    "Sorry, no medical advice in comments; ask your prescriber before you stop any medication.",
    "Hi Tobiah, do run it past a pharmacist before mixing any pain reliever with your meds.",
    "Thanks, Lena! Stop by our booth on Saturday for a free water bottle.",
    "@marlo_v You can still come down with the flu before the shot takes effect.",  # no diagnosis
    "Hi Nell, that's a great question! Eczema is common in winter; your clinician can help.",
])
def test_redirects_and_general_replies_are_quiet(checker: Any, text: str) -> None:
    assert not advised(checker, text)


def test_a_general_post_is_not_personal_advice(checker: Any) -> None:
    assert not advised(checker, "Adults can take 2 puffs of a rescue inhaler as prescribed.",
                       kind="post")


def test_a_vocative_opens_an_imperative(checker: Any) -> None:
    nlp = checker.analyzer.nlp
    claim = claims.compile_claims([{"directive": True, "relation": ["stop"],
                                    "object": ["kelpcaps"]}], {}, nlp.tokenizer)[0]

    def found(text: str) -> bool:
        return any(claims.find(claim, s) for s in nlp(text).sents)

    assert found("Hi Rachel, stop the kelpcaps for a week.")
    assert found("Dana, stop the kelpcaps for a week.")
    assert not found("Rachel stopped the kelpcaps last week.")
    assert not found("Our team will stop selling kelpcaps in June.")


def test_a_claim_gap_limits_how_far_apart_its_words_stand(checker: Any) -> None:
    nlp = checker.analyzer.nlp
    near = claims.compile_claims([{"gap": 2, "relation": ["it's"], "object": ["gout"]}], {},
                                 nlp.tokenizer)[0]

    def found(text: str) -> bool:
        return any(claims.find(near, s) for s in nlp(text).sents)

    assert found("It's probably gout.")
    assert not found("It's hard to say whether the pain in your toe is gout.")
