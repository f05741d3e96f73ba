"""The parts postal addresses are written with, as patterns and word lists: house numbers,
street names and types (before the name, after it, or as its last letters), units, military
mail, address labels, postcodes, region codes, towns and countries.

addresses.py finds an address by growing a block over these parts. They are a module of their
own so that the many countries' spellings, which grow with every form added, are read and
extended in one place apart from the logic that joins them, and so that places.py (a person's
own town) shares the particles, calendar words, country names and common-word test without
depending on the address finder.
"""

from __future__ import annotations

from functools import lru_cache

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
