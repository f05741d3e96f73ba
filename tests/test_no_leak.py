"""Masking by possibility: identifiers that detection misses still never reach an output.

Names here are invented, from several writing traditions, written the ways people write them
in posts: as is, ALL CAPS, "SURNAME, GIVEN", with an initial, in styled Unicode letters from a
font generator, lower case in an address, inside a hashtag or a handle.
"""

from __future__ import annotations

import io
import re
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from phiguard.formatters import choices, formatter
from phiguard.masking import Masker, mask_value
from phiguard.pipeline import Session
from phiguard.runner import Report

GIVEN = ["Pemberlyn", "Quillonne", "Ottavine", "Thandekile", "Oyelarin", "Siobhrenn", "Jørvald",
         "Łucjana", "Ngozieka", "Amaruq", "Mei-Lian", "Ştefanel", "Tovaline", "Brannoc",
         "Xiadong", "Zuleyka"]
FAMILY = ["Ashgroveton", "Vasterbrooke", "Brackwaterly", "Mabuzelani", "Adebisoyel",
          "Ní Dhuibhrinn", "Øvrebekkan", "Wróbelskana", "Tsaoyunde", "Bălăşescuan",
          "Quispetupac", "Okafrenzi", "Nguyettran", "Wrenfieldly"]
FORMS = ["plain", "caps", "surname_first", "initial", "styled", "lower", "hashtag", "handle"]
TEMPLATES = [
    "Wishing {who} a speedy recovery after her hip surgery this week!",
    "Our patient {who} finished chemotherapy today, MRN {number}.",
    "Hi {who}, we are so sorry about your visit; please call us.",
    "Wristband reading '{who}' DOB {date} on the bed rail",
    "Congratulations {who} on completing rehab, room {room}!",
]


def styled(text: str) -> str:
    """Mathematical bold letters, as font generators write them."""
    out = []
    for ch in text:
        if "A" <= ch <= "Z":
            out.append(chr(0x1D400 + ord(ch) - ord("A")))
        elif "a" <= ch <= "z":
            out.append(chr(0x1D41A + ord(ch) - ord("a")))
        else:
            out.append(ch)
    return "".join(out)


def written(given_name: str, family: str, form: str) -> str:
    return {
        "plain": f"{given_name} {family}",
        "caps": f"{given_name} {family}".upper(),
        "surname_first": f"{family.upper()}, {given_name.upper()}",
        "initial": f"{given_name[0]}. {family}",
        "styled": styled(f"{given_name} {family}"),
        "lower": f"{given_name} {family}".lower(),
        "hashtag": "#" + "".join(p.capitalize() for p in re.split(r"[\s-]+", family)) + "Strong",
        "handle": "@" + re.sub(r"\W", "", given_name.lower()) + "_" + "x",
    }[form]


def name_parts(given_name: str, family: str) -> list[str]:
    words = re.findall(r"[^\W\d_]+", f"{given_name} {family}")
    return [w for w in words if len(w) >= 3]


def appears(word: str, output: str) -> bool:
    """The word in clear anywhere in the output, whatever its case or letter style."""
    folded = unicodedata.normalize("NFKC", output).casefold()
    return re.search(rf"(?<!\w){re.escape(word.casefold())}", folded) is not None


HASHES = re.compile(r"\b[0-9a-f]{16,}\b")  # fingerprints: digests, not identifiers


def rendered(report: Report) -> str:
    """Every format's output, with fingerprints (hex digests, where any short number can
    occur by chance) taken out."""
    chunks = []
    for name in choices():  # every format the registry knows
        stream = io.StringIO()
        formatter(name)(report, stream)
        chunks.append(HASHES.sub("", stream.getvalue()))
    return "\n".join(chunks)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(given_name=st.sampled_from(GIVEN), family=st.sampled_from(FAMILY),
       form=st.sampled_from(FORMS), template=st.sampled_from(TEMPLATES),
       number=st.from_regex(r"[1-9]\d{5,9}", fullmatch=True),
       room=st.integers(100, 999), month=st.integers(1, 12), day=st.integers(1, 28),
       year=st.integers(1925, 1990))
def test_no_generated_identifier_in_any_format(checker: Session, given_name: str, family: str,
                                               form: str, template: str, number: str,
                                               room: int, month: int, day: int,
                                               year: int) -> None:
    date = f"{month:02d}/{day:02d}/{year}"
    who = written(given_name, family, form)
    text = template.format(who=who, number=number, room=room, date=date)
    findings = checker.check_texts([(text, {"kind": "post"}),
                                    (text, {"kind": "review_reply", "platform": "yelp"})])
    report = Report([f for found in findings for f in found], [], files=1, drafts=2)
    output = rendered(report)
    if not report.findings:
        return  # nothing reported, nothing shown
    shown = [p for p in name_parts(given_name, family) if appears(p, output)]
    assert shown == [], (text, output[:400])
    for secret in (number, date, str(year), str(room)):
        if secret in text:
            assert secret not in output, (secret, text)


@pytest.mark.unit
def test_capitalised_words_outside_the_vocabulary_are_masked() -> None:
    masker = Masker()
    text = "Get well soon Pemberlyn Ashgroveton! Your chemo ends Friday."
    masked = masker.mask(text)
    assert "Pemberlyn" not in masked and "Ashgroveton" not in masked
    assert masked.startswith("Get well soon P******** A**********!")
    assert "chemo ends" in masked  # ordinary words stay readable
    assert len(masked) == len(text)


@pytest.mark.unit
def test_a_common_word_surname_next_to_a_masked_name_is_masked() -> None:
    masked = Masker().mask("Congrats to Tovaline Baker on her knee replacement!")
    assert "Baker" not in masked and "Tovaline" not in masked
    assert "knee replacement" in masked


@pytest.mark.unit
def test_wristband_caps_initials_styled_and_hashtag_names_are_masked() -> None:
    masker = Masker()
    for text, secret in [("Wristband reading 'WRENFIELDLY, TOVALINE'", "WRENFIELDLY"),
                         ("Q. Vasterbrooke was admitted", "Q."),
                         (styled("Pemberlyn") + " is home!", "Pemberlyn"),
                         ("Go #AshgrovetonStrong", "Ashgroveton"),
                         ("hi pemberlyn, thanks", "pemberlyn")]:
        masked = unicodedata.normalize("NFKC", masker.mask(text))
        assert secret not in masked, (text, masked)


@pytest.mark.unit
def test_camel_case_hashtags_keep_their_vocabulary() -> None:
    assert Masker().mask("Happy #NursesWeek to our team") == "Happy #NursesWeek to our team"


@pytest.mark.unit
@pytest.mark.parametrize("text", ["Call 555-201-8841", "DOB 1958", "MRN 00482913",
                                  "room 4", "see https://example.net/a", "mail a.b@example.net",
                                  "thanks @vasterbrooke"])
def test_numbers_handles_urls_and_addresses_are_masked(text: str) -> None:
    masked = Masker().mask(text)
    assert not re.search(r"\d", masked)
    assert "example" not in masked and "vasterbrooke" not in masked


@pytest.mark.unit
def test_the_organizations_own_name_and_contacts_stay_in_clear() -> None:
    masker = Masker(org={"name": "Kestrelmoor Health", "phones": ["555-010-2000"],
                         "domains": ["kestrelmoor.example"]})
    text = "Kestrelmoor Health: call 555-010-2000 or visit kestrelmoor.example, Ottavine!"
    masked = masker.mask(text)
    assert masked.startswith("Kestrelmoor Health: call 555-010-2000 or visit "
                             "kestrelmoor.example")
    assert "Ottavine" not in masked


@pytest.mark.unit
def test_detected_spans_and_candidates_are_masked_once() -> None:
    text = "Ottavine Brackwaterly, room 412"
    once = Masker().mask(text, [(0, 21)])
    assert once == "O******* B***********, room ###"
    assert mask_value("T") == "*"  # an initial is hidden whole


def test_every_finding_of_a_draft_shows_the_same_masked_words(checker: Session) -> None:
    alt = "Wristband reading 'WRENFIELDLY, TOVALINE' DOB 03/14/1961 on a patient's arm"
    findings = checker.check_text(f"Our patient Tovaline Wrenfieldly is recovering.\n\n{alt}",
                                  kind="post")
    excerpts = {f.excerpt for f in findings if "W" in f.excerpt and "arm" in f.excerpt}
    masked_alt = {e[e.index("W"):] for e in excerpts}
    assert len(masked_alt) <= 1, masked_alt
    assert all("WRENFIELDLY" not in e and "1961" not in e for e in excerpts)


@pytest.mark.unit
def test_a_reader_failure_names_its_kind_not_the_words(tmp_path, monkeypatch) -> None:
    from phiguard import readers
    from phiguard.config import Settings
    from phiguard.models import ReadError

    def failing(path, shown, text, settings):
        raise ValueError(f"unexpected value {text.strip()!r}")
        yield  # a generator, like every reader

    monkeypatch.setitem(readers.READERS, ".txt", failing)
    draft = tmp_path / "d.txt"
    draft.write_text("Tovaline Wrenfieldly MRN 00482913\n", encoding="utf-8")
    with pytest.raises(ReadError) as caught:
        list(readers.read_drafts(draft, "d.txt", Settings()))
    assert "Wrenfieldly" not in str(caught.value) and "00482913" not in str(caught.value)
    assert str(caught.value).startswith("d.txt: could not parse")
