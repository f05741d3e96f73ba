"""Images per second with the images extra, and a cached re-run that reads no image.

    .venv/bin/python benchmarks/images.py [--images 12] [--jobs 2] [--workdir DIR]

Renders --images pictures with Pillow (wristbands, whiteboards, portal screenshots, birthday
cakes and drawn team photos, invented names), one Markdown post referencing each, then times:

- the same posts without their images (start-up and the words alone),
- a cold `phiguard check` (metadata, OCR and faces of every image),
- a re-run on the warm result cache, under ``python -X importtime``: it must import neither
  rapidocr nor OpenCV nor Pillow, so no image was opened (only their bytes hashed for the key).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

PHIGUARD = [sys.executable, "-m", "phiguard"]
GIVEN = ["Delphine", "Marguerite", "Lorenzo", "Winifred", "Osric", "Thandiwe", "Bertrand"]
SURNAMES = ["Haverstock", "Okonkwo", "Vasquez-Pell", "Ashgrove", "Quillfeather", "Marchetti"]


def font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.load_default(size=size)


def render(i: int) -> Image.Image:
    given, surname = GIVEN[i % len(GIVEN)], SURNAMES[i % len(SURNAMES)]
    kind = i % 5
    image = Image.new("RGB", (1000, 560), (245, 245, 240))
    draw = ImageDraw.Draw(image)
    if kind == 0:
        draw.text((60, 200), f"{surname.upper()}, {given.upper()}", fill="black", font=font(44))
        draw.text((60, 280), f"DOB: 0{i % 9 + 1}/14/1961  MRN: {482913 + i:08d}", fill="black",
                  font=font(36))
        return image.rotate(90 * (i % 2), expand=True, fillcolor="white")
    if kind == 1:
        for row, text in enumerate(["ROOM  BED  PATIENT", f"41{i % 10}  A  {given} {surname}",
                                    "Fall risk"]):
            draw.text((50, 80 + row * 120), text, fill=(20, 40, 160), font=font(40))
    elif kind == 2:
        for row, text in enumerate([f"Patient:{given} {surname}", "Date of birth:07/22/1958",
                                    "Appointment: 11/02/2024 9:30 AM"]):
            draw.text((30, 90 + row * 110), text, fill="black", font=font(34))
    elif kind == 3:
        draw.text((150, 200), f"Happy {90 + i % 9}th Birthday", fill=(190, 30, 90), font=font(46))
        draw.text((220, 290), f"{given} {surname}", fill=(190, 30, 90), font=font(46))
    else:
        for x in (120, 600):
            image.paste(face(), (x, 150))
    return image


def face() -> Image.Image:
    image = Image.new("RGB", (300, 300), (70, 110, 160))
    draw = ImageDraw.Draw(image)
    draw.ellipse((75, 30, 225, 112), fill=(60, 40, 30))
    draw.ellipse((82, 60, 218, 240), fill=(225, 190, 160))
    for x in (112, 169):
        draw.ellipse((x, 112, x + 21, 126), fill="white")
        draw.ellipse((x + 6, 114, x + 15, 124), fill=(40, 30, 20))
        draw.rectangle((x - 3, 97, x + 24, 103), fill=(60, 40, 30))
    draw.polygon([(150, 135), (141, 176), (159, 176)], fill=(200, 160, 130))
    draw.ellipse((124, 191, 176, 210), fill=(170, 80, 80))
    return image.filter(ImageFilter.GaussianBlur(1.5))


def write_posts(folder: Path, count: int, with_images: bool) -> None:
    folder.mkdir(parents=True)
    for i in range(count):
        name = f"img{i:03d}.png"
        if with_images:
            render(i).save(folder / name)
        (folder / f"post{i:03d}.md").write_text(
            f"---\nplatform: instagram\n---\nA good week on the unit.\n\n![Photo]({name})\n",
            "utf-8")


def run(folder: Path, jobs: int, cache: Path, importtime: bool = False) -> tuple[float, str]:
    command = [sys.executable, *(["-X", "importtime"] if importtime else []), *PHIGUARD[1:],
               "check", "--format", "json", "--jobs", str(jobs), str(folder)]
    env = {**os.environ, "PHIGUARD_CACHE_DIR": str(cache)}
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=folder, env=env)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"phiguard failed ({done.returncode}): {done.stderr[-2000:]}")
    return elapsed, done.stderr


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=12)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="phiguard-images-"))
    write_posts(work / "words", args.images, with_images=False)
    write_posts(work / "pictures", args.images, with_images=True)
    words, _ = run(work / "words", args.jobs, work / "cache-words")
    cold, _ = run(work / "pictures", args.jobs, work / "cache")
    warm, imports = run(work / "pictures", args.jobs, work / "cache", importtime=True)
    opened = [m for m in ("rapidocr", "cv2", "PIL") if f" {m}\n" in imports or f" {m}." in imports]
    per_image = (cold - words) / args.images
    print(f"images: {args.images}, jobs: {args.jobs}")
    print(f"posts without their images   {words:7.1f} s")
    rate = args.images / max(cold - words, 1e-9)
    print(f"cold, metadata + OCR + faces {cold:7.1f} s   {rate:.2f} images/s "
          f"({per_image:.2f} s an image beyond the words)")
    print(f"cached re-run                {warm:7.1f} s   imported: {', '.join(opened) or 'none'}"
          " of rapidocr, cv2, PIL")
    if opened:
        raise SystemExit("the cached re-run opened images")


if __name__ == "__main__":
    main()
