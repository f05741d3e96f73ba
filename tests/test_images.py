"""Images a draft references (phiguard[images]): metadata findings, the safe strip, the cache.

Every image is rendered here with Pillow; every person is invented.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from phiguard.config import Settings
from phiguard.readers import read_drafts

from .conftest import run_cli, write

Image = pytest.importorskip("PIL.Image")
ExifTags = pytest.importorskip("PIL.ExifTags")

POST = ("---\nplatform: instagram\n---\nHappy Nurses Week from the night shift!\n\n"
        "![Night shift]({})\n")
NAME = "Delphine Marsh"  # in the metadata: never in a message
SERIAL = "SN-4471902"


def tagged_exif(orientation: int = 1) -> object:
    exif = Image.Exif()
    exif[ExifTags.Base.Artist] = NAME
    exif[ExifTags.Base.DateTime] = "2026:03:02 09:15:00"
    exif[ExifTags.Base.Orientation] = orientation
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.BodySerialNumber] = SERIAL
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(
        {1: "N", 2: (41.0, 52.0, 3.5), 3: "W", 4: (87.0, 37.0, 1.2)})
    return exif


def two_colour(size: tuple[int, int] = (64, 32)) -> object:
    """Red with a blue band on the left: where the band ends up shows the orientation."""
    image = Image.new("RGB", size, (200, 30, 30))
    image.paste((20, 20, 200), (0, 0, size[0] // 4, size[1]))
    return image


def jpeg_with_everything(path: Path, orientation: int = 1) -> Path:
    xmp = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description '
           b'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>' + NAME.encode()
           + b"</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>")
    two_colour().save(path, exif=tagged_exif(orientation), comment=b"Room 412 - J. Alvarez",
                      xmp=xmp)
    return path


def png_with_text(path: Path) -> Path:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", NAME)
    info.add_text("Creation Time", "2026-03-02")
    two_colour().save(path, pnginfo=info, exif=tagged_exif())
    return path


def findings_of(checker, draft_path: Path):
    drafts = read_drafts(draft_path, str(draft_path), Settings())
    return [f for f in checker.check_drafts(drafts) if f.rule.startswith("IMG")]


def test_metadata_of_a_referenced_jpeg_is_reported_at_the_reference(tmp_path, checker) -> None:
    jpeg_with_everything(tmp_path / "ward.jpg")
    post = write(tmp_path / "post.md", POST.format("ward.jpg"))
    found = {f.rule: f for f in findings_of(checker, post)}
    assert set(found) == {"IMG001", "IMG002", "IMG003", "IMG004"}
    for finding in found.values():
        assert (finding.line, finding.column) == (6, 16)  # the reference's place in the draft
        assert finding.category == "phi" and "ward.jpg" in finding.message
        assert NAME not in finding.message and SERIAL not in finding.message
        assert "41" not in finding.message and NAME not in finding.excerpt
    assert "GPSLatitude" in found["IMG001"].message
    assert "Artist" in found["IMG003"].message and "comment" in found["IMG003"].message
    assert "XMP dc:creator" in found["IMG003"].message


def test_png_text_and_media_paths_relative_to_the_draft(tmp_path, checker) -> None:
    (tmp_path / "img").mkdir()
    png_with_text(tmp_path / "img" / "band.png")
    post = write(tmp_path / "post.yaml", "text: Our team, ready for the 5K!\n"
                                         "media:\n  - path: img/band.png\n    alt: A team\n")
    found = {f.rule: f for f in findings_of(checker, post)}
    assert {"IMG001", "IMG002", "IMG003"} <= set(found)
    assert (found["IMG003"].line, found["IMG003"].column) == (3, 11)
    assert "PNG text Author" in found["IMG003"].message


def test_heic_gps_is_reported(tmp_path, checker) -> None:
    pillow_heif = pytest.importorskip("pillow_heif")
    pillow_heif.register_heif_opener()
    two_colour().save(tmp_path / "selfie.heic", exif=tagged_exif(), quality=50)
    post = write(tmp_path / "post.md", POST.format("selfie.heic"))
    assert "IMG001" in {f.rule for f in findings_of(checker, post)}


def test_quiet_images_and_missing_or_remote_ones(tmp_path, checker) -> None:
    two_colour().save(tmp_path / "team.jpg")  # no metadata at all
    post = write(tmp_path / "post.md", "---\nmedia:\n  - path: gone.jpg\n---\nOur team!\n\n"
                                       "![Team](team.jpg) ![Logo](https://example.org/a.png)\n")
    assert findings_of(checker, post) == []


@pytest.mark.unit
def test_strip_keeps_orientation_and_drops_every_block(tmp_path: Path) -> None:
    from phiguard.images.strip import strip_file

    original = jpeg_with_everything(tmp_path / "wristband.jpg", orientation=6)  # 90° clockwise
    strip_file(str(original), in_place=False)
    with Image.open(tmp_path / "wristband.stripped.jpg") as clean:
        assert clean.size == (32, 64)  # turned upright: the band is now along the top
        assert clean.getpixel((16, 2))[2] > 150 and clean.getpixel((16, 60))[0] > 150
        assert not dict(clean.getexif())
        assert not {"exif", "comment", "xmp", "photoshop"} & set(clean.info)
    data = (tmp_path / "wristband.stripped.jpg").read_bytes()
    assert NAME.encode() not in data and b"Room 412" not in data and b"Exif" not in data
    png = png_with_text(tmp_path / "band.png")
    strip_file(str(png), in_place=True)
    with Image.open(png) as clean:
        assert not getattr(clean, "text", {}) and not dict(clean.getexif())
    assert NAME.encode() not in png.read_bytes()


def test_redact_an_image_through_the_cli(tmp_path: Path) -> None:
    jpeg_with_everything(tmp_path / "ward.jpg")
    proc = run_cli("redact", str(tmp_path / "ward.jpg"))
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "ward.stripped.jpg").is_file() and NAME not in proc.stderr
    write(tmp_path / "fake.png", "not a picture")
    proc = run_cli("redact", str(tmp_path / "fake.png"))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "fake.png" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


@pytest.mark.unit
def test_the_cache_key_changes_with_the_image_bytes(tmp_path: Path) -> None:
    from phiguard.assets import key_of

    image = tmp_path / "ward.jpg"
    two_colour().save(image)
    post = write(tmp_path / "post.md", POST.format("ward.jpg"))
    content = post.read_bytes()
    before = key_of(post, content)
    assert key_of(post, content) == before  # an unchanged image: the same key, a cache hit
    buffer = io.BytesIO()
    two_colour().save(buffer, format="JPEG", exif=tagged_exif())
    image.write_bytes(buffer.getvalue())
    assert key_of(post, content) != before  # an edited image is always read again


def test_an_image_finding_names_the_image_in_json_and_sarif(tmp_path: Path) -> None:
    import json

    import jsonschema

    (tmp_path / "drafts" / "img").mkdir(parents=True)
    jpeg_with_everything(tmp_path / "drafts" / "img" / "ward.jpg")
    write(tmp_path / "drafts" / "post.md", POST.format("img/ward.jpg"))
    (tmp_path / ".git").mkdir()  # the repository root SARIF paths are relative to
    proc = run_cli("check", "--format", "json", "drafts", cwd=tmp_path)
    found = [f for f in json.loads(proc.stdout)["findings"] if f["rule"].startswith("IMG")]
    assert found and all(f["asset"] == "img/ward.jpg" for f in found)
    sarif = json.loads(run_cli("check", "--format", "sarif", "--no-cache", "drafts",
                               cwd=tmp_path).stdout)
    schema = json.loads((Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json")
                        .read_text("utf-8"))
    jsonschema.Draft4Validator(schema).validate(sarif)
    results = [r for r in sarif["runs"][0]["results"] if r["ruleId"].startswith("IMG")]
    assert results
    for result in results:
        [related] = result["relatedLocations"]
        assert related["physicalLocation"]["artifactLocation"]["uri"] == "drafts/img/ward.jpg"
        assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
            "drafts/post.md")
