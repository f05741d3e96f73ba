"""Readers: every published character maps back to the exact place in the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from phiguard.config import Settings
from phiguard.models import ReadError
from phiguard.readers import read_drafts

from .conftest import write

pytestmark = pytest.mark.unit


def drafts_of(path: Path):
    return read_drafts(path, str(path), Settings())


def assert_positions_exact(path: Path, drafts) -> None:
    """Each non-space character stands at its mapped offset, or its escape sequence starts there."""
    source = path.read_text(encoding="utf-8-sig")
    for draft in drafts:
        for segment in draft.segments:
            for i, ch in enumerate(segment.text):
                if not ch.isspace():
                    at = segment.source.file_offset(i)
                    assert source[at] == ch or source[at] in "\\&", (segment.scope, segment.text, i)


def segment(drafts, scope: str, index: int = 0):
    return [s for d in drafts for s in d.segments if s.scope == scope][index]


def test_markdown_body_footer_alt_and_media(tmp_path: Path) -> None:
    path = write(tmp_path / "post.md", """---
platform: instagram
kind: post
footer: "Tips only — \\"not\\" dental guidance."
media:
  - path: a.jpg
    alt: >
      Nurses at the
      station
---
# Hello *world*

Body with `code here` and an ![inline *alt* text](a.jpg "t") image.

![reference alt][ref]

<img src="b.jpg" alt="html &amp; alt">
<!-- a comment that is not published -->

```
fenced code is not published
```

[ref]: c.jpg "title"
""")
    drafts = drafts_of(path)
    assert_positions_exact(path, drafts)
    body = segment(drafts, "body").text
    assert "Body with" in body and "code here" not in body
    assert "fenced code" not in body and "a comment" not in body and "c.jpg" not in body
    alts = [s.text for d in drafts for s in d.segments if s.scope == "alt"]
    assert "inline alt text" in alts
    assert "reference alt" in alts
    assert "html & alt" in alts
    assert "Nurses at the station\n" in alts
    assert segment(drafts, "footer").text == 'Tips only — "not" dental guidance.'
    assert drafts[0].platform == "instagram"


def test_markdown_without_front_matter_is_a_post(tmp_path: Path) -> None:
    drafts = drafts_of(write(tmp_path / "p.md", "Just a post.\n"))
    assert drafts[0].kind == "post" and drafts[0].platform is None


def test_yaml_list_and_posts_key_with_block_scalars(tmp_path: Path) -> None:
    path = write(tmp_path / "posts.yaml", """posts:
  - id: one
    platform: x
    text: |
      First line.
        Indented line.
  - id: two
    text: 'It''s quoted'
    media:
      - alt: "alt \\u00e9 text"
""")
    drafts = drafts_of(path)
    assert [d.draft_id for d in drafts] == ["one", "two"]
    assert_positions_exact(path, drafts)
    assert segment(drafts, "body", 1).text == "It's quoted"


def test_json_with_escapes(tmp_path: Path) -> None:
    path = write(tmp_path / "post.json",
                 '[{"text": "Line one\\nLine \\"two\\" caf\\u00e9", "platform": "facebook"},'
                 '\n {"text": "Second", "media": [{"alt": "An alt"}]}]')
    drafts = drafts_of(path)
    assert len(drafts) == 2
    assert_positions_exact(path, drafts)
    assert segment(drafts, "alt").text == "An alt"


def test_csv_cells_map_to_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path / "export.csv",
                 'date,Message,Alt Text\n'
                 '2026-01-01,"Quoted, with ""quotes""\nand a newline",An alt\n'
                 '2026-01-02,Plain cell,\n')
    drafts = drafts_of(path)
    assert len(drafts) == 2
    assert_positions_exact(path, drafts)
    first = drafts[0].segments[0]
    line, col = drafts[0].lines.position(first.source.file_offset(0))
    assert (line, col) == (2, 13)
    line, col = drafts[1].lines.position(drafts[1].segments[0].source.file_offset(0))
    assert (line, col) == (4, 12)


def test_tsv_and_configured_column(tmp_path: Path) -> None:
    path = write(tmp_path / "export.tsv", "when\tcopy_text\n2026-01-01\tHello there\n")
    settings = Settings(csv_columns={"text": ["copy_text"]})
    drafts = read_drafts(path, str(path), settings)
    assert drafts[0].segments[0].text == "Hello there"


def test_html_visible_text_and_alt(tmp_path: Path) -> None:
    path = write(tmp_path / "page.html", """<html><head><script>var x = "secret";</script>
<style>p{}</style></head><body><p>Visible &amp; text</p>
<!-- hidden comment --><img src=a.jpg alt='An image alt'></body></html>""")
    drafts = drafts_of(path)
    assert_positions_exact(path, drafts)
    body = segment(drafts, "body").text
    assert "Visible" in body and "secret" not in body and "hidden comment" not in body
    assert segment(drafts, "alt").text == "An image alt"


def test_text_file_and_bom(tmp_path: Path) -> None:
    path = tmp_path / "p.txt"
    path.write_bytes("\ufeffHello from a BOM file".encode())
    drafts = drafts_of(path)
    assert drafts[0].segments[0].text == "Hello from a BOM file"
    utf16 = tmp_path / "u.txt"
    utf16.write_bytes("Hello UTF-16".encode("utf-16"))
    assert drafts_of(utf16)[0].segments[0].text == "Hello UTF-16"


@pytest.mark.parametrize("name,content,message,line", [
    ("bad.md", "---\nplatform: [x\n---\nBody\n", "invalid YAML", 3),
    ("open.md", "---\nplatform: x\nBody\n", "never closed", 1),
    ("bad.yaml", "text: ok\n  - broken: [\n", "invalid YAML", None),
    ("bad.json", '{"text": "a",\n "x": }', "invalid JSON", 2),
    ("ragged.csv", "message,date\nhello,1,extra\n", "fields", 2),
    ("quote.csv", 'message,date\n"unterminated,1\n', "invalid CSV", None),
    ("nocol.csv", "foo,bar\n1,2\n", "no text column", 1),
    ("notext.yaml", "platform: x\n", "no text field", None),
    ("tagged.yaml", "text: !!python/object/apply:os.system [echo]\n", "program objects", 1),
    ("listtext.json", '{"text": ["a", "b"]}', "must be text", None),
])
def test_parse_errors_name_file_and_line(tmp_path: Path, name: str, content: str, message: str,
                                         line: int | None) -> None:
    path = write(tmp_path / name, content)
    with pytest.raises(ReadError) as info:
        drafts_of(path)
    assert message in info.value.message
    assert info.value.path == str(path)
    if line is not None:
        assert info.value.line == line


def test_invalid_utf8_and_binary(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"ok\n\xff\xfe\xfa broken")
    with pytest.raises(ReadError, match="UTF-8"):
        drafts_of(bad)
    binary = tmp_path / "bin.md"
    binary.write_bytes(b"\x00\x01\x02binary")
    with pytest.raises(ReadError, match="binary"):
        drafts_of(binary)


def test_unsupported_type_named_explicitly(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="unsupported file type"):
        drafts_of(write(tmp_path / "a.docx", "x"))


def test_symlink_loop_is_named(tmp_path: Path) -> None:
    (tmp_path / "a.md").symlink_to(tmp_path / "b.md")
    (tmp_path / "b.md").symlink_to(tmp_path / "a.md")
    with pytest.raises(ReadError, match="symbolic link"):
        drafts_of(tmp_path / "a.md")


# -- issue 14: drafts that were read as nothing ------------------------------------------------


def read_error(path: Path) -> ReadError:
    with pytest.raises(ReadError) as info:
        drafts_of(path)
    assert info.value.path == str(path)
    return info.value


def body_texts(drafts) -> list[str]:
    return [s.text for d in drafts for s in d.segments if s.scope == "body"]


def where(drafts, word: str) -> tuple[int, int]:
    """Line and column in the file of the first segment character that starts ``word``."""
    for draft in drafts:
        for seg in draft.segments:
            at = seg.text.find(word)
            if at >= 0:
                return draft.lines.position(seg.source.file_offset(at))
    raise AssertionError(f"{word!r} is read nowhere")


@pytest.mark.parametrize("name,content,line", [
    ("dup.yaml", "text: Join us Saturday\nplatform: x\ntext: Quillon Vasterbrook\n", 3),
    ("flow.yaml", "{text: Join us, text: Quillon Vasterbrook}\n", 1),
    ("posts.yaml", "posts:\n  - id: a\n    text: one\n  - id: b\n    id: c\n    text: two\n", 5),
    ("front.md", "---\nplatform: x\nconsent: A-1\nconsent: A-2\n---\nJoin us Saturday\n", 4),
    ("dup.json", '{"text": "Join us Saturday",\n "platform": "x",\n "text": "Quillon V"}', 3),
    ("nested.json", '[{"text": "a", "media": [{"alt": "x",\n "alt": "y"}]}]', 2),
])
def test_duplicate_keys_are_an_error_at_the_second_key(tmp_path: Path, name: str, content: str,
                                                       line: int) -> None:
    error = read_error(write(tmp_path / name, content))
    assert "duplicate key" in error.message and error.line == line
    assert "Quillon" not in error.message and "A-2" not in error.message


def test_custom_yaml_tag_on_text_is_read_as_text(tmp_path: Path) -> None:
    path = write(tmp_path / "tagged.yaml",
                 'platform: !platform facebook\ntext: !secret "Get well soon Quillon!"\n')
    drafts = drafts_of(path)
    assert body_texts(drafts) == ["Get well soon Quillon!"]
    assert where(drafts, "Quillon") == (2, 30)
    assert_positions_exact(path, drafts)
    # a standard tag that builds no text is refused as before, a program tag too
    assert "must be text" in read_error(write(tmp_path / "b.yaml", "text: !!binary aGk=\n")).message
    assert "program objects" in read_error(
        write(tmp_path / "p.yaml", "text: !!python/name:os.system\n")).message


@pytest.mark.parametrize("name,content", [
    ("both.yaml", "text: Join us Saturday!\ncaption: Get well soon Quillon\n"),
    ("both.json", '{"caption": "Join us Saturday!", "body": "Get well soon Quillon"}'),
])
def test_two_body_fields_are_both_read(tmp_path: Path, name: str, content: str) -> None:
    path = write(tmp_path / name, content)
    drafts = drafts_of(path)
    assert body_texts(drafts) == ["Join us Saturday!", "Get well soon Quillon"]
    assert_positions_exact(path, drafts)
    assert not {"text", "caption", "body"} & set(drafts[0].meta)


def test_two_body_fields_each_must_be_text(tmp_path: Path) -> None:
    error = read_error(write(tmp_path / "bad.yaml", "text: hello\ncaption: [a, b]\n"))
    assert "`caption` must be text" in error.message


def test_lone_surrogate_in_json_is_an_error_with_line(tmp_path: Path) -> None:
    error = read_error(write(tmp_path / "s.json", '{"platform": "x",\n "text": "Hi \\ud800"}'))
    assert "surrogate" in error.message and error.line == 2
    # a key holding one is refused too; a proper pair is a character
    assert read_error(write(tmp_path / "k.json", '{\n\n"\\udc00": 1, "text": "a"}')).line == 3
    pair = drafts_of(write(tmp_path / "ok.json", '{"text": "smile \\ud83d\\ude00"}'))
    assert body_texts(pair) == ["smile \U0001F600"]


# Each draft has the word "Quillon" on line 3 at column 5, with CR-only or mixed line ends.
LINE_END_CASES = {
    "md": "Hello\r\rHi, Quillon here.\r",
    "mixed.md": "Hello\r\nsecond\rHi, Quillon here.\nend\r\n",
    "txt": "one\rtwo\rHi, Quillon here.\r",
    "yaml": "platform: x\rkind: post\rtext: Quillon here\r",
    "block.yaml": "platform: x\r\ntext: |\r  Quillon here\r  and there\n",
    "json": '{\r"platform": "x",\r\n"t": 1, "text": "Quillon"}',
    "csv": 'message,kind\r\nHello,post\r"Hi, Quillon",post\n',
    "html": "<p>one</p>\r<p>two</p>\r\n<p>Quillon here</p>\r",
    "alt.html": "<p>one</p>\r<p>two</p>\r\n<img alt='Quillon here'>\r",
}
LINE_END_COLUMNS = {"yaml": 7, "json": 18, "block.yaml": 3, "alt.html": 11, "html": 4, "csv": 6}


@pytest.mark.parametrize("name", sorted(LINE_END_CASES))
def test_cr_only_and_mixed_line_ends_put_words_on_their_line(tmp_path: Path, name: str) -> None:
    path = tmp_path / f"draft.{name}"
    path.write_bytes(LINE_END_CASES[name].encode())
    drafts = drafts_of(path)
    assert where(drafts, "Quillon") == (3, LINE_END_COLUMNS.get(name, 5))
    source = path.read_bytes().decode()
    for draft in drafts:
        for seg in draft.segments:
            for i, ch in enumerate(seg.text):
                if not ch.isspace():
                    assert source[seg.source.file_offset(i)] == ch


def test_cr_only_markdown_front_matter_is_metadata_not_body(tmp_path: Path) -> None:
    path = tmp_path / "p.md"
    path.write_bytes(b"---\rplatform: facebook\rfooter: Not medical advice.\r---\rBody here.\r")
    drafts = drafts_of(path)
    assert drafts[0].platform == "facebook"
    assert body_texts(drafts) == ["Body here.\n"]
    assert where(drafts, "Not medical") == (3, 9)


def test_line_index_counts_crlf_cr_and_lf_as_one_line_end() -> None:
    from phiguard.models import LineIndex

    lines = LineIndex("a\r\nb\rc\nd")
    assert [lines.position(i) for i in (0, 3, 5, 7)] == [(1, 1), (2, 1), (3, 1), (4, 1)]
    assert lines.position(1) == (1, 2) and lines.position(2) == (1, 3)  # CR LF: still line 1
    assert lines.count == 4


@pytest.mark.parametrize("name,content", [
    ("block.md", "<!-->\nHappy birthday Quillon Vasterbrook\n\nMore\n<!-- later -->\n"),
    ("dash.md", "<!--->\nHappy birthday Quillon Vasterbrook\n<!-- later -->\n"),
    ("inline.md", "Hi <!--> Happy birthday Quillon Vasterbrook <!-- x --> end\n"),
    ("bang.md", "<!-- note --!>\nHappy birthday Quillon Vasterbrook\n-->\n"),
    ("div.md", "<div>\n<!-->\nHappy birthday Quillon Vasterbrook\n<!-- later -->\n</div>\n"),
    ("page.html", "<p>Hi</p><!-->Happy birthday Quillon Vasterbrook<!-- x --><p>end</p>"),
    ("dash.html", "<p>Hi</p>\n<!--->\n<p>Happy birthday Quillon Vasterbrook</p>\n<!-- x -->"),
])
def test_abruptly_closed_html_comment_hides_nothing_after_it(tmp_path: Path, name: str,
                                                             content: str) -> None:
    path = write(tmp_path / name, content)
    drafts = drafts_of(path)
    assert any("Quillon Vasterbrook" in t for t in body_texts(drafts))
    assert not any("later" in t or " x " in t.replace("  ", " ") for t in body_texts(drafts))
    assert_positions_exact(path, drafts)


def test_comments_in_scripts_do_not_hide_the_page(tmp_path: Path) -> None:
    path = write(tmp_path / "s.html",
                 "<script>if (a <!--b) {}</script><p>Get well Quillon</p><!-- c -->")
    assert body_texts(drafts_of(path)) == [
        "Get well Quillon" + " " * len("</p><!-- c -->")]


def test_markdown_indented_four_spaces_is_published_text(tmp_path: Path) -> None:
    path = write(tmp_path / "p.md", "---\nplatform: x\n---\n    Get well soon Quillon!\n"
                                    "    See you Saturday.\n\n```\nfenced code\n```\n")
    drafts = drafts_of(path)
    body = body_texts(drafts)[0]
    assert "Get well soon Quillon!" in body and "See you Saturday." in body
    assert "fenced code" not in body
    assert where(drafts, "Quillon") == (4, 19)


@pytest.mark.parametrize("header,message", [
    ("message,date,Message", "columns 1 and 3"),
    ("text,platform,platform", "columns 2 and 3"),
    ("message,alt text,alt-text", "columns 2 and 3"),
    ("text,caption", "columns 1 and 2 could each be the post text"),
    ("Content,date,Post Text", "columns 1 and 3 could each be the post text"),
])
def test_csv_ambiguous_header_is_an_error_on_the_header_line(tmp_path: Path, header: str,
                                                            message: str) -> None:
    row = ",".join(["Quillon"] * len(header.split(",")))
    error = read_error(write(tmp_path / "e.csv", f"{header}\n{row}\n"))
    assert message in error.message and error.line == 1
    assert "Quillon" not in error.message


def test_csv_configured_text_column_decides_and_unnamed_columns_may_repeat(tmp_path: Path
                                                                           ) -> None:
    path = write(tmp_path / "e.csv", "text,caption,,\nJoin us,Get well Quillon,,\n")
    settings = Settings(csv_columns={"text": ["caption"]})
    drafts = read_drafts(path, str(path), settings)
    assert body_texts(drafts) == ["Get well Quillon"]
    both = Settings(csv_columns={"extra_text": ["caption"]})  # both published: say so
    assert body_texts(read_drafts(path, str(path), both)) == ["Join us", "Get well Quillon"]


def test_nul_anywhere_is_refused_with_its_line(tmp_path: Path) -> None:
    late = tmp_path / "late.md"
    late.write_bytes(b"Join us Saturday.\n" * 600 + b"Quillon\x00Vasterbrook\n")
    error = read_error(late)
    assert "NUL" in error.message and error.line == 601
    utf16 = tmp_path / "u.txt"
    utf16.write_bytes("Join us\nSaturday\x00\n".encode("utf-16"))
    assert read_error(utf16).line == 2
    early = tmp_path / "cr.txt"
    early.write_bytes(b"a\rb\r\x00")
    assert read_error(early).line == 3
