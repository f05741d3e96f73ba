"""A health word inside an organization's or a place's name is part of the name, not a claim's
word: an announcement naming "... Health" is no health guidance. Invented names."""

from __future__ import annotations


def rules_of(checker, text: str) -> set[str]:
    return {f.rule for f in checker.check_text(text, kind="post")}


def test_a_health_word_inside_an_organization_name_is_not_guidance(checker) -> None:
    text = ("Walk in to any Larkspur Valley Health clinic Monday to Friday, 8 a.m. to 6 p.m., "
            "no appointment needed.")
    assert "DIS002" not in rules_of(checker, text)


def test_the_same_health_word_as_a_topic_still_is(checker) -> None:
    assert "DIS002" in rules_of(checker, "Walk every day and protect your health.")


def test_a_term_that_is_the_whole_name_still_counts(checker) -> None:
    # NER may read a capitalised term ("Vitamin D") as a name; the term is the whole name
    assert "DIS003" in rules_of(checker, "Vitamin C cures the common cold.")
    assert "DIS003" in rules_of(checker, "Zinc does not cure polio, whatever you read.")
