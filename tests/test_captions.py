"""Captions (.srt, .vtt): cues read as one transcript, findings at the caption file's place."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from phiguard.config import Settings
from phiguard.models import ReadError
from phiguard.readers import READERS, read_drafts

from .conftest import ROOT, run_cli, write

# Invented people only. The sentence naming the patient runs over cues 1 and 2.
SRT = ("1\r\n00:00:01,000 --> 00:00:03,500\r\n"
       "Say hi to Jerome Walsh, who\r\n\r\n"
       "2\r\n00:00:03,500 --> 00:00:06,000\r\n"
       "finished <i>dialysis</i> on Friday.\r\n\r\n"
       "3\r\n00:00:06,000 --> 00:00:08,000\r\n"
       "His MRN 00482913 is on file.\r\n")
VTT = ("WEBVTT - clinic tour\n\n"
       "NOTE Delphine Marsh must never be read: a note is not published\n\n"
       "STYLE\n::cue { color: yellow }\n\n"
       "intro\n00:01.000 --> 00:03.500 align:start position:10%\n"
       "<v Nurse Kim>Say hi to Jerome Walsh,</v> who\n\n"
       "00:03.500 --> 00:06.000\n"
       "finished dialysis &amp; rehab on Friday.\n")


def drafts_of(path: Path):
    return read_drafts(path, str(path), Settings())


@pytest.mark.unit
def test_cues_are_one_transcript_mapped_to_the_file(tmp_path: Path) -> None:
    for name, content in (("clip.srt", SRT), ("clip.vtt", VTT)):
        path = write(tmp_path / name, content)
        [draft] = drafts_of(path)
        [segment] = draft.segments
        assert "Say hi to Jerome Walsh, who finished dialysis" in segment.text
        assert "Delphine" not in segment.text and "color" not in segment.text
        assert "<" not in segment.text and "-->" not in segment.text
        source = path.read_bytes().decode("utf-8")
        for i, ch in enumerate(segment.text):
            if not ch.isspace():  # every word character stands where the file has it
                at = segment.source.file_offset(i)
                assert source[at] == ch or (ch == "&" and source.startswith("&amp;", at)), (name, i)


def test_a_sentence_over_two_cues_is_analysed_whole(tmp_path: Path, checker) -> None:
    [draft] = drafts_of(write(tmp_path / "clip.srt", SRT))
    [analysis] = checker.analyzer.analyze([draft])
    start = analysis.text.index("Jerome")
    lo, hi = analysis.sentence(start)
    sentence = analysis.text[lo:hi]
    assert sentence.startswith("Say hi") and "dialysis on Friday." in sentence


def test_findings_are_at_the_caption_line_with_the_cue_times(tmp_path: Path, checker) -> None:
    srt = write(tmp_path / "clip.srt", SRT)
    findings = list(checker.check_drafts(drafts_of(srt)))
    phi001 = next(f for f in findings if f.rule == "PHI001")
    assert (phi001.line, phi001.column) == (11, 5)  # "MRN 00482913", in cue 3
    assert phi001.message.endswith("(cue 00:00:06,000 --> 00:00:08,000)")
    assert "00482913" not in phi001.excerpt
    vtt = write(tmp_path / "clip.vtt", VTT)
    named = [f for f in checker.check_drafts(drafts_of(vtt)) if f.rule == "PHI002"]
    assert [(f.line, f.column) for f in named] == [(10, 24)]  # the name, after the voice tag
    assert named[0].message.endswith("(cue 00:01.000 --> 00:03.500)")
    assert "Walsh" not in named[0].excerpt


@pytest.mark.unit
@pytest.mark.parametrize(("name", "content", "line"), [
    ("bad.srt", "1\n00:00:01,000 --> 00:00:03,500\nHello\n\n2\n00:00:03 --> 00:00:05,000\nA\n", 6),
    ("bad.srt", "1\n00:00:01,000 -> 00:00:03,500\nHello\n", 2),
    ("bad.srt", "1\n00:00:04,000 --> 00:00:03,500\nHello\n", 2),
    ("bad.srt", "1\n00:00:01,000 --> 00:61:03,500\nHello\n", 2),
    ("bad.vtt", "WEBVTT\n\n00:01.000 --> 00:03.500\nHi\n\nid\nJerome 00:03.5 --> 00:05.000\n", 7),
    ("bad.vtt", "Jerome Walsh\n\n00:01.000 --> 00:03.500\nHi\n", 1),
])
def test_malformed_cues_are_errors_naming_the_line(tmp_path: Path, name: str, content: str,
                                                   line: int) -> None:
    path = write(tmp_path / name, content)
    with pytest.raises(ReadError) as caught:
        drafts_of(path)
    assert caught.value.line == line
    assert "Jerome" not in caught.value.message


def test_malformed_timing_through_the_cli(tmp_path: Path) -> None:
    write(tmp_path / "clip.srt", "1\n00:00:01,000 --> 00:00:03,500\nHi\n\n2\nJerome Walsh\nx\n")
    proc = run_cli("check", "--no-cache", str(tmp_path / "clip.srt"))
    assert proc.returncode == 2
    errors = [line for line in proc.stdout.splitlines() + proc.stderr.splitlines()
              if "clip.srt" in line and "line 6" in line]
    assert len(errors) == 1 and "timing" in errors[0]
    assert "Traceback" not in proc.stderr and "Jerome" not in proc.stdout + proc.stderr


@pytest.mark.unit
def test_the_pre_commit_hook_selects_captions(tmp_path: Path) -> None:
    from identify import identify

    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    files = re.compile(hook["files"])
    for suffix in READERS:  # every file phiguard reads, and nothing else
        assert files.search(f"drafts/post{suffix}") and files.search(f"POST{suffix.upper()}")
    assert not files.search("drafts/notes.py") and not files.search("srt/run.sh")
    caption = write(tmp_path / "clip.vtt", VTT)
    assert identify.tags_from_path(str(caption)) & set(hook["types_or"])
