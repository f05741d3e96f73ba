"""The stage between reading and analysis: what a draft's assets add to it.

A draft is its words, but also what it publishes with them: the images it references (their
metadata, the text in their pixels, the faces in them) and the times of the caption cues its
words come from. This stage is the one place that knows about them:

- ``derive`` adds segments derived from a draft's images (scope ``image_text``), marked not
  editable so that ``--fix`` and ``redact`` never write into an image reference;
- ``annotate`` adds what a finding's place in an asset means to its message (a cue's times);
- ``key_of`` is what the result cache adds to a file's bytes, so an edited image is read again.

It imports nothing heavy: images are opened only when a draft references one (images/).
"""

from __future__ import annotations

import bisect
import hashlib
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .models import Draft, Finding, Segment, SourceMap
from .rules.loader import Rule


def annotate(draft: Draft, findings: Iterable[Finding]) -> list[Finding]:
    """Each finding, its message naming the marked stretch it stands in (a caption cue) or
    the image and region its text was read from."""
    findings = list(findings)
    for finding in findings:
        scope = finding.scope
        if isinstance(scope, ImageTextScope):
            finding.message = f"{finding.message} (in image {scope.where})"
            finding.asset = scope.image
            finding.scope = IMAGE_TEXT  # a plain string again, for every output
    marked = [s for s in draft.segments if s.marks]
    if not marked or draft.lines is None:
        return findings
    for finding in findings:
        at = draft.lines.line_start(finding.line) + finding.column - 1
        for segment in marked:
            label = _mark_at(segment.marks, at)
            if label:
                finding.message = f"{finding.message} (cue {label})"
                break
    return findings


def _mark_at(marks: tuple[tuple[int, str], ...], offset: int) -> str:
    index = bisect.bisect_right(marks, (offset, "\U0010ffff")) - 1
    return marks[index][1] if index >= 0 else ""


IMAGE_TEXT = "image_text"  # the scope of text read in a draft's images
ASSET_KIND = "asset"  # rules whose findings this stage makes (rules/assets/*.yaml)
ASSET_LIMIT = 100  # findings per rule and draft: one per image
_RULE_FILE = {
    "type": "object", "additionalProperties": False, "required": ["rules"],
    "properties": {"rules": {"type": "array", "items": {
        "type": "object", "required": ["id", "category", "severity", "message", "kind", "asset"],
        "properties": {"kind": {"const": ASSET_KIND},
                       "asset": {"enum": ["location", "date", "name", "serial", "face"]}},
    }}},
}


def load_rules(folder: Path) -> list[Rule]:
    """The asset rules of a rule folder's ``assets/`` (their own kind, so not in the engine's
    rule files): known to select, ignore, suppressions and every output format like any rule."""
    from .rules.loader import RuleError
    from .yamlpos import load_file, node_line

    rules = []
    for path in sorted((folder / "assets").glob("*.y*ml")):
        data, node = load_file(path, _RULE_FILE, RuleError)
        for i, spec in enumerate(data["rules"]):
            spec = {"limit": ASSET_LIMIT, **spec}
            rules.append(Rule(spec["id"], spec["category"], spec["severity"], spec["message"],
                              ASSET_KIND, spec, str(path), node_line(node, ["rules", i])))
    return rules


def derive(drafts: Iterable[Draft], settings: object) -> Iterator[Draft]:
    """The drafts with what their images hold (in ``draft.assets``) and the text in them as
    segments of their own (before the NLP pass, so it is analysed with the rest): without the
    images extra, nothing, said once; with Pillow alone, metadata only, said once."""
    from . import images

    ready = images.available()
    for draft in drafts:
        if ready:
            from .images.inspect import inspect

            draft.assets = inspect(draft, pixels=_pixels_ready)
            draft.segments.extend(_text_segments(draft))
        elif _mentions_images(draft):
            _notice_once()
        yield draft


def _pixels_ready() -> bool:
    """Whether text and faces can be read (asked only for a draft with an image to read)."""
    from . import images

    if images.missing():
        _notice_once("text and faces in images were not checked: install phiguard[images]")
        return False
    return True


class ImageTextScope(str):
    """The scope ``image_text`` (equal to the string for every rule), carrying the image and
    the region a segment was read from, so that a finding in it can name them (annotate)."""

    where: str
    image: str

    def __new__(cls, where: str, image: str = "") -> ImageTextScope:
        scope = super().__new__(cls, IMAGE_TEXT)
        scope.where = where
        scope.image = image
        return scope


@dataclass(frozen=True)
class PinnedMap(SourceMap):
    """Every character of an image's text stands at the draft's reference to the image."""

    def file_offset(self, text_offset: int) -> int:
        return self.runs[0][1]


def _text_segments(draft: Draft) -> list[Segment]:
    """One segment per region of text read in an image: not editable, at the reference."""
    from .images.inspect import box_label

    segments = []
    for image in draft.assets:
        if not image.text or draft.lines is None:
            continue
        ref = image.ref
        at = PinnedMap.linear(draft.lines.line_start(ref.line) + ref.column - 1)
        for region in image.text:
            where = f"{ref.shown}, text at {box_label(region.box)}"
            segments.append(Segment(ImageTextScope(where, ref.shown), region.text, at,
                                    "image text",
                                    editable=False))
    return segments


def findings(analysis: Any, engine: Any) -> list[Finding]:
    """A finding for each image and active asset rule whose kind of fact the image holds."""
    draft = analysis.draft
    if not draft.assets:
        return []
    consent_problem = engine.registry.check(draft)
    found = []
    for compiled in engine.compiled:
        rule = compiled.rule
        if rule.kind != ASSET_KIND or not engine._applies(rule, analysis, consent_problem):
            continue
        for image in draft.assets:
            fields = image.facts(rule.spec["asset"])
            if fields:
                found.append(_finding(rule, draft, image, fields))
    return found


def _finding(rule: Rule, draft: Draft, image: Any, fields: list[str]) -> Finding:
    ref = image.ref
    what = ", ".join(fields[:6]) + (" ..." if len(fields) > 6 else "")
    identity = hashlib.sha256(f"{rule.id}\0{ref.shown}".encode()).hexdigest()
    return Finding(draft.path, ref.line, ref.column, ref.line, ref.column + len(ref.shown),
                   rule.id, rule.category, rule.severity, f"{rule.message}: {ref.shown} ({what})",
                   "", "image", identity, ref.shown)


_noticed = False


def _mentions_images(draft: Draft) -> bool:
    from .images import IMAGE_SUFFIXES

    values = [str(m.get("path") or "") for m in draft.media] + [str(draft.meta.get("image", ""))]
    if any(v.lower().endswith(IMAGE_SUFFIXES) for v in values):
        return True
    from .readers import format_of

    form = format_of(draft.path)
    return form is not None and form.inline_images and any(
        s.scope == "alt" for s in draft.segments)


def _notice_once(what: str = "images referenced by drafts were not checked (metadata, text, "
                 "faces): install phiguard[images]") -> None:
    """Images are not (fully) checked without the extra: said once a process, on standard
    error."""
    global _noticed
    if not _noticed:
        _noticed = True
        sys.stderr.write(f"phiguard: notice: {what}\n")


def key_of(path: Path, content: bytes) -> bytes:
    """What a file's findings depend on beyond its bytes: the bytes of the images it may
    reference (any existing file whose name it mentions), so the cache misses on a new one.
    Nothing for a file that mentions none: its key is its bytes alone, as before."""
    from .images.refs import mentioned_images

    images = mentioned_images(path, content)
    if not images:
        return b""
    digest = hashlib.sha256()
    for image in images:
        try:
            data = image.read_bytes()
        except OSError:
            continue
        digest.update(str(image).encode() + b"\0" + hashlib.sha256(data).digest())
    return digest.digest()
