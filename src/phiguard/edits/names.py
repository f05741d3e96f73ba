"""Names `phiguard redact` removes beyond the shared detection.

`check` must not cry wolf, so the shared analysis tags a name only where it is sure. Redact
must leave nothing that identifies, and some names show themselves by where they stand, not
by what NER knows:

- the other mentions of a name that goes ("... by Maciej Borkowski and starring Borkowski");
- the names in a list with a name that goes ("our founders: Kónya, Becker and Vasquez");
- a name given as one ("my name is ...", "Name: ...", "call me ...", "her maiden name is ...",
  "my son ...");
- the speakers of a dialogue ("Ubul: What a ... Nicole: Remember ...").

Each is a PERSON entity with the role the words around it give (a staff or public title keeps
it); safeharbor.py then decides as for any name.
"""

from __future__ import annotations

import re
from typing import Any

from ..analysis import names
from ..analysis.core import Analysis, Entity
from ..analysis.titles import CREDENTIALS, PUBLIC_TITLES, STAFF_TITLES
from ..masking import Masker

MASKER = Masker()
# Where a name is given as one. (Not "called" or "named": things are called, too.)
NAME_SLOT = re.compile(
    r"\b(?:(?:first|last|family|maiden|middle|full|real)\s+)?name(?:\s+is|\s*[:?]+|\s+was)"
    r"[\s\"']*|\b(?:call|calls|called)\s+me\s+|\bwas\s+called\s+"
    r"|\b(?:my|your|his|her|their|our)\s+(?:\w+(?:'s|’s)\s+)?name\s+(?=[A-Z])"
    r"|\bmy\s+(?:kid|son|daughter|child|baby|wife|husband|partner|mom|dad|mother|father|"
    r"brother|sister|grandson|granddaughter|grandma|grandpa|cousin|niece|nephew|friend)\s+(?=[A-Z])",
    re.IGNORECASE)
# A speaker's name before what they say, in a dialogue: "Ubul: What a ...".
SPEAKER = re.compile(r"(?:^|(?<=[.!?\"”]\s)|(?<=\n))\s*([^\W\d_][\w'’-]*)\s*:\s*(?=[\"“\w])",
                     re.MULTILINE)
# A name of something else: "brand name: ...", "user name is ...".
THING_BEFORE = re.compile(r"\b(?:brand|generic|drug|product|file|user|team|company|business|"
                          r"store|program|street|screen|domain|code|trade|pet|dog|cat)\s+$",
                          re.IGNORECASE)
NAME_PARTICLES = {"van", "von", "de", "der", "den", "ten", "ter", "da", "di", "del", "la", "le",
                  "bin", "ibn", "al"}
MAX_NAME_WORDS = 4
# Entity types NER guesses from capitalised words, which a name in a name's place overrides.
NER_GUESSES = {"LOCATION", "PERSONAL_PLACE", "DATE_TIME", "NRP", "ORGANIZATION"}


def more_names(analysis: Analysis, removed: list[Entity]) -> list[Entity]:
    """PERSON entities for the names the shared detection did not tag; ``removed`` are the
    names redact already removes."""
    # A name in a name's place wins over NER's other readings of the words ("call me Aantje"
    # read as a town).
    # So does it over a "name" the role pass set aside as a capitalised word.
    names_taken = [(e.start, e.end) for e in analysis.entities
                   if e.type not in NER_GUESSES and e.role != "noise"]
    found: list[tuple[int, int]] = []
    placed = (_mentions_again(analysis, removed) + _in_lists(analysis, removed)
              + _given_as_name(analysis) + _speakers(analysis))
    for span in placed:
        if not any(lo < span[1] and span[0] < hi for lo, hi in names_taken + found):
            found.append(span)
    return [Entity("PERSON", start, end, 0.5, _role(analysis, start, end))
            for start, end in sorted(found)]


def _role(analysis: Analysis, start: int, end: int) -> str:
    """Staff or a public figure by a title right before the name or a credential or job
    right after it ("Dr. X", "Senator X", "X, RN"), else a person."""
    doc = analysis.doc
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return "person"
    before = [t.lower_.rstrip(".") for t in doc[max(span.start - 3, 0):span.start]]
    if any(b in PUBLIC_TITLES for b in before):
        return "public"
    after = [t.lower_.rstrip(".") for t in doc[span.end:span.end + 3] if not t.is_punct]
    if any(b in STAFF_TITLES or b in CREDENTIALS for b in before[-2:]) or (
            after and (after[0] in CREDENTIALS or after[0] in STAFF_TITLES)):
        return "staff"
    return "person"


def _is_name_word(word: str) -> bool:
    """A word that can be part of a person's name: capitalised and no common English word,
    or a given name (also in lower case: "patricia")."""
    if len(word) < 2 or not word[0].isalpha():
        return False
    if word[0].isupper() and MASKER.could_be_name(word):
        return True
    return names.is_given_name(word) and not names.is_place(word)


def _mentions_again(analysis: Analysis, removed: list[Entity]) -> list[tuple[int, int]]:
    """Every other mention of a word of a removed full name ("Borkowski" after "Maciej
    Borkowski")."""
    text = analysis.text
    words = set()
    for entity in removed:
        parts = re.findall(r"[^\W\d_]{2,}", text[entity.start:entity.end])
        if len(parts) >= 2:  # a full name; a lone word NER took for a name spreads no further
            words |= {w for w in parts if len(w) >= 3 and w[0].isupper() and not w.isupper()
                      and MASKER.could_be_name(w)}
    if not words:
        return []
    pattern = re.compile(r"(?<![\w@#])(?:" + "|".join(map(re.escape, sorted(words))) + r")\b")
    return [m.span() for m in pattern.finditer(text)]


def _in_lists(analysis: Analysis, removed: list[Entity]) -> list[tuple[int, int]]:
    """The names coordinated with a removed name: "Kónya, Becker and Vasquez"."""
    doc = analysis.doc
    out = []
    for entity in removed:
        span = doc.char_span(entity.start, entity.end, alignment_mode="expand")
        if span is None:
            continue
        for token in _coordinated(span.root):
            if (token.is_title and token.pos_ == "PROPN" and _is_name_word(token.text)) or (
                    token.is_lower and names.is_given_name(token.text)):
                words = [t for t in token.subtree if t.dep_ in ("compound", "flat") or t == token]
                out.append((words[0].idx, words[-1].idx + len(words[-1])))
    return out


def _coordinated(root: Any) -> list[Any]:
    """The tokens joined with ``root`` by "and", "or" or commas, either way."""
    head = root
    while head.dep_ == "conj" and head.head is not head:
        head = head.head
    members = [head]
    for member in members:
        members += [c for c in member.children if c.dep_ == "conj" and c not in members]
    return [m for m in members if m is not root]


def _given_as_name(analysis: Analysis) -> list[tuple[int, int]]:
    """The words after "my name is", "Name:", "call me": a run of name words and initials."""
    text = analysis.text
    out = []
    for slot in NAME_SLOT.finditer(text):
        if THING_BEFORE.search(text, max(slot.start() - 12, 0), slot.start()):
            continue
        run = _name_run(text, slot.end())
        if run:
            out.append(run)
    return out


def _speakers(analysis: Analysis) -> list[tuple[int, int]]:
    """The speakers of a dialogue: two or more name words, each before a colon where a
    sentence or line starts ("Ubul: ...  Nicole: ..."). One label alone is a heading."""
    labels = [m.span(1) for m in SPEAKER.finditer(analysis.text) if _is_name_word(m.group(1))]
    return labels if len(labels) >= 2 else []


_TOKEN = re.compile(r"[^\W\d_][\w'’-]*\.?|\S")


def _name_run(text: str, start: int) -> tuple[int, int] | None:
    """A run of name words from ``start`` ("Jildau S Bouts", "Elínborg Guðmundsdóttir",
    "vitoria"), with initials and particles inside it."""
    end = start
    words = 0
    pos = start
    while words < MAX_NAME_WORDS:
        match = _TOKEN.match(text, pos)
        if match is None:
            break
        word = match.group(0).rstrip(".")
        initial = len(word) == 1 and word.isupper() and words > 0
        particle = word.lower() in NAME_PARTICLES and words > 0
        if not (initial or particle or _is_name_word(word.rstrip("'’s"))):
            break
        words += 1
        if not particle:
            end = match.start() + len(word.rstrip("'’").removesuffix("'s").removesuffix("’s"))
        gap = re.match(r"[ \t]+", text[match.end():])
        if gap is None:
            break
        pos = match.end() + gap.end()
    return (start, end) if end > start else None
