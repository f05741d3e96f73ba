"""Faces in the images a draft references (phiguard[images]): IMG005 asks for a release.

The faces are drawn here with Pillow (an oval, brows, eyes, a nose and a mouth, softened) and
OpenCV's bundled frontal-face cascade finds them: no photograph of anyone is used.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from phiguard.config import Settings
from phiguard.readers import read_drafts

from .conftest import write

Image = pytest.importorskip("PIL.Image")
pytest.importorskip("cv2")
from PIL import ImageDraw, ImageFilter, ImageFont  # noqa: E402

from phiguard.images import faces  # noqa: E402

POST = ("---\nplatform: facebook\n{extra}---\nOur night shift, ready for anything.\n\n"
        "![The team]({image})\n")


def face(size: int = 300, background: tuple[int, int, int] = (70, 110, 160)) -> object:
    image = Image.new("RGB", (size, size), background)
    draw = ImageDraw.Draw(image)
    s = size / 400
    draw.ellipse((100 * s, 40 * s, 300 * s, 150 * s), fill=(60, 40, 30))  # hair
    draw.ellipse((110 * s, 80 * s, 290 * s, 320 * s), fill=(225, 190, 160))
    for x in (150, 225):
        draw.ellipse((x * s, 150 * s, (x + 28) * s, 168 * s), fill="white")
        draw.ellipse(((x + 8) * s, 152 * s, (x + 20) * s, 166 * s), fill=(40, 30, 20))
        draw.rectangle((x * s - 4, 130 * s, (x + 32) * s, 138 * s), fill=(60, 40, 30))
    draw.polygon([(200 * s, 180 * s), (188 * s, 235 * s), (212 * s, 235 * s)],
                 fill=(200, 160, 130))
    draw.ellipse((165 * s, 255 * s, 235 * s, 280 * s), fill=(170, 80, 80))
    return image.filter(ImageFilter.GaussianBlur(2 * s))


def team_photo() -> object:
    """Two people in front of a plain wall, no text."""
    photo = Image.new("RGB", (1200, 800), (200, 200, 190))
    photo.paste(face(), (100, 200))
    photo.paste(face(), (700, 250))
    return photo


def poster() -> object:
    image = Image.new("RGB", (900, 400), (255, 255, 255))
    ImageDraw.Draw(image).text((40, 150), "Wash your hands", fill=(20, 60, 140),
                               font=ImageFont.load_default(size=56))
    return image


@pytest.fixture(scope="module")
def pictures(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("faces")
    team_photo().save(folder / "team.jpg", quality=92)
    poster().save(folder / "poster.png")
    return folder


def findings_of(checker, folder: Path, image: str, extra: str = "") -> list:
    path = write(folder / f"{image}.{len(extra)}.md", POST.format(image=image, extra=extra))
    return list(checker.check_drafts(read_drafts(path, str(path), Settings())))


def test_the_cascade_finds_a_drawn_face() -> None:
    assert len(faces.detect(face(400))) == 1
    assert len(faces.detect(team_photo())) == 2


def test_a_photo_with_faces_needs_a_model_release(pictures, checker) -> None:
    found = findings_of(checker, pictures, "team.jpg")
    assert [f.rule for f in found] == ["IMG005"]  # no text in the photo, no metadata
    finding = found[0]
    assert finding.severity == "warning" and finding.category == "consent"
    assert (finding.line, finding.column) == (6, 13)
    assert "team.jpg" in finding.message and finding.message.count("face at ") == 2


def test_a_model_release_covers_the_faces(pictures, checker) -> None:
    assert findings_of(checker, pictures, "team.jpg", "model_release: true\n") == []


def test_a_poster_without_a_face_is_quiet(pictures, checker) -> None:
    assert findings_of(checker, pictures, "poster.png") == []
