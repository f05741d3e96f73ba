"""Realistic drafts at any volume: Markdown files and one scheduler CSV export.

Templates are our own; every name, date and number is invented. About one draft in five
has a problem (PHI, a review reply confirming care, dosing advice, a myth, a missing
disclosure); the rest are the clean posts a content team publishes every day.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

FIRST = ["Ana", "Maribel", "Thaddeus", "Jonah", "Priya", "Dmitri", "Keiko", "Oluwaseun",
         "Fenna", "Rosalind", "Emeka", "Ingrid", "Tomasz", "Yara", "Callum", "Sunniva"]
LAST = ["Ruiz", "Okonkwo-Sands", "Vrbanek", "Castellano", "Halvorsen", "Nakamura-Reyes",
        "Abernathy", "Delacroix", "Marchetti", "Oyelaran", "Brightwater", "Kowalczyk"]
CLEAN = [
    "Join us {day} for the community 5K at Riverside Park! Register at the front desk.",
    "Flu shots are available at all of our clinics this month. Walk-ins welcome.",
    "Meet Dr. {first} {last}, who joins our cardiology team this spring.",
    "Happy Nurses Week to our amazing team on 4 West! Thank you for all you do.",
    "Our new pediatric wing opens {day}. Tours start at 10 a.m. in the main lobby.",
    "Thank you for your feedback. Please call our patient relations team at (555) 010-4400.",
    "We are hiring respiratory therapists! Apply on our careers page today.",
    "Parking is free for visitors this weekend while the garage is repaved.",
]
PROBLEMS = [
    "Congratulations to {first} {last} on finishing chemotherapy this week!",
    "{first}, our records show your MRN {mrn} and the crown Dr. Pham recommended.",
    "Thanks for coming in for your root canal, {first}! We hope the crown feels good.",
    "You should stop taking your insulin if your sugar is normal for a week.",
    "Vaccines cause autism, so ask questions before your child's shots.",
    "Obsessed with my new water flosser! #DentalTok #Smile #TeethTok #ad",
]
PLATFORMS = ["facebook", "instagram", "x", "linkedin", "tiktok", "youtube"]
DAYS = ["Saturday", "Sunday", "May 3", "June 14", "next Friday"]


def draft_text(rng: random.Random) -> tuple[str, str]:
    template = rng.choice(PROBLEMS if rng.random() < 0.2 else CLEAN)
    text = template.format(first=rng.choice(FIRST), last=rng.choice(LAST),
                           day=rng.choice(DAYS), mrn=rng.randrange(10**7, 10**8))
    extra = " ".join(rng.choice(CLEAN).format(first=rng.choice(FIRST), last=rng.choice(LAST),
                                              day=rng.choice(DAYS), mrn=0)
                     for _ in range(rng.randrange(0, 3)))
    kind = "review_reply" if "records" in template or "coming in" in template else "post"
    return f"{text} {extra}".strip(), kind


def generate(out: Path, markdown_files: int = 1000, csv_rows: int = 20000,
             seed: int = 7) -> tuple[Path, Path]:
    rng = random.Random(seed)
    md_dir = out / "markdown"
    md_dir.mkdir(parents=True, exist_ok=True)
    for i in range(markdown_files):
        text, kind = draft_text(rng)
        (md_dir / f"post-{i:05d}.md").write_text(
            f"---\nplatform: {rng.choice(PLATFORMS)}\nkind: {kind}\n"
            f"scheduled_at: 2026-12-{rng.randrange(1, 29):02d}\n---\n{text}\n", "utf-8")
    export = out / "scheduled.csv"
    with export.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "platform", "kind", "scheduled_at", "message"])
        for i in range(csv_rows):
            text, kind = draft_text(rng)
            writer.writerow([i, rng.choice(PLATFORMS), kind, "2026-12-01", text])
    return md_dir, export


if __name__ == "__main__":
    import sys

    target = Path(sys.argv[1] if len(sys.argv) > 1 else "bench-data")
    print(generate(target))
