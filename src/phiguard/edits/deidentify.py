"""`phiguard redact`: de-identify drafts with presidio-anonymizer, following HIPAA Safe Harbor
rather than masking everything, so the post still reads naturally. safeharbor.py decides
which identifiers go, replacements.py what each becomes; this module places each replacement
in the file (a name with its honorific, the name a reply addresses someone by, the space before
a removed identifier), runs presidio-anonymizer and re-checks the result.

Staff, public figures and the organization's own contact details are left alone. Edits are
made at file offsets, so everything else in the file stays byte for byte the same.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..analysis.core import Analysis, Entity
from .files import Edit, file_span
from .names import NER_GUESSES, more_names
from .replacements import REMOVE, REPLY_KINDS, RedactOptions, in_year, starts_sentence, year_only
from .safeharbor import (
    KEPT_NAME_ROLES,
    MASKER,
    TIME_AFTER,
    is_patient_identifier,
    replacement_for,
    web_addresses,
)

if TYPE_CHECKING:
    from ..config import Settings

_SPACE_BEFORE = re.compile(r"[ \t]+$")
# An edit, the entity type it replaces, and how it transforms the old text.
Planned = tuple[Edit, str, Callable[[str], str]]
ROLE_NOUNS = {"patient", "client", "resident", "member", "reviewer", "mom", "dad", "son",
              "daughter", "wife", "husband", "kid", "child", "baby", "partner", "mother",
              "father", "brother", "sister", "grandson", "granddaughter", "grandma", "grandpa",
              "cousin", "niece", "nephew", "friend"}


def plan(analysis: Analysis, file_text: str, settings: Settings,
         options: RedactOptions) -> list[Planned]:
    """(file span, entity type, how to transform the old text) for each identifier."""
    draft = analysis.draft
    org = getattr(settings, "org", {}) or {}
    entities = _distinct_names(analysis) + web_addresses(analysis)
    removed = [e for e in entities if e.type == "PERSON"
               and replacement_for(e, analysis, [], org, options) is not None]
    found = more_names(analysis, removed)
    entities = sorted([e for e in entities if not _guess_under(e, found)] + found,
                      key=lambda e: (e.start, e.end))
    patients = [e for e in entities if is_patient_identifier(e)]
    out = []
    for entity in entities:
        transform = replacement_for(entity, analysis, patients, org, options)
        if transform is None:
            continue
        segment = analysis.segment_index(entity.start)
        if entity.end > analysis.starts[segment] + len(draft.segments[segment].text):
            continue  # never across segments
        if not draft.segments[segment].editable:
            continue  # text read in an image: the file holds no such words to edit
        start, end = file_span(draft, analysis.starts, file_text, entity.start, entity.end,
                               segment)
        if entity.type == "PERSON" and transform is not REMOVE:
            start = _honorific_start(file_text, start)
        if _is_addressee_in_reply(entity, analysis, file_text, start, end):
            start, end, transform = _unaddressed(file_text, start, end)
        elif transform is REMOVE or _after_role_noun(analysis.text, entity):
            start = _removal_start(file_text, start, end)
            transform = REMOVE
        elif transform is year_only:
            time = TIME_AFTER.match(file_text, end)  # "1985-11-18 22:50": the time goes too
            end = time.end() if time else end
            if file_text[max(start - 3, 0):start].lower() == "on ":
                start -= 3
                transform = in_year
        out.append((Edit(start, end, "", entity.type), entity.type, transform))
    return _without_overlaps(out)


def _guess_under(entity: Entity, found: list[Entity]) -> bool:
    """A place or date NER read where redact found a name ("call me Aantje")."""
    return entity.type in NER_GUESSES and any(
        f.start < entity.end and entity.start < f.end for f in found)


def _without_overlaps(planned: list[Planned]) -> list[Planned]:
    """One edit where two overlap (an address block and a number inside it read as a date,
    a name and the address line it runs into): their union, replaced as the longer one."""
    out: list[Planned] = []
    for item in sorted(planned, key=lambda p: (p[0].start, -p[0].end)):
        edit = item[0]
        if out and edit.start < out[-1][0].end:
            kept, kind, transform = out[-1]
            if edit.end - edit.start > kept.end - kept.start:
                kind, transform = item[1], item[2]
            union = Edit(kept.start, max(kept.end, edit.end), "", kind)
            out[-1] = (union, kind, transform)
            continue
        out.append(item)
    return out


_LEADING_NON_NAME = re.compile(r"(?:(?:hi|hello|hey|dear|thanks|thank you|congrats|"
                               r"congratulations|welcome|meet|happy)\b[\s,!]*)+", re.I)


_TRAILING_LABEL = re.compile(r"(?<=\w)[ \t]+([A-Za-z]+)$")


def _distinct_names(analysis: Analysis) -> list[Entity]:
    """Entities with greeting words trimmed off names ("Hi Glenda" -> "Glenda") and a field
    label after them ("Glenda Quell Phone:"), and one entity per name span (the addressee's
    reading first)."""
    seen: set[tuple[int, int]] = set()
    out = []
    ranked = sorted(analysis.entities, key=lambda e: e.role != "addressee")
    for entity in ranked:
        if entity.type == "PERSON":
            lead = _LEADING_NON_NAME.match(analysis.text, entity.start, entity.end)
            if lead and lead.end() < entity.end:
                entity = Entity(entity.type, lead.end(), entity.end, entity.score, entity.role)
            label = _TRAILING_LABEL.search(analysis.text, entity.start, entity.end)
            if label and analysis.text[entity.end:entity.end + 1] == ":" and not (
                    MASKER.could_be_name(label.group(1))):
                # "Name: Ada Quell Phone: ...": NER ran into the next field's label
                entity = Entity(entity.type, entity.start, label.start(), entity.score,
                                entity.role)
            if (entity.start, entity.end) in seen:
                continue
            seen.add((entity.start, entity.end))
        out.append(entity)
    return sorted(out, key=lambda e: (e.start, e.end))


_HONORIFIC_BEFORE = re.compile(r"\b(?:Mr|Mrs|Ms|Mx|Miss|Mister)\.?[ \t]+$")
_GREETING_BEFORE = re.compile(r"\b(?:hi|hello|hey|dear|thanks|thank you|welcome)[ \t]*,?[ \t]*$",
                              re.I)
_VOCATIVE_AFTER = re.compile(r"[ \t]*,[ \t]*(?P<next>\w)")


def _honorific_start(text: str, start: int) -> int:
    """ "Mr. Dalton" goes as a whole: "Mr. a patient" reads badly and keeps a gender."""
    honorific = _HONORIFIC_BEFORE.search(text, max(start - 12, 0), start)
    return honorific.start() if honorific else start


def _is_addressee_in_reply(entity: Entity, analysis: Analysis, text: str, start: int,
                           end: int) -> bool:
    """The person a reply speaks to: its addressee, or a name that opens a sentence of the
    reply followed by a comma ("Glenda, we're sorry")."""
    if entity.type != "PERSON" or analysis.draft.kind not in REPLY_KINDS:
        return False
    vocative = ((starts_sentence(text, start) and _VOCATIVE_AFTER.match(text, end) is not None)
                or _GREETING_BEFORE.search(text, max(start - 16, 0), start) is not None)
    return entity.role == "addressee" or vocative


def _unaddressed(text: str, start: int, end: int) -> tuple[int, int, Callable[[str], str]]:
    """Drop the name a reply addresses someone by, without saying what they are: "Hi Glenda,"
    -> "Hi there,", "Glenda, we're sorry" -> "We're sorry", "Thanks, Glenda!" -> "Thanks!".
    Calling the reader "a patient" or "the reviewer" would confirm that they are one."""
    if _GREETING_BEFORE.search(text, max(start - 16, 0), start):
        return start, end, lambda _old: "there"
    after = _VOCATIVE_AFTER.match(text, end)
    if after and starts_sentence(text, start):
        first = after.group("next")
        return start, after.end(), lambda _old: first.upper()
    return _removal_start(text, start, end), end, REMOVE


def _removal_start(text: str, start: int, end: int) -> int:
    """Take the space before a removed identifier too, and a comma that would be doubled."""
    space = _SPACE_BEFORE.search(text, max(start - 8, 0), start)
    start = space.start() if space else start
    if start > 0 and text[start - 1] == "," and text[end:end + 1] in (",", "."):
        start -= 1
    return start


def _after_role_noun(text: str, entity: Entity) -> bool:
    """ "our patient Ana Ruiz" -> "our patient": the name goes, the phrase is already there."""
    if entity.type != "PERSON" or entity.role in KEPT_NAME_ROLES:
        return False
    words = text[:entity.start].split()
    return bool(words) and words[-1].lower().strip(",") in ROLE_NOUNS


def redact_text(checker: Any, opened: Any, settings: Settings,
                options: RedactOptions) -> tuple[str, list[str]]:
    """The file's text de-identified, and what kinds of identifiers were replaced."""
    from presidio_anonymizer import AnonymizerEngine
    from presidio_anonymizer.entities import OperatorConfig, RecognizerResult

    text = opened.text
    planned = [item for analysis in checker.analyzer.analyze(opened.drafts(text, settings))
               for item in plan(analysis, text, settings, options)]
    if not planned:
        return text, []
    # One operator per occurrence (its own entity type), so each gets its own replacement.
    results = [RecognizerResult(f"R{i}", edit.start, edit.end, 1.0)
               for i, (edit, _, _) in enumerate(planned)]
    operators = {f"R{i}": OperatorConfig("custom", {"lambda": transform})
                 for i, (_, _, transform) in enumerate(planned)}
    redacted = AnonymizerEngine().anonymize(text=text, analyzer_results=results,
                                            operators=operators)
    return redacted.text, sorted({kind for _, kind, _ in planned})


@dataclass
class Leftover:
    """What the re-check of a redacted file still finds: only this is reported as verified."""

    phi: list[Any] = field(default_factory=list)  # phi findings on the redacted text
    identifiers: list[tuple[int, int, str]] = field(default_factory=list)  # line, col, type
    name_like_lines: list[int] = field(default_factory=list)  # words that could be names


def verify(checker: Any, opened: Any, after: str, settings: Settings,
           options: RedactOptions) -> Leftover:
    """Analyse the redacted text again with the same detection and rules."""
    left = Leftover()
    for analysis, findings in checker.analysed(opened.drafts(after, settings)):
        left.phi += [f for f in findings if f.category == "phi"]
        draft = analysis.draft
        for edit, kind, _ in plan(analysis, after, settings, options):
            line, col = draft.lines.position(edit.start)
            left.identifiers.append((line, col, kind))
        kept = [(e.start, e.end) for e in analysis.entities
                if e.role in KEPT_NAME_ROLES - {"noise"}]
        for start, end in MASKER.name_like_words(analysis.text):
            if any(lo <= start and end <= hi for lo, hi in kept):
                continue
            segment = analysis.segment_index(start)
            file_start, _ = file_span(draft, analysis.starts, after, start, end, segment)
            left.name_like_lines.append(draft.lines.position(file_start)[0])
    left.name_like_lines = sorted(set(left.name_like_lines))
    return left
