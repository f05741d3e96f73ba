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
from collections.abc import Iterable, Iterator
from pathlib import Path

from .models import Draft, Finding


def annotate(draft: Draft, findings: Iterable[Finding]) -> list[Finding]:
    """Each finding, its message naming the marked stretch it stands in (a caption cue)."""
    findings = list(findings)
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


def derive(drafts: Iterable[Draft], settings: object) -> Iterator[Draft]:
    """The drafts with the segments their assets add (none yet without the images extra)."""
    yield from drafts


def key_of(path: Path, content: bytes) -> bytes:
    """What a file's findings depend on beyond its bytes: the bytes of the images it may
    reference (any existing file whose name it mentions), so the cache misses on a new one."""
    from .images.refs import mentioned_images

    digest = hashlib.sha256()
    for image in mentioned_images(path, content):
        try:
            data = image.read_bytes()
        except OSError:
            continue
        digest.update(str(image).encode() + b"\0" + hashlib.sha256(data).digest())
    return digest.digest()
