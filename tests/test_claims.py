"""The `claim` rule kind (rules/claims.py) and the stance judge (analysis/stance.py).

Invented sentences only; each mechanism is shown firing and staying quiet.
"""

from __future__ import annotations

from typing import Any

import pytest

from phiguard.analysis.stance import judge
from phiguard.rules import claims

REPORTING = frozenset({"claim", "say", "post", "allege"})
FRAMES = [("myth",), ("no", "evidence"), ("fact", ":")]
MESSAGES = frozenset({"message", "video"})


@pytest.fixture(scope="module")
def nlp(checker: Any) -> Any:
    return checker.analyzer.nlp


def _claim(nlp: Any, **slots: Any) -> claims.Claim:
    return claims.compile_claims([slots], {}, nlp.tokenizer)[0]


def _stances(nlp: Any, claim: claims.Claim, text: str) -> list[str]:
    doc = nlp(text)
    found = []
    for sentence in doc.sents:
        for tokens, relation in claims.find(claim, sentence):
            found.append(judge(sentence, [doc[i] for i in tokens], doc[relation], REPORTING,
                               FRAMES, doc[:], MESSAGES))
    return found


def test_a_claim_is_found_in_either_voice_and_order(nlp: Any) -> None:
    claim = _claim(nlp, subject=["kelp"], relation=["cause", "link"], object=["baldness"])
    assert _stances(nlp, claim, "Kelp causes baldness.") == ["asserted"]
    assert _stances(nlp, claim, "Baldness is caused by kelp.") == ["asserted"]
    assert _stances(nlp, claim, "Baldness is linked with kelp.") == ["asserted"]
    assert _stances(nlp, claim, "Kelp is tasty. Baldness runs in families.") == []


def test_words_match_text_or_lemma_and_a_star_any_ending(nlp: Any) -> None:
    claim = _claim(nlp, subject=["kelp*"], relation=["cure"], object=["gout"])
    assert _stances(nlp, claim, "Kelpwater cured my gout.") == ["asserted"]
    assert _stances(nlp, claim, "Seaweed cured my gout.") == []


def test_another_subject_between_breaks_the_claim(nlp: Any) -> None:
    claim = _claim(nlp, subject=["kelp"], relation=["kill"])
    assert _stances(nlp, claim, "Without kelp the drought will continue to kill crops.") == []


@pytest.mark.parametrize("text, stance", [
    ("Kelp does not cause baldness.", "negated"),
    ("Kelp DON’T cause baldness.", "negated"),
    ("Kelp can't cause baldness.", "negated"),
    ("I don't think kelp causes baldness.", "negated"),
    ("Does kelp cause baldness?", "questioned"),
    ("Did you know kelp causes baldness?", "asserted"),
    ("A viral post claims that kelp causes baldness.", "reported"),
    ("The science says kelp causes baldness.", "asserted"),
    ("MYTH: kelp causes baldness.", "refuted"),
    ("There is no evidence that kelp causes baldness.", "refuted"),
    ("Kelp not only causes baldness but also itching.", "asserted"),
    # a sentence that describes a message and what it says reports it
    ("A viral message warning people that kelp causes baldness.", "reported"),
    ("A video made by our nurses shows that kelp causes baldness.", "asserted"),
    ("The message is simple: kelp causes baldness.", "asserted"),
])
def test_stance_of_a_claim(nlp: Any, text: str, stance: str) -> None:
    claim = _claim(nlp, subject=["kelp"], relation=["cause"], object=["baldness"])
    assert _stances(nlp, claim, text) == [stance]


def test_a_directive_claim_needs_an_instruction_to_the_reader(nlp: Any) -> None:
    claim = _claim(nlp, directive=True, relation=["wear", "use"], object=["goggles"])
    assert _stances(nlp, claim, "Wear goggles when you grind metal.")
    assert _stances(nlp, claim, "You should always use goggles in the lab.")
    assert _stances(nlp, claim, "Here's how to use goggles safely.")
    # a label and a colon open the instruction as a sentence start does
    assert _stances(nlp, claim, "Shop safety tip of the week: wear goggles at the grinder!")
    assert not _stances(nlp, claim, "Our welders wear goggles every day.")
    assert not _stances(nlp, claim, "Our welders: they wear goggles every day.")
    # so does a comma before a verb that begins its own clause, not one in a list
    assert _stances(nlp, claim, "If you grind metal, wear goggles.")
    assert _stances(nlp, claim, "(1/3) If the sparks won't stop, call the foreman and use goggles.")
    assert not _stances(nlp, claim, "Our crews can weld steel, use goggles and work fast.")
    # the act an aspect verb instructs: "keep wearing"
    assert _stances(nlp, claim, "Keep wearing goggles at the grinder, folks!")
    assert not _stances(nlp, claim, "Our welders keep wearing goggles at the grinder.")
    assert not _stances(nlp, claim, "When welders grind metal, they wear goggles.")


def test_claim_rules_fire_only_on_the_stances_they_name(checker: Any) -> None:
    def rules(text: str) -> set[str]:
        return {f.rule for f in checker.check_text(text, kind="post")}

    assert "MIS001" in rules("Vaccines cause autism, everyone knows it.")
    assert "MIS001" not in rules("Vaccines don't cause autism.")
    assert "MIS001" not in rules("A neighbour's post claims vaccines cause autism.")
    # busting the myth is not misinformation, but it is health advice needing a disclaimer
    assert "DIS004" in rules("MYTH: vaccines cause autism. TRUTH: they don't.")
    assert "DIS004" not in rules("MYTH: vaccines cause autism. TRUTH: they don't. Info only.")
    # a myth marked `guidance: false` denies the pandemic and tells no one what to do
    assert "MIS006" in rules("The coronavirus is a hoax made up by the media.")
    assert "DIS004" not in rules("The coronavirus is a hoax made up by the media.")


def test_worked_myth_example_in_docs_is_a_valid_passing_rule(tmp_path: Any) -> None:
    """The organization's own myth in docs/rules.md loads and passes its own examples."""
    from pathlib import Path

    from phiguard.config import Settings
    from phiguard.pipeline import run_rule_tests

    doc = (Path(__file__).resolve().parents[1] / "docs" / "rules.md").read_text("utf-8")
    example = doc.split("In `compliance/rules/myths.yaml`:\n\n```yaml\n")[1].split("```")[0]
    folder = tmp_path / "compliance"
    folder.mkdir()
    (folder / "myths.yaml").write_text(example, encoding="utf-8")
    failures, total = run_rule_tests(Settings(rule_paths=[folder]))
    assert failures == []
    assert total >= 5


def test_a_directive_is_an_uninflected_verb_and_will_instructs_only_the_reader(nlp: Any) -> None:
    claim = _claim(nlp, directive=True, relation=["wear", "take", "stop"], object=["goggles"])
    assert _stances(nlp, claim, "You'll need to wear goggles in the workshop.")
    assert not _stances(nlp, claim, "Taken together, goggles cut eye injuries at the plant.")
    assert not _stances(nlp, claim, "The welders will stop wearing goggles soon.")


def test_a_directive_object_must_head_its_phrase(nlp: Any) -> None:
    claim = _claim(nlp, directive=True, relation=["get"], object=["measles"])
    assert _stances(nlp, claim, "Get measles shots for your kids.")
    assert not _stances(nlp, claim, "Get the latest measles news from our county page.")
    assert not _stances(nlp, claim, "Get the weekly measles report on our county page.")


def test_a_subject_that_is_the_object_of_a_coordinated_verb_is_not_the_claim_subject(
        nlp: Any) -> None:
    claim = _claim(nlp, subject=["kelp"], relation=["protect"], object=["gums"])
    assert _stances(nlp, claim, "Kelp protects your gums.") == ["asserted"]
    assert _stances(nlp, claim, "Chewing kelp protects your gums.") == ["asserted"]
    assert not _stances(nlp, claim, "We are buying kelp and protecting the gums of our members.")


def test_quotations_pair_double_quotes_and_skip_a_whole_draft_quote() -> None:
    from phiguard.analysis.stance import in_quotation, quotations

    text = 'A video says the "numbers are false" and "masks do nothing".'
    spans = quotations(text)
    assert [text[a:b] for a, b in spans] == ['"numbers are false"', '"masks do nothing"']
    assert in_quotation(text.index("false"), spans)
    assert not in_quotation(text.index("video"), spans)
    assert quotations('"Zinc cured my cold in a day."') == []  # the draft's own voice
    assert quotations('An unpaired " quote opens nothing') == []


def test_a_claim_inside_a_quotation_is_reported_unless_the_draft_is_a_testimonial(
        checker: Any) -> None:
    quoted = 'Is this real? A page shared "garlic cures the flu overnight" with 2,000 people.'
    assert "MIS006" not in {f.rule for f in checker.check_text(quoted, kind="post")}
    assert "DIS003" not in {f.rule for f in checker.check_text(quoted, kind="post")}
    asserted = "Garlic cures the flu overnight, and we shared it with 2,000 people."
    assert "DIS003" in {f.rule for f in checker.check_text(asserted, kind="post")}
    own = ('From our patient Ruth P.: "Garlic cures the flu. Trust me, I tried it." '
           'Book a visit with us this winter.')
    assert "DIS003" in {f.rule for f in checker.check_text(own, kind="testimonial")}


def test_a_relation_inside_a_hyphenated_modifier_or_one_noun_phrase_is_no_claim(
        checker: Any) -> None:
    def rules(text: str) -> set[str]:
        return {f.rule for f in checker.check_text(text, kind="post")}

    # "change" in "climate change-related" relates nothing; "COVID vaccine" is one thing
    assert "DIS003" not in rules("She got the vaccine before her climate change-related tinnitus.")
    assert "DIS003" not in rules("A whistleblower raised the alarm about a separate COVID vaccine.")
    assert "DIS003" in rules("The vaccine can change the course of your COVID illness.")


def test_describing_a_non_health_thing_as_common_is_not_guidance(checker: Any) -> None:
    rules = {f.rule for f in checker.check_text(
        "The M2 protein is common to many influenza A strains.", kind="post")}
    assert not any(r.startswith("DIS") for r in rules)
    symptom = {f.rule for f in checker.check_text(
        "Mild soreness after a flu shot is common and temporary.", kind="post")}
    assert "DIS003" in symptom


def test_an_active_relation_has_its_subject_before_it(checker: Any) -> None:
    rules = {f.rule for f in checker.check_text(
        "Our lab's findings could help the design of improved vaccines against measles.",
        kind="post")}
    assert "DIS003" not in rules
    assert "DIS003" in {f.rule for f in checker.check_text(
        "Better vaccines may help against the flu.", kind="post")}


def test_a_label_or_a_place_is_not_an_instruction(checker: Any) -> None:
    # "usa" is Spanish for "use"; "USA:" is a label
    rules = {f.rule for f in checker.check_text(
        "USA: these pregnancy databases are a scandal", kind="post")}
    assert "DIS002" not in rules
    assert "DIS002" in {f.rule for f in checker.check_text(
        "TIP: Wear sunscreen every day to prevent skin cancer.", kind="post")}
