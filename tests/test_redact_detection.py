"""What `phiguard redact` finds beyond the US forms: postal addresses written the way other
countries write them, the towns a person's own words tie to them, phone numbers grouped
the way other countries group them, whole dates in earlier years, personal web addresses.

Invented people, streets and numbers only; no sentence comes from an evaluation set.
"""

from __future__ import annotations

from datetime import date

import pytest

from phiguard.analysis import addresses, places
from phiguard.analysis.builtin_recognizers import COMPANIONS
from phiguard.edits import replacements, safeharbor

pytestmark = pytest.mark.unit


def marked(find: object, text: str) -> list[str]:
    return [text[start:end] for start, end in find(text)]  # type: ignore[operator]


# -- postal addresses ---------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "address"), [
    # street first, unit, town and postcode on lines of their own, region code as a field
    ("Send it to 4410 Vintrakatu 17 Apt. 233\nOrvala\n, KS\n Finland 40312 please.",
     "4410 Vintrakatu 17 Apt. 233\nOrvala\n, KS\n Finland 40312"),
    # a street type before the name, a town after a comma
    ("She lives at Via Borsellani 88, Castelmorro and loves it.", "Via Borsellani 88, Castelmorro"),
    ("Ship to 12 ul. Wrzosowa 4 Apt. 9, Pilawka today", "12 ul. Wrzosowa 4 Apt. 9, Pilawka"),
    ("Our new flat: 7 Rue des Tanneurs, Vermanville.", "7 Rue des Tanneurs, Vermanville"),
    # a street type written as a word of its own, a postcode with letters
    ("Address: 31 Kálvária út 12. Suite 4 Berenyvar VE 4021 AB",
     "31 Kálvária út 12. Suite 4 Berenyvar VE 4021 AB"),
    # the US form, grown over town, state and ZIP
    ("Visit 1200 Quarrel Creek Rd, Ashbury Falls, OR 97321. Call us first.",
     "1200 Quarrel Creek Rd, Ashbury Falls, OR 97321"),
    # military mail
    ("Mail goes to PSC 4471, Box 2210\nAPO AE 09123 now", "PSC 4471, Box 2210\nAPO AE 09123"),
    ("mail goes to usns brimwater\nfpo ap 96512 now", "usns brimwater\nfpo ap 96512"),
    # a street corner
    ("Meet at the corner of 14 Halvard Street and Ostrim Lane.",
     "the corner of 14 Halvard Street and Ostrim Lane"),
    # the street line before a unit on the next line
    ("Send it to Trolvik 41 Branner Hill\n Suite 12\n Maspelund\n Norway 7712",
     "Trolvik 41 Branner Hill\n Suite 12\n Maspelund\n Norway 7712"),
    # a town and its postcode where a place is expected
    ("We support a shelter in Hovrenby 6612 this winter.", "Hovrenby 6612"),
])
def test_addresses_in_other_countries_forms_are_found_whole(text: str, address: str) -> None:
    assert marked(addresses.find, text) == [address]


def test_a_country_that_ends_an_address_stays_outside_it() -> None:
    text = "Mail it to 88 Quellgasse 3, Ostrandorf, Austria? Thanks."
    assert marked(addresses.find, text) == ["88 Quellgasse 3, Ostrandorf"]


@pytest.mark.parametrize("text", [
    "Join us Saturday for the community 5K at Riverside Park!",
    "Top 10 Tips 2024 for a healthy heart; cases rose 12% in 2023. Call 911.",
    "Take 2 Tylenol 500 mg tablets every 6 hours, in room 412 on Route 9.",
    "Apollo 13 and Windows 10 Pro; COVID-19 cases in 2021; 1 in 3 adults.",
    "Flu shots in March 2025, at Ward 4B and Tower 2; dial 988 or text 741741.",
    "We served 1,200 patients in 2024 and opened in Boston 2021.",
])
def test_counts_years_and_wards_are_no_address(text: str) -> None:
    assert addresses.find(text) == []


def test_a_sentence_after_an_abbreviated_street_is_not_its_town() -> None:
    text = "Our clinic at 45 Larchmere Ave. Join us Saturday at 10 for flu shots!"
    assert marked(addresses.find, text) == ["45 Larchmere Ave"]


def test_many_address_parts_are_found_in_linear_time() -> None:
    text = "Suite 1 Quarrelton\n" * 5000
    [(start, end)] = addresses.find(text)
    assert start == 0 and end > len(text) - 20


# -- places a person's own words tie to them ---------------------------------------------------

@pytest.mark.parametrize(("text", "town"), [
    ("Mr. Halloran flew to VESTRAVIK on Monday.", "VESTRAVIK"),
    ("He grew up in Quellmoor and still visits.", "Quellmoor"),
    ("I'm in Ostrevaara for the week.", "Ostrevaara"),
    ("We moved here from Brindlecombe in May.", "Brindlecombe"),
    ("My cousin lives in harvelund now.", "harvelund"),
    ("She is originally from Reguengos de Vallmar, sadly.", "Reguengos de Vallmar"),
])
def test_a_persons_town_is_found(text: str, town: str) -> None:
    assert marked(places.find, text) == [town]


@pytest.mark.parametrize("text", [
    "I'm in love with this team. I'm in Good Hands here.",
    "He lives in fear of needles and moved to the ICU.",
    "She grew up in Texas and moved from Portugal.",  # a state or a country stays
    "He was born in March and lives in Recovery House.",
    "Our clinic is based in Quellmoor.",  # an organization's town is not a person's
    "I'm in Chemo again and my son moved to NICU.",  # places of care
])
def test_states_of_being_states_and_organizations_are_no_personal_town(text: str) -> None:
    assert places.find(text) == []


def test_a_common_word_town_counts_when_ner_tagged_it_a_place() -> None:
    text = "I'm in Miami for a week."
    at = text.index("Miami")
    assert places.find(text) == []
    assert places.find(text, [(at, at + 5)]) == [(at, at + 5)]


# -- phone numbers grouped as in other countries ------------------------------------------------

def grouped_phones(text: str) -> list[str]:
    [recognizer] = [make() for make in COMPANIONS["PHONE_NUMBER"]]
    return [text[r.start:r.end] for r in recognizer.analyze(text, ["PHONE_NUMBER"])]


@pytest.mark.parametrize(("text", "number"), [
    ("They're not answering at 0612 774 30 18 today", "0612 774 30 18"),
    ("Mobile: 47 203 918", "47 203 918"),
    ("Phone: (41) 558-207", "(41) 558-207"),
    ("please call me on 8316 2290?", "8316 2290"),
    ("31-72-40-96 (office)", "31-72-40-96"),
])
def test_grouped_numbers_next_to_a_phone_word_are_phones(text: str, number: str) -> None:
    assert grouped_phones(text) == [number]


@pytest.mark.parametrize("text", [
    "We counted 1200 500 300 visits and 12 345 678 doses.",  # no phone word
    "Call us on 2024-03-14 or 03/14/2024.",  # dates
    "Text 12 34 to join.",  # too few digits
    "Our dialysis unit saw 4410 2210 patients.",  # "dial" inside a word is no phone word
])
def test_counts_dates_and_short_codes_are_no_grouped_phone(text: str) -> None:
    assert grouped_phones(text) == []


# -- dates, postcodes, addresses of one's own ----------------------------------------------------

@pytest.mark.parametrize(("value", "past"), [
    ("03/14/1958", True), ("1985-11-18", True), ("May 3, 1961", True), ("3 May 1961", True),
    (f"03/14/{date.today().year}", False),  # this year's date: maybe an event
    ("May 1961", False),  # no day
    ("1961", False), ("Saturday", False),
])
def test_only_a_whole_date_of_an_earlier_year_is_a_past_day(value: str, past: bool) -> None:
    assert safeharbor._past_day(value) is past


@pytest.mark.parametrize(("old", "new"), [
    ("zip code is 2371", "zip code is (removed)"),
    ("ZIP: 7412 SL", "ZIP: (removed)"),
    ("postcode SW1A 1AA", "postcode (removed)"),
])
def test_a_labelled_postcode_keeps_its_label(old: str, new: str) -> None:
    assert replacements._postcode_after_label(old) == new


@pytest.mark.parametrize(("found", "own", "same"), [
    ("12 Elm St, Suite 4, Alder Falls", "12 Elm St", True),
    ("12 Elm St", "12 Elm St, Alder Falls, OR 97001", True),
    ("12  Elm St,  Alder Falls", "12 Elm St, Alder Falls", True),
    ("14 Elm St, Alder Falls", "12 Elm St, Alder Falls", False),
    ("", "12 Elm St", False),
])
def test_an_address_block_around_the_configured_address_is_the_organizations(
        found: str, own: str, same: bool) -> None:
    assert safeharbor._same_address(found, own) is same
