"""`phiguard redact` and `check --fix` on every draft form, through the installed command."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
from pathlib import Path

import pytest
import yaml

from phiguard.config import Settings
from phiguard.edits.files import open_editable, write_in_place
from phiguard.models import PhiguardError

from .conftest import run_cli, run_json, write

# Invented people and numbers only.
STORY = ("Our patient Ana Ruiz, born 03/14/1958, had knee surgery on May 3, 2025 in room 412. "
         "Call her at 555-201-8841. Dr. Pham did great!")
SECRETS = ["Ana Ruiz", "Ruiz", "03/14/1958", "May 3", "412", "555-201-8841"]
OTHER = "Join us Saturday for the community 5K at Riverside Park!"


def forms(story: str, other: str) -> dict[str, str]:
    csv_text = io.StringIO()
    csv.writer(csv_text, lineterminator="\n").writerows(
        [["text", "platform"], [other, "facebook"], [story, "instagram"]])
    return {
        "post.md": f"---\nplatform: facebook\ntitle: \"Knee week\"\n---\n# Stories\n\n{story}\n\n"
                   f"*{other}*\n",
        "post.txt": f"{story}\n",
        "page.html": f"<html><body><h1>Stories</h1><p>{story}</p>\n<p>{other}</p></body></html>\n",
        "posts.yaml": f"- text: \"{other}\"\n  platform: facebook  # keep me\n"
                      f"- text: {story}\n  platform: instagram\n",
        "posts.json": json.dumps([{"text": other, "id": 1}, {"text": story, "id": 2}], indent=2),
        "export.csv": csv_text.getvalue(),
    }


def phi_of(path: Path) -> list[dict]:
    _, report = run_json(str(path), "--select", "phi")
    assert report["errors"] == []
    return report["findings"]


@pytest.mark.parametrize("name", sorted(forms(STORY, OTHER)))
def test_redact_every_form_passes_check_and_keeps_the_rest(tmp_path: Path, name: str) -> None:
    original = forms(STORY, OTHER)[name]
    draft = write(tmp_path / name, original)
    assert phi_of(draft)  # there is something to redact
    proc = run_cli("redact", str(draft))
    assert proc.returncode == 0, proc.stderr
    redacted = proc.stdout
    assert draft.read_text("utf-8") == original  # stdout by default: the file is untouched
    for secret in SECRETS:
        assert secret not in redacted, secret
    assert "a patient" not in redacted.lower() or "Our patient," in redacted
    assert "born 1958" in redacted and "in 2025" in redacted and "Dr. Pham" in redacted
    # Everything outside the story is byte for byte the same.
    story_at = original.find(STORY[:20])
    assert redacted[:story_at] == original[:story_at]
    tail = original[original.find("Dr. Pham did great!") + len("Dr. Pham did great!"):]
    assert redacted.endswith(tail)
    out = write(tmp_path / "out" / name, redacted)
    assert phi_of(out) == []
    if name.endswith((".yaml", ".json")):
        loader = yaml.safe_load if name.endswith(".yaml") else json.loads
        assert len(loader(redacted)) == 2


def test_redact_in_place_keeps_a_backup_and_diff_shows_changes(tmp_path: Path) -> None:
    original = forms(STORY, OTHER)["post.md"]
    draft = write(tmp_path / "post.md", original)
    diff = run_cli("redact", "--diff", "post.md", cwd=tmp_path)
    assert diff.returncode == 1 and diff.stdout.startswith("--- a/post.md\n+++ b/post.md")
    assert draft.read_text("utf-8") == original
    assert run_cli("redact", "--diff", "post.md", cwd=tmp_path,
                   env={"CI": "true"}).returncode == 2  # would print identifiers in CI logs
    done = run_cli("redact", "--in-place", "post.md", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert [p.read_text("utf-8") for p in backups(tmp_path)] == [original]
    assert "Ana Ruiz" not in draft.read_text("utf-8")
    again = run_cli("redact", "--in-place", "--no-backup", "post.md", cwd=tmp_path)
    assert again.returncode == 0
    assert [p.read_text("utf-8") for p in backups(tmp_path)] == [original]


def backups(folder: Path) -> list[Path]:
    """The backups `redact --in-place` kept: in the cache folder, never next to the draft."""
    assert not list(folder.glob("*.bak"))
    return sorted((folder / ".phiguard_cache" / "backups").glob("*.bak"))


def test_redact_names_as_initials_and_reviewer_phrase(tmp_path: Path) -> None:
    draft = write(tmp_path / "s.txt", "Maria Delgado finished chemotherapy this week.\n")
    proc = run_cli("redact", "--names", "initial", str(draft))
    assert proc.stdout == "M. finished chemotherapy this week.\n"
    phrase = run_cli("redact", str(draft))
    assert phrase.stdout == "A patient finished chemotherapy this week.\n"


def test_redact_reports_phi_it_cannot_remove(tmp_path: Path) -> None:
    reply = write(tmp_path / "r.md", "---\nkind: review_reply\n---\nThanks for coming in for "
                                     "your root canal last week, we hope the crown feels good!\n")
    proc = run_cli("redact", str(reply))
    assert proc.returncode == 1 and "rewrite this by hand" in proc.stderr


ADVICE = "Floss daily and brush twice a day to protect your gums!"
CONFIG = ('org:\n  name: Kestrel Bay Health\n'
          '  disclaimer: "Education only; it never replaces a visit."\n')


def fix_forms() -> dict[str, str]:
    return {
        "a.md": f"---\nplatform: instagram\nsponsored: true\n---\n**{ADVICE}** Love it.\n",
        "b.txt": f"{ADVICE}\n",
        "c.html": f"<html><body><p>{ADVICE}</p></body></html>\n",
        "d.yaml": (f"- text: {ADVICE}\n  platform: facebook\n- text: \"{ADVICE}\"\n"
                   f"  sponsored: true\n- text: |\n    {ADVICE}\n    Second line.\n"),
        "e.json": json.dumps([{"text": ADVICE + "\nBye.", "sponsored": True}]),
        "f.csv": f'text,platform,sponsored\n{ADVICE},facebook,true\n"{ADVICE} ""ok""",x,\n',
    }


def test_fix_adds_disclaimer_and_disclosure_in_every_form(tmp_path: Path) -> None:
    write(tmp_path / ".phiguard.yaml", CONFIG)
    for name, text in fix_forms().items():
        write(tmp_path / name, text)
    code, before = run_json(".", cwd=tmp_path)
    assert {f["category"] for f in before["findings"]} == {"disclaimer", "sponsorship"}
    fixed = run_cli("check", "--fix", ".", cwd=tmp_path)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert fixed.stderr.count("fixed ") == len(before["findings"])
    code, after = run_json(".", cwd=tmp_path)
    assert code == 0 and after["findings"] == [] and after["errors"] == []
    assert (tmp_path / "a.md").read_text("utf-8").startswith("---\nplatform: instagram\n")
    assert "#ad **Floss" in (tmp_path / "a.md").read_text("utf-8") or \
        "**#ad Floss" in (tmp_path / "a.md").read_text("utf-8")
    assert len(yaml.safe_load((tmp_path / "d.yaml").read_text("utf-8"))) == 3
    rows = list(csv.reader(io.StringIO((tmp_path / "f.csv").read_text("utf-8"))))
    assert rows[2][0] == f'{ADVICE} "ok" Education only; it never replaces a visit.'
    assert json.loads((tmp_path / "e.json").read_text("utf-8"))[0]["text"].startswith("#ad ")
    snapshot = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    again = run_cli("check", "--fix", ".", cwd=tmp_path)  # idempotent
    assert again.returncode == 0 and "fixed" not in again.stderr
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()} == snapshot


def test_fix_never_touches_phi_or_alt_text_and_needs_a_configured_disclaimer(
        tmp_path: Path) -> None:
    story = write(tmp_path / "s.md", "---\nmedia: [{type: image}]\n---\n"
                                     "Maria Delgado finished chemotherapy! " + ADVICE + "\n")
    original = story.read_text("utf-8")
    proc = run_cli("check", "--fix", "s.md", cwd=tmp_path)
    assert proc.returncode == 1
    assert "no `org.disclaimer` configured" in proc.stderr
    assert story.read_text("utf-8") == original


def test_fix_with_an_own_disclaimer_wording_is_idempotent(tmp_path: Path) -> None:
    write(tmp_path / ".phiguard.yaml", 'org:\n  disclaimer: "Ask your own clinician first."\n')
    draft = write(tmp_path / "b.txt", f"{ADVICE}\n")
    assert run_cli("check", "--fix", "b.txt", cwd=tmp_path).returncode == 0
    assert draft.read_text("utf-8") == f"{ADVICE}\n\nAsk your own clinician first.\n"
    code, report = run_json("b.txt", cwd=tmp_path)
    assert code == 0 and report["findings"] == []


# -- never lose or overwrite a file ------------------------------------------------------------

FIXABLE = f"{ADVICE}\n"


def one_error_line(proc: subprocess.CompletedProcess[str], shown: str) -> str:
    """Exit 2 with one error line that names the file, and no traceback (redact's notes on
    what it left may come before it)."""
    lines = [line for line in proc.stderr.splitlines() if line.startswith("phiguard: error:")]
    assert proc.returncode == 2 and len(lines) == 1, proc.stderr
    assert f" {shown}: " in lines[0] and "Traceback" not in proc.stderr
    return lines[0]


@pytest.mark.parametrize("command", [["redact", "--in-place"], ["check", "--fix"]])
def test_a_read_only_file_is_never_rewritten(tmp_path: Path, command: list[str]) -> None:
    write(tmp_path / ".phiguard.yaml", CONFIG)
    text = forms(STORY, OTHER)["post.md"] if command[0] == "redact" else FIXABLE
    draft = write(tmp_path / "post.md", text)
    draft.chmod(0o444)
    proc = run_cli(*command, "post.md", cwd=tmp_path)
    assert "read-only" in one_error_line(proc, "post.md")
    assert draft.read_text("utf-8") == text and draft.stat().st_mode & 0o777 == 0o444
    assert not (tmp_path / ".phiguard_cache" / "backups").exists()


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")
@pytest.mark.parametrize("command", [["redact", "--in-place"], ["check", "--fix"]])
def test_a_rewritten_file_keeps_its_owner_group_and_mode(tmp_path: Path,
                                                         command: list[str]) -> None:
    write(tmp_path / ".phiguard.yaml", CONFIG)
    text = forms(STORY, OTHER)["post.md"] if command[0] == "redact" else FIXABLE
    draft = write(tmp_path / "post.md", text)
    os.chown(draft, 4242, 4343)
    draft.chmod(0o640)
    proc = run_cli(*command, "post.md", cwd=tmp_path)
    assert proc.returncode in (0, 1), proc.stderr
    assert draft.read_text("utf-8") != text  # it was rewritten...
    info = draft.stat()  # ...as the same user's, group's, with the same mode
    assert (info.st_uid, info.st_gid, info.st_mode & 0o7777) == (4242, 4343, 0o640)


@pytest.mark.parametrize("command", [["redact", "--in-place"], ["check", "--fix"]])
def test_a_hard_linked_file_is_refused_and_both_names_keep_one_text(
        tmp_path: Path, command: list[str]) -> None:
    """Replacing one name atomically would leave the other with the old text (a patient's
    name kept under the other name): refused, both names unchanged and still one file."""
    write(tmp_path / ".phiguard.yaml", CONFIG)
    text = forms(STORY, OTHER)["post.md"] if command[0] == "redact" else FIXABLE
    draft = write(tmp_path / "post.md", text)
    other = tmp_path / "elsewhere" / "copy.md"
    other.parent.mkdir()
    os.link(draft, other)
    proc = run_cli(*command, "post.md", cwd=tmp_path)
    assert "hard link" in one_error_line(proc, "post.md")
    assert draft.read_text("utf-8") == text and os.path.samefile(draft, other)


def test_a_planted_backup_link_is_never_written_through(tmp_path: Path) -> None:
    """`post.md.bak` -> a file outside the repository: the backup goes elsewhere, and the
    file outside is untouched; the backup is owner-only and ignored by git."""
    repo = tmp_path / "repo"
    original = forms(STORY, OTHER)["post.md"]
    draft = write(repo / "post.md", original)
    outside = write(tmp_path / "outside.txt", "not yours\n")
    (repo / "post.md.bak").symlink_to(outside)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    done = run_cli("redact", "--in-place", "post.md", cwd=repo)
    assert done.returncode in (0, 1), done.stderr
    assert outside.read_text("utf-8") == "not yours\n"
    assert "Ana Ruiz" not in draft.read_text("utf-8")
    (repo / "post.md.bak").unlink()
    [kept] = backups(repo)
    assert kept.read_text("utf-8") == original and kept.stat().st_mode & 0o777 == 0o600
    assert str(kept.relative_to(repo)) in done.stderr  # the user is told where it is
    ignored = subprocess.run(["git", "check-ignore", "-q", str(kept)], cwd=repo)
    assert ignored.returncode == 0  # never committed with the drafts
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"],
                            cwd=repo, capture_output=True, text=True, check=True)
    assert status.stdout.splitlines() == ["?? post.md"]


@pytest.mark.parametrize("planted", [".phiguard_cache", ".phiguard_cache/backups"])
def test_a_backup_is_never_written_through_a_linked_folder(tmp_path: Path,
                                                            planted: str) -> None:
    original = forms(STORY, OTHER)["post.md"]
    draft = write(tmp_path / "post.md", original)
    outside = tmp_path / "outside"
    outside.mkdir()
    if planted != ".phiguard_cache":
        (tmp_path / ".phiguard_cache").mkdir(mode=0o700)
    (tmp_path / planted).symlink_to(outside, target_is_directory=True)
    proc = run_cli("redact", "--in-place", "post.md", cwd=tmp_path)
    assert "backup" in one_error_line(proc, "post.md")
    assert draft.read_text("utf-8") == original and list(outside.iterdir()) == []


@pytest.mark.unit
def test_a_change_made_while_the_file_was_being_edited_is_kept(tmp_path: Path) -> None:
    """Someone saves the file between phiguard's read and its rewrite: refused, their change
    stays, even when size and modification time are the same as before."""
    draft = write(tmp_path / "post.md", FIXABLE)
    opened = open_editable("post.md", Settings(), draft)
    before = draft.stat()
    draft.write_text(FIXABLE.replace("Floss", "FLOSS"), "utf-8")  # same size
    os.utime(draft, ns=(before.st_atime_ns, before.st_mtime_ns))  # same time
    with pytest.raises(PhiguardError) as caught:
        write_in_place(opened, FIXABLE + "\nFor informational purposes only.\n")
    assert str(caught.value).startswith("post.md: ") and "changed" in str(caught.value)
    assert draft.read_text("utf-8") == FIXABLE.replace("Floss", "FLOSS")
    assert not [p for p in tmp_path.iterdir() if p.name != "post.md"]  # no temporary left


def test_a_change_made_during_a_cli_fix_is_kept(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The same, through `check --fix`'s own code: the file is saved again while the fix is
    being planned (after it was read)."""
    from phiguard import cli
    from phiguard.edits import autofix

    write(tmp_path / ".phiguard.yaml", CONFIG)
    draft = write(tmp_path / "b.txt", FIXABLE)
    planned = autofix.fix_file

    def saved_meanwhile(*args: object) -> object:
        result = planned(*args)
        draft.write_text(FIXABLE + "Edited by a colleague.\n", "utf-8")
        return result

    monkeypatch.setattr(autofix, "fix_file", saved_meanwhile)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exited:
        cli.cli.main(["check", "--fix", "--no-cache", "b.txt"], standalone_mode=False)
    assert exited.value.code == 2
    assert draft.read_text("utf-8") == FIXABLE + "Edited by a colleague.\n"


@pytest.mark.unit
def test_a_symlinked_draft_is_not_replaced_by_a_copy(tmp_path: Path) -> None:
    """Rewriting through `os.replace` would turn the link into a file and leave the file it
    points to as it was: refused."""
    target = write(tmp_path / "real" / "post.md", FIXABLE)
    link = tmp_path / "post.md"
    link.symlink_to(target)
    opened = open_editable("post.md", Settings(), link)
    with pytest.raises(PhiguardError) as caught:
        write_in_place(opened, FIXABLE + "x\n")
    assert "symbolic link" in str(caught.value)
    assert link.is_symlink() and target.read_text("utf-8") == FIXABLE


# -- --fix is idempotent with an organization's own disclaimer rule --------------------------

OWN_DISCLAIMER_RULE = """\
rules:
  - id: KB200
    category: disclaimer
    severity: warning
    kind: missing
    message: Oral-care advice without our "talk with your dentist" line
    description: Kestrel Bay asks every oral-care tip to send readers to their dentist.
    source: Kestrel Bay Health marketing policy MP-9 (invented for this test)
    fix: Add "Talk with your dentist about what is right for you."
    trigger: {phrases: [floss, brush]}
    require: {phrases: [talk with your dentist]}
    tests:
      fire: ["Floss daily!"]
      quiet: ["Floss daily! Talk with your dentist about what is right for you."]
"""


@pytest.mark.parametrize("name", ["b.txt", "d.yaml", "f.csv"])
def test_fix_never_adds_a_disclaimer_again_for_an_own_disclaimer_rule(tmp_path: Path,
                                                                       name: str) -> None:
    """The org's rule asks for other words than `org.disclaimer`: --fix must not append the
    disclaimer on every run (nor three times in one run), must say the rule is not fixed,
    and a second run changes nothing."""
    write(tmp_path / ".phiguard.yaml", CONFIG + "rule_paths: [compliance/rules]\n")
    write(tmp_path / "compliance" / "rules" / "care_team.yaml", OWN_DISCLAIMER_RULE)
    draft = write(tmp_path / name, fix_forms()[name])
    first = run_cli("check", "--fix", "--no-cache", name, cwd=tmp_path)
    assert first.returncode in (0, 1), first.stderr
    fixed_text = draft.read_text("utf-8")
    assert fixed_text.count("not medical advice") <= fix_forms()[name].count(ADVICE)
    assert any(line.startswith("not fixed ") and "KB200" in line
               for line in first.stderr.splitlines()), first.stderr
    _, report = run_json("--no-cache", name, cwd=tmp_path)
    still = {f["rule"] for f in report["findings"]}
    assert "KB200" in still  # only a person can add the words it asks for
    said_fixed = {line.split(": ", 1)[1].split()[0]  # "fixed b.txt:1: DIS001 (...)"
                  for line in first.stderr.splitlines() if line.startswith("fixed ")}
    assert not said_fixed & still  # "fixed" only for rules the draft no longer triggers
    second = run_cli("check", "--fix", "--no-cache", name, cwd=tmp_path)
    assert draft.read_text("utf-8") == fixed_text
    assert not [line for line in second.stderr.splitlines() if line.startswith("fixed ")]
