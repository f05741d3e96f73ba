"""Fail closed on the nastiest inputs: one line per bad file, the rest still checked, exit 2."""

from __future__ import annotations

import hashlib
import itertools
import os
import re
import shutil
from pathlib import Path

import pytest

from .conftest import ROOT, run_cli, run_json, write

CORPUS = Path(__file__).parent / "corpus"

# file -> (phiguard's own words in the error, or None, and the line it names, or None).
# Where the reason comes from a library (PyYAML/libyaml, json, csv), only phiguard's own
# prefix is asserted: the behaviour is what matters (listed, one line, file and line named),
# not how a library words it. Deep nesting is refused by whichever layer sees it first
# (libyaml, the composer, phiguard's depth limit), each in its own words, so no words there.
EXPECTED_ERRORS = {
    "invalid-utf8.md": ("not valid UTF-8", 2),
    "binary.txt": ("binary file", None),
    "empty.md": ("empty file", None),
    "blank.yaml": ("empty file", None),
    "front-matter-unclosed.md": ("never closed", 1),
    "front-matter-bad.md": ("invalid YAML", 3),
    "front-matter-list.md": ("front matter must be a mapping", 2),
    "bad.yaml": ("invalid YAML", 3),
    "bad.json": ("invalid JSON", 1),
    "deep.json": (None, None),
    "deep.yaml": (None, None),
    "alias-bomb.yaml": ("expands too far", None),
    "python-tag.yaml": ("would build program objects and is refused", 1),
    "text-not-text.json": ("must be text", None),
    "no-text-field.yaml": ("no text field", 1),
    "unterminated.csv": ("invalid CSV", 3),
    "ragged.csv": ("row has 3 fields, the header has 2", 2),
    "no-text-column.csv": ("no text column", 1),
    "huge-field.csv": ("invalid CSV", 2),
    "duplicate-key.yaml": ("duplicate key", 3),
    "duplicate-key.json": ("duplicate key", 2),
    "lone-surrogate.json": ("surrogate", 2),
    "late-nul.md": ("binary file", 301),
    "duplicate-header.csv": ("have the same name", 1),
    "two-text-columns.csv": ("could each be the post text", 1),
}
# Read, not refused: CR-only line ends, an abruptly closed comment, a body indented 4 spaces.
CHECKED = {"utf16-bom.txt", "utf8-bom.md", "name with spaces 'quoted' é.md", "clean.md",
           "cr-only.md", "abrupt-comment.html", "indented.md"}


@pytest.mark.unit
def test_corpus_is_fully_described() -> None:
    assert {p.name for p in CORPUS.iterdir()} == set(EXPECTED_ERRORS) | CHECKED


def test_every_bad_file_is_one_error_and_the_rest_are_checked(tmp_path: Path) -> None:
    corpus = shutil.copytree(CORPUS, tmp_path / "corpus")
    code, report = run_json("corpus", cwd=tmp_path)
    assert code == 2
    errors = {Path(e["path"]).name: e["message"] for e in report["errors"]}
    assert set(errors) == set(EXPECTED_ERRORS)
    for name, (says, line) in EXPECTED_ERRORS.items():
        message = errors[name]
        assert message.strip() and "\n" not in message and "Traceback" not in message, name
        assert "internal error" not in message, (name, message)
        if says is not None:
            assert says in message, (name, message)
        named = re.match(r"line (\d+): ", message)
        if line is not None:
            assert named and int(named[1]) == line, (name, message)
        elif named:  # a line named without being expected must still be in the file
            assert int(named[1]) <= max(1, len((corpus / name).read_bytes().splitlines()))
    assert report["summary"]["files"] == len(CHECKED)
    flagged = {Path(f["path"]).name for f in report["findings"]}
    # BOM files are decoded and checked; the odd file name is no obstacle.
    assert {"utf16-bom.txt", "utf8-bom.md", "name with spaces 'quoted' é.md"} <= flagged
    assert corpus.is_dir()


def test_text_output_lists_each_error_on_one_line(tmp_path: Path) -> None:
    shutil.copytree(CORPUS, tmp_path / "corpus")
    proc = run_cli("check", "corpus", cwd=tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stdout + proc.stderr
    error_lines = [line for line in proc.stdout.splitlines() if ": error " in line]
    assert len(error_lines) == len(EXPECTED_ERRORS)
    # Each line names its file (and the line, where the error has one).
    assert {line.split(": error ")[0] for line in error_lines} == {
        f"corpus/{name}" for name in EXPECTED_ERRORS}


def test_check_never_modifies_a_scanned_file(tmp_path: Path) -> None:
    shutil.copytree(CORPUS, tmp_path / "corpus")
    shutil.copytree(ROOT / "examples", tmp_path / "examples")

    def snapshot() -> dict[str, tuple[str, int]]:
        return {str(p): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
                for p in tmp_path.rglob("*") if p.is_file()}

    before = snapshot()
    for fmt in ("text", "json", "sarif", "github", "junit"):
        run_cli("check", "--format", fmt, "corpus", "examples", cwd=tmp_path)
    after = snapshot()
    assert {p: after.get(p) for p in before} == before
    # The only files a check writes are its cache entries.
    assert all(".phiguard_cache" in Path(p).parts for p in set(after) - set(before))


def test_special_files_directories_and_missing_paths(tmp_path: Path) -> None:
    write(tmp_path / "ok.md", "Join us Saturday for the 5K!\n")
    os.mkfifo(tmp_path / "pipe.md")  # reading it would block forever
    (tmp_path / "folder.md").mkdir()
    write(tmp_path / "folder.md" / "inner.txt", "Join us Saturday!\n")
    (tmp_path / "loop.md").symlink_to(tmp_path / "loop.md")
    code, report = run_json("ok.md", "pipe.md", "folder.md", "loop.md", "missing.md",
                            cwd=tmp_path)
    assert code == 2
    errors = {e["path"]: e["message"] for e in report["errors"]}
    assert "not a regular file" in errors["pipe.md"]
    assert "symbolic link" in errors["loop.md"]
    assert "no such file" in errors["missing.md"]
    assert report["summary"]["files"] == 2  # ok.md and folder.md/inner.txt


@pytest.mark.unit
def test_unreadable_file_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Run in-process: as root, chmod 000 would not stop the read.
    from phiguard.models import ReadError
    from phiguard.readers import common

    target = write(tmp_path / "secret.md", "Hello.\n")

    def denied(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", denied)
    with pytest.raises(ReadError) as caught:
        common.read_text(target, "secret.md")
    assert str(caught.value) == "secret.md: permission denied"


def test_too_large_file_names_the_configurable_limit(tmp_path: Path) -> None:
    write(tmp_path / ".phiguard.yaml", "max_file_bytes: 1000\n")
    write(tmp_path / "big.txt", "Join us Saturday for the 5K! " * 100)
    write(tmp_path / "small.txt", "Join us Saturday for the 5K!\n")
    code, report = run_json(".", cwd=tmp_path)
    assert code == 2 and report["summary"]["files"] == 1
    assert report["errors"] == [{"path": "big.txt", "message": "file is too large (2900 bytes; "
                                 "the limit is 1000, set with max_file_bytes)"}]


HOSTILE = {
    "alias bomb": ("a: &a [x, x, x, x, x, x, x, x, x]\n" + "\n".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]"
        for i in range(8)), "expands too far"),
    "object tag": ("model: !!python/object/apply:os.system ['echo pwned']\n", "invalid YAML"),
    # Refused in libyaml's, the composer's or phiguard's words, whichever layer sees it first.
    "deep nesting": ("exclude: " + "[" * 5000 + "]" * 5000 + "\n", None),
}


@pytest.mark.parametrize("where", ["config", "registry", "rules"])
@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_yaml_in_every_file_phiguard_reads(tmp_path: Path, where: str,
                                                    case: str) -> None:
    text, says = HOSTILE[case]
    write(tmp_path / "p.md", "Join us Saturday!\n")
    if where == "config":
        bad = write(tmp_path / ".phiguard.yaml", text)
    elif where == "registry":
        write(tmp_path / ".phiguard.yaml", "consent_registry: consents.yaml\n")
        bad = write(tmp_path / "consents.yaml", text)
    else:
        write(tmp_path / ".phiguard.yaml", "rule_paths: [mine]\n")
        bad = write(tmp_path / "mine" / "rules.yaml", text)
    proc = run_cli("check", "p.md", cwd=tmp_path)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr, lines
    assert "internal error" not in lines[0], lines
    # `path:message` or, where the error has a line, `path:1:` (each case is one line long).
    assert re.search(rf"{re.escape(bad.name)}(:1)?: \S", lines[0]), lines
    if says is not None:
        assert says in lines[0], lines
    assert "pwned" not in proc.stdout


def test_rule_regex_that_backtracks_is_refused_with_line(tmp_path: Path) -> None:
    write(tmp_path / ".phiguard.yaml", "rule_paths: [mine]\n")
    write(tmp_path / "mine" / "rules.yaml", (
        "rules:\n  - id: ORG001\n    category: citation\n    severity: warning\n"
        "    message: m\n    kind: match\n    pattern:\n      regex: '(\\w+\\s?)+$'\n"))
    write(tmp_path / "p.md", "Join us Saturday!\n")
    proc = run_cli("check", "p.md", cwd=tmp_path)
    assert proc.returncode == 2 and "rules.yaml:2" in proc.stderr
    assert "backtrack" in proc.stderr


def test_overlong_post_is_refused_with_the_limit_named(tmp_path: Path) -> None:
    write(tmp_path / "long.md", "---\nplatform: facebook\n---\n" + "Join us Saturday! " * 6000)
    write(tmp_path / "ok.md", "Join us Saturday!\n")
    code, report = run_json(".", cwd=tmp_path)
    assert code == 2 and report["summary"]["files"] == 1
    assert report["errors"] == [{"path": "long.md", "message": (
        "line 4: draft is too long (108000 characters; the limit is 100000, set with "
        "max_draft_chars)")}]


def test_long_text_is_split_for_spacy_with_exact_positions(checker) -> None:
    from phiguard.analysis.core import split_points

    para = "Join us Saturday for the community 5K at Riverside Park.\n\n"
    text = para * 40 + "Congratulations to Maria Delgado on finishing chemotherapy!\n" + para * 3
    chunks = split_points(text, 500)
    assert len(chunks) > 5 and chunks[0][0] == 0 and chunks[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(chunks))
    assert all(end - start <= 500 and text[end - 1].isspace() for start, end in chunks[:-1])
    whole = {(f.rule, f.line, f.column) for f in checker.check_text(text)}
    nlp = checker.analyzer.nlp
    saved = nlp.max_length
    nlp.max_length = 500
    try:
        split = {(f.rule, f.line, f.column) for f in checker.check_text(text)}
    finally:
        nlp.max_length = saved
    assert split == whole and ("PHI002", 81, 20) in split
