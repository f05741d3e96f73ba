"""Postal addresses as they are written across countries, for `phiguard redact`.

The STREET_ADDRESS pattern recognizer (rules/recognizers/safe_harbor.yaml) knows the US
form, "1 Quarry Lane". Addresses are also written street first ("Koskikatu 25",
"Via Roma 131", "ul. Zamkowa 33"), split over lines with a unit, a town, a region code and a
postcode in another order, or as military mail ("PSC 1234, Box 5678, APO AE 09012"). This
module finds such an address as one block, POSTAL_ADDRESS: an anchor that is an address
whatever its surroundings (a house number with a street type, a unit, military mail, a
street corner, a street written after an address label), grown over the parts that follow
it (another street line, a unit, a town, a region code, a postcode, a country before a
postcode). The patterns for each part are in addressparts.py.

No rule names POSTAL_ADDRESS: `check` is unchanged by it, and redact removes it
(edits/safeharbor.py).
"""

from __future__ import annotations

from typing import Any

import regex

from .addressparts import (
    ANCHORS,
    BLOCK_STREET,
    CALENDAR,
    CAP,
    LABEL,
    LOOSE_STREET,
    MAX_TOWN_WORDS,
    NUMBERED,
    POSTCODE,
    REGION,
    SEPARATOR,
    STREET_LINE_BEFORE,
    SUFFIXED,
    TOWN,
    TOWN_POSTCODE,
    _country_at,
    _street_suffix,
    countries,
    is_common,
)
from .names import fold

# -- anchors --------------------------------------------------------------------------------

def anchors(text: str) -> list[tuple[int, int]]:
    """Spans that are an address part whatever surrounds them."""
    spans = [m.span() for m in ANCHORS.finditer(text)]
    spans += [m.span() for m in SUFFIXED.finditer(text) if _street_suffix(m.group("word"))]
    spans += [m.span() for m in NUMBERED.finditer(text)
              if not all(is_common(w) for w in m.group("name").split() if w[:1].isupper())]
    spans += [m.span() for m in TOWN_POSTCODE.finditer(text) if _town_and_code(m)]
    for label in LABEL.finditer(text):
        street = LOOSE_STREET.match(text, label.end())
        if street:
            spans.append(street.span())
    return _merge(spans)


def _town_and_code(match: Any) -> bool:
    """ "in Bjert 6091", not "in Tokyo 2021" or "in March 2024"."""
    code = match.group("code")
    if len(code) == 4 and 1900 <= int(code) <= 2099:
        return False
    words = match.group("town").split()
    return fold(words[0]) not in CALENDAR and any(
        (w.isupper() and len(w) > 1) or not is_common(w) for w in words)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


# -- growing a block ------------------------------------------------------------------------

def _grow(text: str, start: int, end: int) -> tuple[int, int]:
    """The address block around an anchor: the street line or house numbers before it, then
    each part that may follow in the same address."""
    start = _start_before(text, start)
    last = "postcode" if MAIL_CODE.search(text, start, end) else "street"
    while True:
        sep = SEPARATOR.match(text, end)
        pos = sep.end()
        if pos >= len(text):
            break
        step = _next_part(text, pos, sep.group(0), last, text[end - 1:end] == ".")
        if step is None:
            break
        end, last = step
    return start, end


def _start_before(text: str, start: int) -> int:
    """Where the address starts: a street line with a number before a unit ("Fuglie 41
    Popović Dam<newline>Suite 860"), or the street's name before a house number ("Tungata 11
    Rott Crossroad"), or house numbers ("10963 Rua Vinte ...")."""
    window = text[max(start - 80, 0):start]
    line = STREET_LINE_BEFORE.search(window)
    if line and regex.search(r"\d", line.group(0)) and regex.search(r"\p{Lu}", line.group(0)):
        return start - len(line.group(0))
    name = regex.search(rf"(?<![\p{{L}}\d'’.-]){CAP}[ \t]+$", window)
    if name and text[start:start + 1].isdigit() and not is_common(name.group(0).strip()):
        return start - len(name.group(0))
    numbers = regex.search(r"(?<![\p{L}\d.,-])(?:\d{1,6}[ \t]+){1,2}$", window)
    return start - len(numbers.group(0)) if numbers else start


def _next_part(text: str, pos: int, gap: str, last: str,
               after_dot: bool) -> tuple[int, str] | None:
    """(end, kind) of the address part at ``pos``, or None where the address ends."""
    fielded = any(c in gap for c in ",\n>;")
    anchor = ANCHORS.match(text, pos)
    if anchor:
        return anchor.end(), "postcode" if MAIL_CODE.search(anchor.group(0)) else "street"
    code = POSTCODE.match(text, pos)
    if code and last != "postcode":
        return code.end(), "postcode"
    if after_dot and not fielded:
        return None  # "45 Oak Ave. Call us": a sentence after the address
    country = _country_at(text, pos)
    if country:
        # A country before a postcode is in the block; one that ends the address stays.
        rest = SEPARATOR.match(text, country)
        code = POSTCODE.match(text, rest.end())
        return (code.end(), "postcode") if code else None
    region = REGION.match(text, pos)
    if region and last in ("town", "street") and _is_region(text, region, fielded, last):
        return region.end(), "region"
    street = BLOCK_STREET.match(text, pos)
    if street and last != "postcode":
        return street.end(), "street"
    town = TOWN.match(text, pos)
    if town and last != "postcode" and _is_town(text, town, fielded):
        return town.end(), "town"
    return None


MAIL_CODE = regex.compile(r"(?:APO|FPO|DPO)\s+\p{Lu}{2}\s+\d{5}$")


def _is_region(text: str, region: Any, fielded: bool, last: str) -> bool:
    """ "VIC", ", CO" as a field; ", nan" or ", 32" only as the field before a line's end or a
    postcode."""
    closing = _ends_address(text, region.end())
    if region.group(0).isupper():
        return fielded or closing
    return closing and (fielded or last == "town")


def _ends_address(text: str, pos: int) -> bool:
    """What follows ``pos`` is a postcode, a country or the end of the line or text."""
    sep = SEPARATOR.match(text, pos)
    nxt = sep.end()
    return (nxt >= len(text) or "\n" in sep.group(0) or POSTCODE.match(text, nxt) is not None
            or _country_at(text, nxt) > 0)


def _is_town(text: str, town: Any, fielded: bool) -> bool:
    words = [w for w in regex.findall(r"[\p{L}\p{M}'’-]+", town.group(0))]
    if not words or len(words) > MAX_TOWN_WORDS or (not words[0][:1].isupper() and not fielded):
        return False
    if text[town.end():town.end() + 1] == ":" or fold(words[0]) in CALENDAR:
        return False  # "Phone:", a label; "Saturday"
    if _country_at(text, town.start()):
        return False
    unusual = any((w.isupper() and len(w) > 1) or not is_common(w) for w in words)
    return unusual or (fielded and _ends_address(text, town.end()))


def find(text: str) -> list[tuple[int, int]]:
    """Character spans of the postal addresses in ``text``."""
    blocks: list[tuple[int, int]] = []
    for start, end in anchors(text):
        if blocks and end <= blocks[-1][1]:
            continue  # a part of the block already grown
        blocks.append(_grow(text, start, end))
    # A final full stop ends the sentence (an abbreviation's goes with the address anyway).
    return _merge([(start, end - 1 if text[end - 1] == "." else end) for start, end in blocks])


# Necessary condition for an address: a digit (every anchor holds one, but the street
# corner, which holds a street type or a number).
GATE = regex.compile(r"\d|(?i:corner of)")


def address_recognizer() -> Any:
    """A Presidio recognizer for POSTAL_ADDRESS (code: its blocks grow part by part)."""
    from presidio_analyzer import EntityRecognizer, RecognizerResult

    class PostalAddressRecognizer(EntityRecognizer):
        def load(self) -> None:
            countries()

        def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[Any]:
            if "POSTAL_ADDRESS" not in entities or not GATE.search(text):
                return []
            return [RecognizerResult("POSTAL_ADDRESS", start, end, 0.6)
                    for start, end in find(text)]

    return PostalAddressRecognizer(supported_entities=["POSTAL_ADDRESS"],
                                   name="PostalAddressRecognizer")
