"""Text in the images a draft references (phiguard[images]): OCR as the scope `image_text`.

Every image is rendered here with Pillow (its own bundled font); every person is invented. OCR
costs 1-3 s an image, so each picture is rendered once for the module and read once a process
(images/inspect.py keeps what it read by the image's bytes). Sockets are blocked in the test
process (pytest-socket): the engine loading and reading here proves it runs offline.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from phiguard.config import ConfigError, Settings, load_settings
from phiguard.readers import read_drafts

from .conftest import run_process, write

Image = pytest.importorskip("PIL.Image")
pytest.importorskip("rapidocr")
pytest.importorskip("cv2")
from PIL import ImageDraw, ImageFont  # noqa: E402

from phiguard.images import ocr  # noqa: E402

POST = ("---\nplatform: instagram\n{extra}---\nHappy Nurses Week from the night shift!\n\n"
        "![Our team]({image})\n")
SURNAME, GIVEN, DOB, MRN = "HAVERSTOCK", "DELPHINE", "03/14/1961", "00482913"
CAKE_NAME = "Winifred Ashgrove"


def font(size: int) -> object:
    return ImageFont.load_default(size=size)


def wristband() -> object:
    """A patient wristband photographed sideways (turned a quarter)."""
    image = Image.new("RGB", (1000, 260), (235, 235, 250))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((10, 40, 990, 220), 30, fill="white", outline=(120, 120, 200), width=4)
    draw.text((60, 70), f"{SURNAME}, {GIVEN}", fill="black", font=font(44))
    draw.text((60, 140), f"DOB: {DOB}  MRN: {MRN}", fill="black", font=font(36))
    return image.rotate(90, expand=True, fillcolor="white")


def cake() -> object:
    image = Image.new("RGB", (800, 500), (250, 230, 235))
    draw = ImageDraw.Draw(image)
    draw.ellipse((60, 150, 740, 470), fill=(255, 250, 245), outline=(200, 150, 160), width=5)
    draw.text((150, 240), "Happy 95th Birthday", fill=(190, 30, 90), font=font(46))
    draw.text((250, 320), CAKE_NAME, fill=(190, 30, 90), font=font(46))
    return image


def poster() -> object:
    """The organization's own flyer: its phone number is not a patient's."""
    image = Image.new("RGB", (900, 400), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.text((40, 60), "Flu shots this Saturday", fill=(20, 60, 140), font=font(48))
    draw.text((40, 200), "Appointments: (555) 201-4400", fill="black", font=font(40))
    return image


@pytest.fixture(scope="module")
def pictures(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("pictures")
    for name, render in (("wristband", wristband), ("cake", cake), ("poster", poster)):
        render().save(folder / f"{name}.png")
    return folder


def draft_with(folder: Path, image: str, extra: str = "", name: str = "post.md") -> Path:
    return write(folder / name, POST.format(image=image, extra=extra))


def findings_of(checker, path: Path) -> list:
    return list(checker.check_drafts(read_drafts(path, str(path), Settings())))


def test_a_sideways_wristband_is_phi_at_the_line_that_references_it(pictures, checker) -> None:
    found = [f for f in findings_of(checker, draft_with(pictures, "wristband.png"))
             if f.scope == "image_text"]
    assert {f.rule for f in found} == {"PHI001"}  # the date of birth and the record number
    for finding in found:
        assert (finding.line, finding.column) == (6, 13)  # ![Our team](wristband.png)
        assert finding.category == "phi" and finding.severity == "error"
        assert "in image wristband.png, text at " in finding.message  # the file and the region
        for secret in (SURNAME, GIVEN, DOB, MRN, "Haverstock", "Delphine", "1961"):
            assert secret not in finding.message and secret not in finding.excerpt


def test_a_name_on_a_birthday_cake_needs_consent(pictures, checker) -> None:
    found = [f for f in findings_of(checker, draft_with(pictures, "cake.png"))
             if f.scope == "image_text"]
    assert [f.rule for f in found] == ["CON001"]
    assert "in image cake.png" in found[0].message and found[0].category == "consent"
    assert "Winifred" not in found[0].excerpt and "Ashgrove" not in found[0].excerpt


def test_the_organizations_own_poster_is_quiet(pictures, checker) -> None:
    path = draft_with(pictures, "poster.png", name="poster.md")
    for analysis, found in checker.analysed(read_drafts(path, str(path), Settings())):
        read = " ".join(s.text for s in analysis.draft.segments if s.scope == "image_text")
        assert "Flu shots" in read and "201-4400" in read  # the poster was read, and is fine
        assert found == []


def test_rules_read_image_text_only_when_they_opt_in(pictures, checker) -> None:
    """A rule without `scopes:` (here a disclaimer or advice rule) never reads image text."""
    image_rules = {f.rule for p in ("wristband.png", "cake.png", "poster.png")
                   for f in findings_of(checker, draft_with(pictures, p, name=f"{p}.md"))
                   if f.scope == "image_text"}
    opted_in = {r.id for r in checker.rules if "image_text" in r.scopes}
    assert image_rules and image_rules <= opted_in
    assert opted_in == {"PHI001", "PHI002", "CON001"}


def test_redact_never_edits_the_reference_to_an_image(pictures, checker) -> None:
    from phiguard.edits.deidentify import RedactOptions, plan

    path = draft_with(pictures, "wristband.png", name="redact.md")
    text = path.read_text("utf-8")
    reference = text.index("wristband.png")
    for analysis, _ in checker.analysed(read_drafts(path, str(path), Settings())):
        assert any(not s.editable and s.scope == "image_text" for s in analysis.draft.segments)
        edits = plan(analysis, text, Settings(), RedactOptions())
        assert all(edit.end <= reference or edit.start >= reference + len("wristband.png")
                   for edit, _, _ in edits)


def test_the_engine_runs_from_the_models_in_its_wheel() -> None:
    """No download: every model path is given and lies inside the installed package."""
    import rapidocr

    engine = ocr.engine()
    folder = Path(rapidocr.__file__).parent / "models"
    for name in ocr._MODELS.values():
        assert (folder / name).is_file()
    assert engine is ocr.engine()  # one engine a process


@pytest.mark.unit
@pytest.mark.parametrize(("read", "normalised"), [
    ("DOB:03/14/1961MRN:00482913", "DOB: 03/14/1961 MRN: 00482913"),
    ("HAVERSTOCK, DELPHINE", "Haverstock, Delphine"),
    ("ROOM 412 BED A", "ROOM 412 BED A"),
    ("Appointment: 11/02/2024 9:30 AM", "Appointment: 11/02/2024 9:30 AM"),
    ("Patient:Lorenzo Vasquez-Pell", "Patient: Lorenzo Vasquez-Pell"),
])
def test_ocr_text_is_normalised_before_analysis(read: str, normalised: str) -> None:
    assert ocr.normalise(read) == normalised


def hide_pixel_engines(folder: Path) -> dict[str, str]:
    """An environment whose Python finds no rapidocr (as without the full extra)."""
    write(folder / "hide" / "sitecustomize.py", "import sys\nsys.modules['rapidocr'] = None\n")
    inherited = os.environ.get("PYTHONPATH", "")
    return {"PYTHONPATH": os.pathsep.join(p for p in (str(folder / "hide"), inherited) if p)}


@pytest.mark.e2e  # a Python without the extra: a process of its own
def test_images_true_with_the_extra_missing_is_exit_2_in_one_line(tmp_path) -> None:
    env = hide_pixel_engines(tmp_path)
    write(tmp_path / ".phiguard.yaml", "fail_on: error\nimages: true\n")
    post = draft_with(tmp_path, "nothing.png")
    proc = run_process("check", "--no-cache", str(post), cwd=tmp_path, env=env)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and ".phiguard.yaml:2:" in lines[0] and "images" in lines[0]
    assert "Traceback" not in proc.stderr


@pytest.mark.e2e  # a Python without the extra: a process of its own
def test_without_the_engines_images_are_skipped_with_one_notice(tmp_path) -> None:
    env = hide_pixel_engines(tmp_path)
    poster().save(tmp_path / "a.png")
    poster().save(tmp_path / "b.png")
    draft_with(tmp_path, "a.png", name="one.md")
    draft_with(tmp_path, "b.png", name="two.md")
    proc = run_process("check", "--no-cache", "--jobs", "1", str(tmp_path), cwd=tmp_path, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stderr.count("text and faces in images were not checked") == 1


@pytest.mark.unit
def test_images_true_with_the_extra_installed_is_accepted(tmp_path) -> None:
    config = write(tmp_path / ".phiguard.yaml", "images: true\n")
    assert load_settings(config).images is True


@pytest.mark.unit
def test_images_true_names_what_is_missing(tmp_path, monkeypatch) -> None:
    import phiguard.images

    monkeypatch.setattr(phiguard.images, "missing", lambda: ["rapidocr"])
    config = write(tmp_path / ".phiguard.yaml", "model: en_core_web_sm\nimages: true\n")
    with pytest.raises(ConfigError) as error:
        load_settings(config)
    assert error.value.line == 2 and "rapidocr" in error.value.message
