"""Names in support hashtags (analysis/names.support_hashtag_names). Invented names only."""

from __future__ import annotations

import pytest

from phiguard.analysis.names import support_hashtag_names


def names_in(text: str) -> list[str]:
    return [text[start:end] for start, end in support_hashtag_names(text)]


@pytest.mark.parametrize("text,name", [
    ("Round 3 done! #MilaStrong", "Mila"),
    ("#PrayForTeo tonight", "Teo"),
    ("Go #TeamAnouk", "Anouk"),
])
def test_a_given_name_rallied_around_is_found(text: str, name: str) -> None:
    assert names_in(text) == [name]


@pytest.mark.parametrize("text", [
    "#BostonStrong",  # a place, not a given name
    "#GeorgiaStrong",  # a country that is also a given name
    "#NursesWeek",  # a campaign with no support word
    "#StrideStrong",  # a brand word
    "#MilaAndTeoStrong",  # two names: not one person
    "Mila",  # no hashtag
])
def test_campaign_place_and_brand_tags_have_no_name(text: str) -> None:
    assert names_in(text) == []
