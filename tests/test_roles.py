"""Whose identifier is it, and is there evidence that it is a patient's? (invented sentences)"""

from __future__ import annotations

import pytest

from .test_phi import analyse, entity_types, findings


def role_of(checker, text: str, value: str, **meta) -> str:
    """The role of the identifier whose text is ``value`` (a possessive "'s" included)."""
    analysis = analyse(checker, text, **meta)
    wanted = "SOCIAL_HANDLE" if value.startswith("@") else None
    for e in analysis.entities:
        if analysis.text[e.start:e.end] in (value, value + "'s") and e.type == (wanted or e.type):
            return e.role
    return ""


def person_role(checker, text: str, value: str) -> str:
    analysis = analyse(checker, text)
    return next((e.role for e in analysis.entities if e.type == "PERSON"
                 and analysis.text[e.start:e.end] == value), "")


# -- patient evidence, not presumption ------------------------------------------------------

@pytest.mark.parametrize("text,name", [
    ("Congrats to Orla Bettancourt on her hip replacement!", "Orla Bettancourt"),  # marker
    ("Ines Vardakis tested positive for measles last week.", "Ines Vardakis"),  # subject
    ("So proud of Teodor Blanchet, who finished chemo in May!", "Teodor Blanchet"),  # relcl
    ("Everyone please read Marisol Quint's story of beating lymphoma.", "Marisol Quint"),
    ("Lucinda Parr's knee surgery went perfectly.", "Lucinda Parr"),  # owner
    # a care verb's "for" names the person's condition, not a topic
    ("Marla Quint was treated for pneumonia at our clinic.", "Marla Quint"),
    ("Our team admitted Marla Quint for chest pain.", "Marla Quint"),
    ("Our surgeons cared for Senator Dana Whitfield after her knee replacement.",
     "Dana Whitfield"),  # a public title never exempts the person's own care
])
def test_a_name_attached_to_a_health_event_is_a_patient(checker, text: str, name: str) -> None:
    assert role_of(checker, text, name) == "person"


@pytest.mark.parametrize("text,name", [
    ("Gideon Farrow is not responsible for the measles outbreak, critics say.", "Gideon Farrow"),
    ("A report by Gideon Farrow on vaccine uptake is out today.", "Gideon Farrow"),
    ("Watch Gideon Farrow's interview: flu cases are rising across the region.",
     "Gideon Farrow"),
    # the subject of a verb of speaking, selling or studying acts on health, not in it
    ("Gideon Farrow sold his herbal tea as a diabetes cure on the radio.", "Gideon Farrow"),
])
def test_a_name_that_only_shares_a_sentence_with_health_words_is_mentioned(
        checker, text: str, name: str) -> None:
    assert role_of(checker, text, name) == "mentioned"
    assert not any(r.startswith(("PHI002", "CON001")) for r in findings(checker, text))


def test_replies_keep_their_own_context(checker) -> None:
    """A reply's names are judged by the reply rules (the addressee, a named third person)."""
    text = "Fenwick got transferred out of the ICU late last night."
    assert role_of(checker, text, "Fenwick", kind="reply") == "person"


# -- roles real posts carry ------------------------------------------------------------------

@pytest.mark.parametrize("text,handle", [
    ("RT @ValleyHealthDept: flu hospitalizations rose again this week.", "@ValleyHealthDept"),
    ("Measles cases double in the county. via @RiverdaleGazette", "@RiverdaleGazette"),
    ("\"Vaccines save lives.\" -@CountyHealthChief", "@CountyHealthChief"),
    ("New report from @StateEpiUnit on asthma admissions.", "@StateEpiUnit"),
    ("@ClinicWatch reports that RSV admissions are falling.", "@ClinicWatch"),
])
def test_retweet_quote_and_source_handles_are_authors(checker, text: str, handle: str) -> None:
    assert role_of(checker, text, handle) in ("author", "addressee")
    assert not any(r.startswith("PHI") for r in findings(checker, text))


def test_handles_a_post_opens_with_are_the_accounts_it_answers(checker) -> None:
    text = "@quillon_pdx @marrow_fan the clinic reopens Monday."
    assert role_of(checker, text, "@quillon_pdx") == "addressee"
    assert role_of(checker, "Thanks to the clinic, @quillon_pdx is home.", "@quillon_pdx") != (
        "addressee")


@pytest.mark.parametrize("text,name", [
    ("Health Minister Odile Varga tested negative for the flu.", "Odile Varga"),
    ("Prince Aldric recovered from pneumonia, the palace said.", "Prince Aldric"),
])
def test_public_titles_make_public_figures(checker, text: str, name: str) -> None:
    assert role_of(checker, text, name) == "public"


# -- identifiers that are not ----------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Flu shots cut hospital stays http://news.example.com/health/flu-shots-study-1.2667581",
    "We have now run 3542663 tests since March.",
    "#Stats2024 #Ward4821 shows ICU capacity is stable.",
])
def test_numbers_in_urls_hashtags_and_counts_are_not_phones(checker, text: str) -> None:
    found = entity_types(checker, text)
    assert all(not v.startswith("PHONE_NUMBER/person") for v in found.values()), found
    assert not any(r.startswith("PHI") for r in findings(checker, text))


def test_a_phone_number_as_people_write_one_still_counts(checker) -> None:
    assert role_of(checker, "Her cell is 555-201-8841; she is home after her biopsy.",
                   "555-201-8841") == "person"


@pytest.mark.parametrize("text,name", [
    ("New data on Bell's palsy after infection.", "Bell"),
    ("Cases in Georgia rose after the holiday.", "Georgia"),
])
def test_disease_eponyms_and_places_are_not_names(checker, text: str, name: str) -> None:
    assert person_role(checker, text, name) in ("", "noise")


def test_unusual_names_the_model_calls_places_are_still_names(checker) -> None:
    assert person_role(checker, "Lucinda fought stubborn rosacea for a decade.", "Lucinda") == (
        "person")


@pytest.mark.parametrize("text", [
    "Lab work showed her platelets 140 and O2 98 percent.",
    "The testing plateau is over as cases fall.",
])
def test_plates_need_their_label(checker, text: str) -> None:
    assert "LICENSE_PLATE" not in {v.split("/")[0] for v in entity_types(checker, text).values()}


def test_a_labelled_plate_is_still_found(checker) -> None:
    assert "LICENSE_PLATE" in {v.split("/")[0] for v in entity_types(
        checker, "License plate 7ABC123 was in the ER lot.").values()}


@pytest.mark.parametrize("text,name,role", [
    ("Our nurses Maribel Osei and Joss Lindqvist ran the flu clinic all week!", "Joss Lindqvist",
     "staff"),
    ("Health Minister Amara Whitby and Petra Haugen opened the new ward.", "Petra Haugen",
     "public"),
])
def test_a_name_in_a_list_takes_the_title_before_the_list(checker, text: str, name: str,
                                                           role: str) -> None:
    assert person_role(checker, text, name) == role


def test_a_name_not_coordinated_with_a_titled_one_keeps_its_own_role(checker) -> None:
    text = "Our nurse Maribel Osei cheered as Joss Lindqvist finished chemo."
    assert person_role(checker, text, "Maribel Osei") == "staff"
    assert person_role(checker, text, "Joss Lindqvist") not in ("staff", "public")


def test_a_titled_testimonial_speaker_telling_their_own_care_is_a_patient(checker) -> None:
    own = ('"After my knee replacement I was back on my feet in a month." '
           "— Rosalind Achebe, nurse at Larkmoor ER")
    assert role_of(checker, own, "Rosalind Achebe", kind="testimonial") == "person"
    client = ('"Their team ran flu shots for our whole warehouse without a hiccup." '
              "— Rosalind Achebe, HR Director, Larkmoor Freight")
    assert role_of(checker, client, "Rosalind Achebe", kind="testimonial") == "staff"


@pytest.mark.parametrize("text,name", [
    ("Huge thanks to Marlon Ekwueme, who drives his dad 30 miles to each of his dialysis "
     "sessions!", "Marlon Ekwueme"),
    ("Dr. Lin Haworth spoke about the loss of his son to flu last winter.", "Lin Haworth"),
])
def test_a_name_whose_clause_tells_a_relatives_health_identifies_the_relative(
        checker, text: str, name: str) -> None:
    assert person_role(checker, text, name) == "person"


@pytest.mark.parametrize("text,name,role", [
    ("Big thanks to Marlon Ekwueme, who drives his dad to every soccer game.",
     "Marlon Ekwueme", "mentioned"),
    ("Dr. Lin Haworth and his daughter ran the 5K for cancer research.", "Lin Haworth",
     "staff"),
    ("Dr. Lin Haworth treated his patients for flu all winter.", "Lin Haworth", "staff"),
    ("Dr. Lin Haworth brought his family to our flu shot clinic.", "Lin Haworth", "staff"),
])
def test_a_relative_without_health_or_health_as_a_topic_is_not_a_disclosure(
        checker, text: str, name: str, role: str) -> None:
    assert person_role(checker, text, name) == role


def test_a_public_figure_telling_their_own_health_news_stays_public(checker) -> None:
    text = ("Former Kestrel Bay linebacker Omari Fenwick-Hale told reporters about his colon "
            "cancer diagnosis, pushing fans to book a colonoscopy.")
    assert person_role(checker, text, "Omari Fenwick-Hale") == "public"


def test_a_partner_account_the_writer_went_to_is_an_organization(checker) -> None:
    text = "Physio for my torn hamstring this morning, went to @larkmoorpt and they were lovely"
    assert role_of(checker, text, "@larkmoorpt") == "org"


def test_a_titled_person_reported_in_a_hospital_condition_is_a_patient(checker) -> None:
    text = "@metro_desk Councilwoman Ardelle Fitch is in fair condition tonight."
    assert role_of(checker, text, "Ardelle Fitch", kind="reply") == "person"
    work = "Councilwoman Ardelle Fitch is a longtime champion of our cancer center."
    assert person_role(checker, work, "Ardelle Fitch") == "public"


@pytest.mark.parametrize("text,word", [
    ("New York's mumps clinics extend their weekend hours.", "York"),
    ("Sierra Leone opens new measles clinics in every district.", "Leone"),
    # a headline capitalises every word: its capitals are no evidence of a name
    ("Diet Soda Tied To Higher Stroke Risk In Older Adults", "Diet"),
])
def test_a_given_name_inside_a_place_or_a_headline_is_no_person(checker, text: str,
                                                                 word: str) -> None:
    assert person_role(checker, text, word) == ""
    assert not any(r.startswith(("PHI002", "CON001")) for r in findings(checker, text))


def test_a_name_after_a_handle_is_still_a_name(checker) -> None:
    # the small model reads "@coachtee Ignatius" as one organization
    text = "@coachtee Ignatius gave that knee rehab all he had!"
    assert role_of(checker, text, "Ignatius", kind="reply",
                   in_reply_to={"author": "@coachtee"}) not in ("", "noise")


@pytest.mark.unit
def test_a_given_name_that_is_one_of_englishs_most_used_words_is_read_as_the_word() -> None:
    from phiguard.analysis.namewords import is_given_name

    assert not any(is_given_name(w) for w in ("Free", "Way", "Son", "Man"))
    assert all(is_given_name(w) for w in ("Bill", "Renata", "Odette"))


@pytest.mark.parametrize("text,name,role", [
    # a time phrase holds "his"/"her" own health event, however the title parses
    ("Our nurses looked after country star Lila Ashdown during her chemo this spring.",
     "Lila Ashdown", "person"),
    # someone else comes between: the pronoun can be theirs
    ("Pro Bowl legend Dorian Velasquez-Pratt visited Ana Ruiz during her chemo.",
     "Dorian Velasquez-Pratt", "public"),
    # the pronoun's noun is no health event
    ("Pro Bowl legend Dorian Velasquez-Pratt spoke to our nurses during his visit.",
     "Dorian Velasquez-Pratt", "public"),
])
def test_a_time_phrase_with_the_persons_own_health_event_is_theirs(
        checker, text: str, name: str, role: str) -> None:
    assert person_role(checker, text, name) == role


def test_a_name_the_answered_comment_gives_a_staff_title_is_staff(checker) -> None:
    text = "Thank you, Ruthanne! We will tell Ottilie you said so."
    meta = {"kind": "review_reply", "in_reply_to": {
        "author": "Ruthanne B.", "text": "Nurse Ottilie was wonderful with my kids."}}
    assert role_of(checker, text, "Ottilie", **meta) == "staff"
    untitled = {"kind": "review_reply", "in_reply_to": {
        "author": "Ruthanne B.", "text": "Ottilie was wonderful with my kids."}}
    assert role_of(checker, text, "Ottilie", **untitled) == "person"


@pytest.mark.parametrize("text,role", [
    ("Thank you! We will pass your lovely note on to Ottilie.", "staff"),
    ("Thank you! We shared your review with Ottilie and the front desk.", "staff"),
    ("Thank you! We will tell Ottilie you said hello.", "person"),
])
def test_a_name_kind_words_are_passed_on_to_is_staff(checker, text: str, role: str) -> None:
    analysis = analyse(checker, text, kind="review_reply", in_reply_to={"author": "Ruthanne B."})
    assert [e.role for e in analysis.entities if e.type == "PERSON"] == [role]


def test_a_name_in_alt_text_is_a_patients_only_with_evidence(checker, tmp_path) -> None:
    from phiguard.config import Settings
    from phiguard.readers import read_drafts

    def rules(alt: str) -> set[str]:
        post = tmp_path / "post.md"
        post.write_text(f"---\nplatform: instagram\n---\nFriday fun!\n\n![{alt}](a.jpg)\n",
                        encoding="utf-8")
        return {f.rule for f in checker.check_drafts(read_drafts(post, str(post), Settings()))}

    assert "CON004" not in rules("Ines Varga and Tobiah Lund laughing at the potluck table")
    assert "CON004" in rules("Our patient Ines Varga ringing the bell after her last chemo")


@pytest.mark.parametrize("text,role", [
    ("Sorry about the delay! Ottilie will reach out to you this afternoon.", "staff"),
    ("Thanks for your patience! Ottilie from our billing office will get back to you.", "staff"),
    ("Please call Ottilie's dad about his follow-up.", "person"),  # whose dad: not Ottilie's role
])
def test_the_organizations_people_as_they_deal_with_the_person_are_staff(
        checker, text: str, role: str) -> None:
    analysis = analyse(checker, text, kind="review_reply", in_reply_to={"author": "Ruthanne B."})
    assert [e.role for e in analysis.entities if e.type == "PERSON"] == [role]


def test_a_name_to_call_is_no_patient_of_the_health_words_near_it(checker) -> None:
    text = "Call Ottilie Brandvold at 555-0188 to book your flu shot."
    assert not {"PHI002", "CON001"} & set(findings(checker, text))


@pytest.mark.parametrize("text,name,role", [
    # "he"/"she" later in the sentence goes through a health event
    ("Please keep Coach Ansel Vorhees in your prayers as he recovers from surgery.",
     "Ansel Vorhees", "person"),
    # works on one: the title stands
    ("Dr. Ansel Vorhees says he treats more sprains every spring.", "Ansel Vorhees", "staff"),
])
def test_he_or_she_going_through_a_health_event_is_the_name_before(
        checker, text: str, name: str, role: str) -> None:
    assert person_role(checker, text, name) == role


def test_a_surname_that_is_also_a_word_completes_a_name_where_one_is_expected(checker) -> None:
    text = "Meet Walter Finch, 94, who just finished rehab after a hip fracture!"
    assert entity_types(checker, text).get("Walter Finch", "").startswith("PERSON/")
    assert "PHI002" in findings(checker, text)


def test_what_is_said_of_a_name_hangs_on_its_last_word(checker) -> None:
    # evidence for "Walter" alone: the relative clause hangs on "Finch"
    text = "Meet Walter Finch, 94, who just finished rehab after a hip fracture!"
    analysis = analyse(checker, text)
    evidence = checker.analyzer._evidence(analysis)
    assert evidence.for_span(text.index("Walter"), text.index("Walter") + len("Walter"))
