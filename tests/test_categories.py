"""Each category on clear cases, through the real pipeline (spaCy + Presidio + rules)."""

from __future__ import annotations

from phiguard.consent import Registry
from phiguard.models import Draft, LineIndex, Segment, SourceMap


def categories(checker, text: str, **meta) -> set[str]:
    return {f.category for f in checker.check_text(text, **meta)}


def test_phi_standalone_identifier(checker) -> None:
    assert "phi" in categories(checker, "Hi Tomasz, your MRN 00482913 is on file.", kind="reply")


def test_phi_patient_name_with_treatment(checker) -> None:
    text = "Three cheers for Mr. Leopold Varga, who has not skipped one dialysis session all year!"
    assert "phi" in categories(checker, text)


def test_staff_news_is_not_phi(checker) -> None:
    found = categories(checker, "Dr. Wilhelmina Osei joins our cardiology team this spring!")
    assert "phi" not in found and "consent" not in found


def test_review_reply_confirming_care(checker) -> None:
    text = "So happy for you, Ivy! We're grateful you trusted us with your care."
    meta = {"kind": "review_reply", "in_reply_to": {"author": "Ivy Tremont"}}
    assert categories(checker, text, **meta) == {"review_reply"}


def test_safe_review_reply_is_quiet(checker) -> None:
    text = ("We appreciate you writing in. Federal privacy law bars us from talking about anyone's "
            "care online; please phone our clinic director at (555) 010-3000.")
    assert categories(checker, text, kind="review_reply") == set()


def test_review_reply_with_details_is_phi_too(checker) -> None:
    text = "Rosalind, our records show you skipped the implant Dr. Varga advised."
    assert {"phi", "review_reply"} <= categories(checker, text, kind="review_reply")


def test_advice_dosing_in_a_reply(checker) -> None:
    text = "You can stay home: give him 3.75 mL of infant acetaminophen every 4 hours."
    assert "advice" in categories(checker, text, kind="reply")


def test_redirect_is_not_advice(checker) -> None:
    text = ("Medical advice isn't possible over comments. Please ring our nurse line, or dial 911 "
            "if it's urgent.")
    assert "advice" not in categories(checker, text, kind="reply")


def test_disclaimer_missing_and_present(checker) -> None:
    assert "disclaimer" in categories(checker, "You should floss daily and avoid sugary drinks.")
    assert "disclaimer" not in categories(
        checker, "You should floss daily and avoid sugary drinks. For general information only.")


def test_citation_missing_and_present(checker) -> None:
    assert "citation" in categories(checker, "Daily walks lower your odds of a stroke by 30%!")
    assert "citation" not in categories(
        checker, "About 1 in 3 adults has high blood pressure. Source: CDC, cdc.gov/bloodpressure")


def test_misinformation_and_myth_busting(checker) -> None:
    assert "misinformation" in categories(checker, "Vaccines cause autism. Do your research.")
    assert "misinformation" not in categories(
        checker, "MYTH: Vaccines cause autism. TRUTH: studies of millions of kids found no link.")


def test_sponsorship(checker) -> None:
    text = "Loving this whitening kit! #smile #teeth #glow #ad"
    assert "sponsorship" in categories(checker, text, sponsored=True)
    assert "sponsorship" not in categories(checker, "#ad Loving this whitening kit!",
                                           sponsored=True)
    assert "sponsorship" not in categories(checker, text)


def test_consent_registry_validity() -> None:
    registry = Registry({"A1": {"id": "A1", "status": "signed", "platforms": ["facebook"],
                                "expires": "2026-12-31"},
                         "P1": {"id": "P1", "status": "pending_signature"}})

    def draft(**meta) -> Draft:
        return Draft("x", [Segment("body", "x", SourceMap.linear(0))], meta, 0, [],
                     LineIndex("x"))

    assert registry.check(draft(consent="A1", platform="facebook",
                                scheduled_at="2026-06-01T09:00:00")) is None
    assert "expired" in registry.check(draft(consent="A1", platform="facebook",
                                             scheduled_at="2027-01-02"))
    assert "does not list" in registry.check(draft(consent="A1", platform="x",
                                                   scheduled_at="2026-06-01"))
    assert "not signed" in registry.check(draft(consent="P1", platform="facebook"))
    assert "not in the registry" in registry.check(draft(consent="Z9", platform="facebook"))
    assert registry.check(draft(platform="facebook")) is not None
