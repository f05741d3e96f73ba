"""Postal addresses as they are written across countries, for `phiguard redact`.

The STREET_ADDRESS pattern recognizer (rules/recognizers/safe_harbor.yaml) knows the US
form, "1 Quarry Lane". Addresses are also written street first ("Koskikatu 25",
"Via Roma 131", "ul. Zamkowa 33"), split over lines with a unit, a town, a region code and a
postcode in another order, or as military mail ("PSC 1234, Box 5678, APO AE 09012"). This
module finds such an address as one block, POSTAL_ADDRESS: an anchor that is an address
whatever its surroundings (a house number with a street type, a unit, military mail, a
street corner, a street written after an address label), grown over the parts that follow
it (another street line, a unit, a town, a region code, a postcode, a country before a
postcode).

No rule names POSTAL_ADDRESS: `check` is unchanged by it, and redact removes it
(edits/safeharbor.py).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import regex

from ..vocabulary import COMMON_MIN_COUNT, word_counts
from .names import country_names, fold, is_given_name

# -- words ----------------------------------------------------------------------------------

_L = r"\p{L}\p{M}∆"  # "∆": the increment sign Greek addresses are often typed with
# A capitalised or ALL-CAPS word, maybe abbreviated; not a label ("Phone:").
CAP = rf"(?:[dDlL]['’])?[\p{{Lu}}∆][{_L}'’-]*+\.?(?!:)"
# Lower-case words inside street and town names: "Rua Vinte e Cinco de Setembro",
# "Villafranca del Cid", "Ostrov nad Ohří", "Willem van der Veldestraat".
PARTICLE = (r"(?:de|da|do|dos|das|del|dell'|della|delle|dei|degli|di|du|des|la|le|les|van|"
            r"von|der|den|ter|ten|e|y|u|v|z|ze|zu|zum|zur|na|nad|pod|am|an|im|bei|al|el|af|og|"
            r"på|sur|sous|"
            r"lès|upon)")
NUM = r"\d{1,6}(?:[A-Za-z](?![\p{L}\d]))?\.?(?![\p{L}\d])"
NAME_WORD = rf"(?:{CAP}|{PARTICLE}(?=\s))"
# English street types after the name ("1668 Glyn St", "74 Diakou Street"). Only types that
# are street types in almost every use; "Park", "Pass", "Run" after a number are often not.
STREET_TYPES = (
    r"(?:Street|Streets|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Terrace|"
    r"Boulevard|Blvd|Parkway|Pkwy|Highway|Hwy|Circle|Cir|Crescent|Close|Square|Sq|Way|Alley|"
    r"Grove|Mews|Turnpike|Crossroad|Crossroads|Expressway)\b\.?")
# Street types written before the name ("Via Roma 131", "20 Rue Hsine Eloued"); those that
# are no English word in any case ("rue de la Paix").
PREFIX_TYPES = (
    r"(?:(?i:rua|rúa|rue|avenida|avda\.?|calle|carrer|viale|vicolo|piazza|piazzale|travessa|"
    r"praça|alameda|ul\.|ulica|aleja|trg|λεωφόρος|οδός)|Via|Av\.?|C/|Corso|Largo|Strada|Str\.|"
    r"Estrada|Paseo|Camino|Chemin|Allée|Impasse|Avenue|Boulevard|[Aa]l\.|[Oo]s\.|[Pp]lac|Λ\.|"
    r"Οδ\.)")
# Street types written after the name as a word of their own ("Rákóczi út 13.",
# "Stensås terrasse 38", "Villacher Strasse 89").
TYPE_WORDS = (
    r"(?:út|utca|u\.|tér|körút|köz|sor|fasor|rakpart|rkp\.|útja|kapu|terrasse|vej|gade|"
    r"stræde|torv|plads|straße|strasse|str\.?|gasse|weg|allee|platz|gata|gate|gaten|gatan|"
    r"vägen|väg|veien|vegen|vei|katu|tie|tee|straat|laan|plein|ulica|Straße|Strasse|Gasse|"
    r"Weg|Allee|Platz)")
# The same types as the end of one word ("Koskikatu", "Søndergade", "Parijsstraat").
TYPE_SUFFIXES = (
    "strasse", "straße", "gasse", "weg", "allee", "platz", "damm", "ufer", "steig", "pfad",
    "gade", "vej", "vænget", "vaenget", "veien", "vegen", "gata", "gatan", "vägen", "vagen",
    "stig", "stigen", "katu", "tie", "kuja", "polku", "kaari", "rinne", "straat", "laan",
    "plein", "gracht", "kade", "singel", "braut", "straeti", "stræti", "vegur", "stræde",
    "torv", "plads", "utca", "útja")
UNIT = (r"(?:(?i:suite|ste\.|apt\.?|apartment|flat)\s*#?\s*\d{1,6}[A-Za-z]?\b"
        r"|(?:P\.?\s?O\.?\s?Box|Postbox|Post Box|Postfach)\s*\d{1,6}\b"
        r"|(?i:psc|cmr|unit)\s+\d{3,5},?\s+(?i:box)\s+\d{3,5}\b)")
# Military mail: "USNS Ortiz, FPO AP 96588", "APO AE 09012" (any case: the codes say it).
MILITARY = (rf"(?:(?i:uss|usns|usnv|uscgc)\s+[{_L}'’-]+[ \t]*[,\n][ \t]*)?"
            r"(?i:apo|fpo|dpo)\s+(?i:aa|ae|ap)\s+\d{5}\b")
STREET_WORDS = rf"(?:{NUM}|{NAME_WORD}|{TYPE_WORDS}|(?i:ul|al|os|rkp|u)\.|(?i:str)\.?)"
STREET_PHRASE = rf"{STREET_WORDS}(?:[ \t]+{STREET_WORDS}){{0,6}}"
PREFIXED_NAME = rf"{PREFIX_TYPES}[ \t]+{NAME_WORD}(?:[ \t]+{NAME_WORD}){{0,5}}"

ANCHORS = regex.compile("|".join([
    # 1668 Glyn St; 55470 72 Acheron Road; 25 Dili Gianni Street
    rf"\b{NUM}(?:[ \t]+{NUM})?[ \t]+{NAME_WORD}(?:[ \t]+{NAME_WORD}){{0,3}}[ \t]+{STREET_TYPES}",
    # Via Roma 131; ul. Zamkowa 33; 20 Rue Hsine Eloued (a number on one side at least)
    rf"(?<![\p{{L}}]){PREFIXED_NAME}[ \t]+{NUM}",
    rf"\b{NUM}[ \t]+{PREFIXED_NAME}(?:[ \t]+{NUM})?",
    # Rákóczi út 13.; Árpád fejedelem útja 3.; Villacher Strasse 89
    rf"\b{CAP}(?:[ \t]+(?:{CAP}|\p{{Ll}}+)){{0,2}}[ \t]+{TYPE_WORDS}[ \t]+{NUM}",
    rf"\b{UNIT}",
    rf"\b{MILITARY}",
    # the corner of Beiteveien 2 and Sieda Radial
    rf"\b(?i:the[ \t]+)?(?i:corner)[ \t]+of[ \t]+{STREET_PHRASE}[ \t]+(?:and|&)[ \t]+"
    rf"{STREET_PHRASE}",
]))
# A word with a street type as its end, then a number: "Koskikatu 25", "Brucker Bundesstrasse
# 31", "hersnapvej 18".
SUFFIXED = regex.compile(rf"\b(?:{CAP}[ \t]+){{0,2}}(?P<word>[{_L}-]+)[ \t]+{NUM}")
# A house number, a street name that is not common vocabulary, a number: "87331 Dunajska 56".
NUMBERED = regex.compile(rf"\b\d{{2,6}}[ \t]+(?P<name>{CAP}(?:[ \t]+{NAME_WORD}){{0,3}})"
                         rf"[ \t]+\d{{1,5}}[A-Za-z]?\b\.?(?![ \t]*(?:%|[.,]\d))")
# A town and its postcode where a place is expected: "in Bjert 6091", "in Quinta de São Tiago
# 3610-114" (not a year: "in Tokyo 2021").
TOWN_POSTCODE = regex.compile(
    rf"(?<=\b(?i:in|at|from|to)[ \t]+)(?P<town>{CAP}(?:[ \t]+{NAME_WORD}){{0,3}})[ \t]+"
    r"(?P<code>\d{4,5}(?:-\d{3,4})?)(?![\p{L}\d])")
# After an address label, a street written without a type: "address is Aqqusinersuaq 99".
LABEL = regex.compile(
    r"\b(?i:address(?:es)?\b[^.\n:?!]{0,40}?(?:\bis\b|\bare\b|:)|lives?[ \t]+(?:at|on)|"
    r"living[ \t]+(?:at|on)|located[ \t]+at|resides?[ \t]+(?:at|on))[ \t]*\n?[ \t>]*")
LOOSE_STREET = regex.compile(
    rf"(?:{NUM}[ \t]+){{0,2}}{NAME_WORD}(?:[ \t]+(?:{NAME_WORD}|and|&)){{0,5}}[ \t]+{NUM}"
    rf"|{NUM}(?:[ \t]+{NUM})?[ \t]+{CAP}(?:[ \t]+{NAME_WORD}){{0,4}}")
# The street line before a unit: "Fuglie 41 Popović Dam<newline>Suite 860".
STREET_LINE_BEFORE = regex.compile(
    rf"(?<![\p{{L}}\d'’-])(?:(?:{NUM}|{NAME_WORD})[ \t]+){{0,6}}(?:{NUM}|{CAP})"
    r"[ \t]*(?:,[ \t]*|\n[ \t>?*•·|-]*)$")

# -- what may follow a street in the same address -------------------------------------------

SEPARATOR = regex.compile(r"[ \t]*(?:[,;>][ \t]*|\n[ \t>?*•·|-]*){0,3}")
POSTCODE = regex.compile(
    r"(?:\d{3}[ \t]\d{2}|\d{3,6}(?:-\d{3,4})?|\p{Lu}\d\p{Lu}[ \t]?\d\p{Lu}\d|\d{4}[ \t]?\p{Lu}{2}"
    r"|\p{Lu}{1,2}\d[\p{Lu}\d]?[ \t]?\d\p{Lu}{2})(?![\p{L}\d])")
BLOCK_STREET = regex.compile(
    rf"{CAP}(?:[ \t]+{NAME_WORD}){{0,3}}[ \t]+{NUM}|{NUM}[ \t]+{CAP}(?:[ \t]+{NAME_WORD}){{0,3}}")
# A region code: "VIC", "NS", "PA"; lower case or a number as a field of its own (", 32\n").
REGION = regex.compile(r"(?:\p{Lu}{2,3}|\p{Ll}{2,3}|\d{1,2})(?![\p{L}\d-]|\.[\p{L}\d])")
TOWN_WORD = rf"(?:(?:St|Ste|Mt|Ft)\.|[\p{{Lu}}∆][{_L}'’-]*+(?![.:]))"
TOWN = regex.compile(
    rf"(?:{TOWN_WORD}|[{_L}]+)(?:[ \t-]+(?:{TOWN_WORD}|{PARTICLE}(?=[ \t]+\p{{Lu}})"
    rf"|\d{{1,2}}(?![\p{{L}}\d]))){{0,5}}(?:[ \t]*\({TOWN_WORD}(?:[ \t]+{TOWN_WORD})*\))?")
CALENDAR = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
            "january", "february", "march", "april", "may", "june", "july", "august",
            "september", "october", "november", "december", "today", "tomorrow", "tonight"}
COUNTRY_ALIASES = {"usa", "us", "u.s.", "u.s.a.", "uk", "u.k.", "england", "scotland", "wales",
                   "northern ireland", "great britain", "the netherlands", "holland",
                   "czech republic", "czechia", "south korea", "north korea", "russia",
                   "united states of america"}
MAX_TOWN_WORDS = 6


@lru_cache(maxsize=1)
def countries() -> frozenset[str]:
    """Country names, folded: phonenumbers' English names and the usual short forms."""
    return country_names() | frozenset(COUNTRY_ALIASES)


def is_common(word: str) -> bool:
    """An English word in everyday use (the vocabulary masking and names read)."""
    return word_counts().get(fold(word.strip(".")), 0) >= COMMON_MIN_COUNT


def _street_suffix(word: str) -> bool:
    """ "Koskikatu", "Søndergade": a word ending in a street type, not an English word or a
    given name ("Katie", "Brigade")."""
    low = fold(word)
    match = _SUFFIX_END.search(low)
    return (match is not None and match.start() >= 3 and not is_common(word)
            and not is_given_name(word))


_SUFFIX_END = regex.compile("(?:" + "|".join(sorted({fold(s) for s in TYPE_SUFFIXES},
                                                     key=len, reverse=True)) + ")$")


def _country_at(text: str, pos: int) -> int:
    """End of a country's name written at ``pos`` ("Norway", "New Zealand", "Cyprus (Greek)"),
    or 0."""
    match = COUNTRY_WORDS.match(text, pos)
    if not match:
        return 0
    ends = [m.end() for m in regex.finditer(r"\S+", text[pos:match.end()])]
    for n in range(len(ends), 0, -1):
        name = " ".join(text[pos:pos + ends[n - 1]].split())
        if fold(name).strip(".") in countries():
            end = pos + ends[n - 1]
            note = COUNTRY_NOTE.match(text, end)
            return note.end() if note else end
    return 0


COUNTRY_WORDS = regex.compile(rf"{CAP}(?:[ \t]+{NAME_WORD}){{0,3}}")
COUNTRY_NOTE = regex.compile(r"[ \t]*\([^()\n]{1,20}\)")  # "Cyprus (Greek)"


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
