"""The comment a reply answers as its context (analysis/answered.py): a reply that speaks of
the care the comment told of confirms it. Invented people and practices only."""

from __future__ import annotations

from typing import Any

import pytest

from phiguard.analysis.answered import answered_text, tells_own_care


def _any_health_word(text: str) -> bool:
    return any(w in text.lower() for w in ("filling", "asthma", "stitches", "braces"))


@pytest.mark.unit
@pytest.mark.parametrize("comment,tells", [
    ("Dr. Ferro did my filling and I felt nothing!", True),
    ("The nurses here kept my son's asthma in check all winter.", True),
    ("Y'all took out my stitches so gently.", True),
    ("So grateful you fixed my filling before the wedding!", True),
    # care elsewhere, or no care at all
    ("Got my stitches out at urgent care, can I swim now?", False),
    ("Is it true that braces hurt? Asking for a friend.", False),
    ("Your page on asthma helped me understand it.", False),
    ("Does a filling give you a headache? Mine did.", False),
    ("Dr. Ferro is the best!", False),
])
def test_a_comment_tells_of_care_this_organization_gave(comment: str, tells: bool) -> None:
    assert tells_own_care(comment, _any_health_word) is tells


@pytest.mark.unit
def test_the_answered_text_is_read_from_the_metadata() -> None:
    assert answered_text({"in_reply_to": {"author": "@x", "text": "Hi"}}) == "Hi"
    assert answered_text({"in_reply_to": "not a mapping"}) == ""
    assert answered_text({}) == ""


def _rules(checker: Any, reply: str, comment: str) -> set[str]:
    meta = {"kind": "reply", "in_reply_to": {"author": "Noor Haddadin", "text": comment}}
    return {f.rule for f in checker.check_text(reply, **meta)}


COMMENT = "Dr. Ferro pulled my wisdom teeth last month and the extraction was painless!"


@pytest.mark.parametrize("reply", [
    "What a pleasure to have a hand in the extraction, Noor!",
    "So glad to hear it, Noor! Keep rinsing after the extraction.",
])
def test_a_reply_that_speaks_of_the_care_the_comment_told_of_confirms_it(checker: Any,
                                                                        reply: str) -> None:
    assert {"RR001", "PHI009"} <= _rules(checker, reply, COMMENT)
    # the same words answering a comment that told of no care confirm nothing
    assert not _rules(checker, reply, "Nice office!") & {"RR001", "PHI009"}


@pytest.mark.parametrize("reply", [
    "Such a lovely note, Noor! We will pass it along to Dr. Ferro.",
    "We can't discuss anyone's extraction here; please ring our front desk team.",
    "The Valley Dental Institute has a good general guide on tooth extraction.",
    "Stay warm this week, Noor!",
])
def test_a_reply_that_does_not_speak_of_that_care_stays_quiet(checker: Any, reply: str) -> None:
    assert not _rules(checker, reply, COMMENT) & {"RR001", "PHI009", "PHI003"}


def test_without_a_comment_telling_of_care_a_health_word_alone_confirms_nothing(
        checker: Any) -> None:
    comment = "Does a tooth extraction hurt?"
    assert not _rules(checker, "An extraction is done under local anesthesia.",
                      comment) & {"RR001", "PHI009"}
