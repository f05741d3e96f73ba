"""Care confirmation in replies (analysis/care.py) and the reply's addressee behind a greeting.
Invented people and sentences only."""

from __future__ import annotations

import pytest

from phiguard.analysis import care

from .test_phi import analyse, findings

REPLY = {"kind": "reply", "in_reply_to": {"author": "Wendeline Ostrova"}}


def confirmed(checker, text: str) -> list[str]:
    analysis = analyse(checker, text, **REPLY)
    marked = analysis.doc.user_data.get(care.USER_DATA_KEY, ())
    return [analysis.doc[i].text for i in sorted(marked)]


@pytest.mark.parametrize("text", [
    "We'll go over the new dosage at your follow-up next month.",  # speaker + your + encounter
    "Our nurses loved having you in the infusion suite every Thursday.",  # our + you + care act
    "It was a privilege to care for your grandmother this spring.",  # implied speaker
    "As I explained at your last appointment, the brace stays on overnight.",
    "You can skip the walk this week and we'll recheck your knee in May.",  # other clause hedged
])
def test_the_speaker_taking_part_in_the_persons_care_confirms_it(checker, text: str) -> None:
    assert confirmed(checker, text)
    assert "RR001" in findings(checker, text, **REPLY)


@pytest.mark.parametrize("text", [
    "Our front desk can help you book an appointment.",  # a hedge: an offer
    "If you would like a consultation with us, reply here.",  # a condition
    "We can't discuss anyone's treatment on social media.",  # a negation
    "Please call your pharmacist or our nurse line about your medication.",  # a redirect
    "We're happy to go over your insulin questions at the counter anytime.",  # an offer, present
    "Our team has no record of treating you at this clinic.",  # "no record"
    "Joint pain has many causes, so we can't say more here.",  # no person in the care clause
])
def test_offers_hedges_negations_and_redirects_do_not_confirm(checker, text: str) -> None:
    assert not confirmed(checker, text)
    assert "RR001" not in findings(checker, text, **REPLY)


def test_care_is_only_read_in_replies(checker) -> None:
    analysis = analyse(checker, "We'll go over the dosage at your follow-up next month.")
    assert not analysis.doc.user_data.get(care.USER_DATA_KEY)


def test_a_greeting_taken_into_the_name_still_leaves_the_addressee(checker) -> None:
    analysis = analyse(checker, "Hi Wendeline, happy to hear the stitches came out well!", **REPLY)
    roles = {analysis.text[e.start:e.end]: e.role for e in analysis.entities
             if e.type == "PERSON"}
    assert roles and all(role == "addressee" for role in roles.values())
    assert "RR002" not in findings(checker, "Hi Wendeline, take 200 mg ibuprofen with food.",
                                   **REPLY)


def test_a_third_person_behind_a_greeting_is_still_reported(checker) -> None:
    text = "Hi! Cornelius Ashgrove left the ICU for a regular ward overnight."
    assert "RR002" in findings(checker, text, **REPLY)


@pytest.mark.parametrize("text,fires", [
    ("Two more days of your doxycycline and you're all set!", True),
    ("Glad your daughter's eczema cleared up so fast.", True),
    # a condition says what a generic word is for: "your diabetes medication"
    ("So glad the new diabetes medication of yours is working, and your migraine pills too.", True),
    ("Glad your gout medication is finally doing its job.", True),
    ("Kindly check with the doctor who ordered your medication before adjusting it.", False),
    ("Could your asthma be acting up? Ask your own doctor.", False),  # a question, redirected
])
def test_a_specific_health_word_the_person_owns_confirms_care(checker, text, fires) -> None:
    assert bool(confirmed(checker, text)) is fires


@pytest.mark.parametrize("text", [
    # "her" is the relative the reply spoke of
    "We're sorry, Wendeline. Your mother was stable for discharge once her pneumonia improved.",
    # a later conjunct is owned like the first
    "Your husband's labs and EKG were normal when he left.",
    # a patient noun said of the person answered
    "You were honestly the sweetest patient on our floor!",
    # a dash ends the clause: "Congrats" is not the subject of "see"
    "Congrats on the promotion - see you in May for the knee recheck!",
    # our nurses talking about him is a report, not a redirect
    "Our nurses still talk about your son and his first week in the NICU.",
])
def test_more_ways_a_reply_confirms_care(checker, text: str) -> None:
    assert confirmed(checker, text)
    assert "RR001" in findings(checker, text, **REPLY)


@pytest.mark.parametrize("text", [
    "Her pneumonia talk at the library was wonderful.",  # no relative or name before "her"
    "If you become a patient here, our front desk will set you up.",  # a condition
    "Please speak with our nurse line about the EKG.",  # a redirect
    "Patients are our priority, always.",  # a patient noun said of no one
])
def test_what_still_does_not_confirm_care(checker, text: str) -> None:
    assert not confirmed(checker, text)
    assert "RR001" not in findings(checker, text, **REPLY)


def test_an_owner_on_the_first_word_of_a_compound_owns_the_health_word(checker) -> None:
    text = "@quillon.m look at you shine!! your isotretinoin glow-up is unreal"
    assert "PHI009" in {f.rule for f in checker.check_text(text, kind="reply")}
    other = "@quillon.m look at you shine!! this glow-up is unreal"
    assert not {f.rule for f in checker.check_text(other, kind="reply")} & {"PHI009", "RR001"}


def test_a_name_only_the_recognizers_find_lets_she_be_that_person(checker) -> None:
    # spaCy's NER does not tag a lowercase name; the name recognizers do
    text = "aw tell wilhelmina the whole crew misses her, she was the sweetest client"
    assert confirmed(checker, text) == ["client"]
    assert {"RR001", "PHI003"} <= set(findings(checker, text, **REPLY))


def _confirmed_answering(checker, reply: str, comment: str) -> list[str]:
    meta = {"kind": "reply", "in_reply_to": {"author": "Wendeline Ostrova", "text": comment}}
    analysis = analyse(checker, reply, **meta)
    return [analysis.doc[i].text for i in sorted(
        analysis.doc.user_data.get(care.USER_DATA_KEY, ()))]


def test_repeating_the_commenters_own_care_elsewhere_confirms_nothing(checker) -> None:
    reply = "Hi Wendeline, your dad's warfarin changes things a little."
    # the comment told of the warfarin (care elsewhere): owning it repeats their disclosure
    told = "My dad is on warfarin, can he take ibuprofen for his back?"
    assert _confirmed_answering(checker, reply, told) == []
    # a comment that never named it: the reply is the one telling it
    assert _confirmed_answering(checker, reply, "Quick question about my dad.") == ["warfarin"]


def test_the_addressees_own_name_is_not_who_he_or_she_is(checker) -> None:
    # "his" cannot be Wendeline, the person answered; with no one else named it is no one's
    assert confirmed(checker, "Hi Wendeline - keep him on his amoxicillin for ten days.") == []
    assert confirmed(checker, "Hi Wendeline - keep Tobiah on his amoxicillin for ten days.") == [
        "amoxicillin"]


def test_the_persons_own_clinicians_elsewhere_are_no_health_detail(checker) -> None:
    text = "Timelines vary, and your surgeon or PT will know what fits you."
    assert confirmed(checker, text) == []


@pytest.mark.parametrize("text", [
    "Dr. Okonjo saw you for the recheck on Monday and was so pleased.",
    "Nurse Adaeze admitted you that night and still asks about you!",
])
def test_a_clinician_named_by_title_speaks_for_the_organization(checker, text: str) -> None:
    assert confirmed(checker, text)
    assert "RR001" in findings(checker, text, **REPLY)


def test_a_visit_word_the_rules_match_is_not_read_under_a_hedge_or_a_redirect(checker) -> None:
    # RR001's "your <visit>" pattern reads `care_held_back`
    assert "RR001" not in findings(
        checker, "If you'd like to book your first appointment with us, call the desk!", **REPLY)
    assert "RR001" in findings(checker, "Sorry the wait ran long at your appointment.", **REPLY)


@pytest.mark.parametrize("text", [
    # a redirect verb told in the past is a report: "we found", not "find a counselor"
    "The cavity we found at your last cleaning was a tiny one.",
    # "you can" gives the person leave about their own care; it hedges nothing
    "You can skip your evening metoprolol on the days you feel faint.",
])
def test_a_report_or_a_permission_is_no_hedge(checker, text: str) -> None:
    assert confirmed(checker, text)


def test_a_care_word_that_names_one_of_our_units_is_no_care(checker) -> None:
    assert confirmed(checker, "Our billing office will get back to you this week.") == []
    assert confirmed(checker, "We sent your billing statement to you this week.") == ["billing"]
