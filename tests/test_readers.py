"""Readers: every published character maps back to the exact place in the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from phiguard.config import Settings
from phiguard.models import ReadError
from phiguard.readers import read_drafts

from .conftest import write


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
footer: "Info only — \\"not\\" medical advice."
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
    assert segment(drafts, "footer").text == 'Info only — "not" medical advice.'
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
