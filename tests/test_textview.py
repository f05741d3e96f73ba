"""The analysis view of a draft (analysis/textview.py): styled letters, full-width forms and
typographic quotes made plain, with the text's length kept. Invented people only."""

from __future__ import annotations

import pytest

from phiguard.analysis.textview import fold

from .test_phi import entity_types, findings


@pytest.mark.unit
@pytest.mark.parametrize("styled,plain", [
    ("\U0001d5db\U0001d5f6 \U0001d5e1\U0001d5ee\U0001d5f1\U0001d5f6\U0001d5fb\U0001d5f2",
     "Hi Nadine"),  # mathematical sans-serif bold
    ("\uff2c\uff55\uff43\uff49\uff45\uff4e", "Lucien"),  # full-width
    ("Oriel\u2019s \u201cbig day\u201d", "Oriel's \"big day\""),  # typographic quotes
    ("a\u200bb", "a b"),  # a zero-width space separates two words
    # character references as a page shows them, padded before the character
    ("wash &amp; dry", "wash     & dry"),
    ("it&#39;s &quot;ok&quot;", "it    's      \"ok     \""),
    ("a&nbsp;b &#x2019;", "a      b        '"),
])
def test_fold_makes_letters_plain_and_keeps_every_offset(styled: str, plain: str) -> None:
    assert fold(styled) == plain
    assert len(fold(styled)) == len(styled)


@pytest.mark.unit
@pytest.mark.parametrize("text", [
    "5 m\u00b2 of floor",  # a superscript keeps its meaning
    "\ufb01ne print",  # a ligature folds to two letters: left alone, offsets kept
    "\U0001f469\u200d\u2695\ufe0f on duty",  # the zero-width joiner holds an emoji together
    "Caf\u00e9 \u00bd price",
    "&notareference; &amp no semicolon",  # not a reference: as written
])
def test_fold_leaves_other_characters_alone(text: str) -> None:
    assert fold(text) == text


def bold(word: str) -> str:
    """``word`` in MATHEMATICAL BOLD letters, as font generators write it."""
    out = []
    for ch in word:
        if ch.isupper():
            out.append(chr(0x1D400 + ord(ch) - ord("A")))
        elif ch.islower():
            out.append(chr(0x1D41A + ord(ch) - ord("a")))
        elif ch.isdigit():
            out.append(chr(0x1D7CE + ord(ch) - ord("0")))
        else:
            out.append(ch)
    return "".join(out)


def test_a_name_and_an_age_in_bold_letters_are_found_at_their_own_offsets(checker) -> None:
    name = bold("Philippa Oyelaran")
    text = f"{bold('Happy 97th birthday')} to our resident {name}, walker and all!"
    found = entity_types(checker, text)
    assert found.get(name, "").startswith("PERSON")  # the excerpt is the file's own letters
    assert "PHI002" in findings(checker, text)


def test_plain_letters_in_bold_are_quiet_when_no_one_is_named(checker) -> None:
    assert "PHI002" not in findings(checker, bold("Flu shots are in!") + " Walk in any weekday.")


def test_an_emoji_glued_to_the_next_word_reads_as_a_space() -> None:
    text = "you should \U0001f7e2wear a mask \U0001f7e2discard it after"
    view = fold(text)
    assert len(view) == len(text)
    assert view == "you should  wear a mask  discard it after"


def test_an_emoji_standing_apart_is_kept_as_a_sentence_break() -> None:
    text = "Sunscreen 101 \u2600\ufe0f Use SPF 30 \U0001f469\u200d\u2695\ufe0f on duty"
    assert fold(text) == text
