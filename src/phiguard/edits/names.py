"""Names `phiguard redact` removes beyond the shared detection.

`check` must not cry wolf, so the shared analysis tags a name only where it is sure. Redact
must leave nothing that identifies, and some names show themselves by where they stand, not
by what NER knows:

- the other mentions of a name that goes ("... by Maciej Borkowski and starring Borkowski");
- the names in a list with a name that goes ("our founders: Kónya, Becker and Vasquez");
- a name given as one ("my name is ...", "Name: ...", "call me ...", "her maiden name is ...");
- a known given name with a surname NER did not tag ("Maybe it's under Miklós Hajdu",
  "follow up with patricia desrosiers").

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
    r"[\s\"']*|\b(?:call|calls|called)\s+me\s+|\bwas\s+called\s+", re.IGNORECASE)
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
    # read as a town); a given name and a surname only where NER read nothing.
    names_taken = [(e.start, e.end) for e in analysis.entities if e.type not in NER_GUESSES]
    taken = [(e.start, e.end) for e in analysis.entities]
    found: list[tuple[int, int]] = []
    placed = (_mentions_again(analysis, removed) + _in_lists(analysis, removed)
              + _given_as_name(analysis))
    for spans, blocked in ((placed, names_taken), (_given_and_surname(analysis), taken)):
        for span in spans:
            if not any(lo < span[1] and span[0] < hi for lo, hi in blocked + found):
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
    """Every other mention of a word of a removed name ("Borkowski" after "Maciej
    Borkowski")."""
    text = analysis.text
    words = {w for e in removed for w in re.findall(r"[^\W\d_]{3,}", text[e.start:e.end])
             if w[0].isupper() and MASKER.could_be_name(w)}
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
            if token.is_title and token.pos_ == "PROPN" and _is_name_word(token.text):
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


def _given_and_surname(analysis: Analysis) -> list[tuple[int, int]]:
    """A known given name followed by a surname NER did not tag: "Miklós Hajdu", "Lily
    Nolan", "patricia desrosiers" (a lower-case given name only before a lower-case word that
    is no English word)."""
    doc = analysis.doc
    out = []
    for token in doc[:-1]:
        if not names.is_given_name(token.text) or names.is_place(token.text):
            continue
        following = [t for t in doc[token.i + 1:token.i + 3]]
        if token.is_title:
            surname = _surname(following, upper=True)
        elif token.is_lower:
            surname = _surname(following, upper=False)
        else:
            continue
        if surname is not None:
            out.append((token.idx, surname.idx + len(surname)))
    return out


def _surname(following: list[Any], upper: bool) -> Any:
    """The surname after a given name, past one initial ("Ravil G Yefimov")."""
    for i, token in enumerate(following):
        if upper and len(token) == 1 and token.is_upper and i == 0:
            continue  # a middle initial
        if not token.is_alpha or len(token) < 2:
            return None
        if upper:
            return token if token.is_title and MASKER.could_be_name(token.text) else None
        return token if token.is_lower and _unknown(token.text) else None
    return None


def _unknown(word: str) -> bool:
    """No English word at all: a lower-case surname ("desrosiers", "kleist")."""
    from ..vocabulary import word_counts

    return word_counts().get(names.fold(word), 0) == 0
