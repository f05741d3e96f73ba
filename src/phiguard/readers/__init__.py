"""Files -> drafts. One module per input format; this maps file endings to readers."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..dates import check_schedule
from ..models import MAX_FILE_BYTES_DEFAULT, Draft, ReadError
from .common import read_text, text_of

if TYPE_CHECKING:
    from ..config import Settings

Reader = Callable[[Path, str, str, "Settings"], Iterable[Draft]]  # a CSV's rows are streamed


def _lazy(module: str, function: str) -> Reader:
    """A reader whose module (and its parser library) is imported on first use: a run whose
    results are all cached reads no draft."""

    def read(path: Path, shown: str, text: str, settings: Settings) -> Iterable[Draft]:
        reader: Reader = getattr(import_module(f"{__name__}.{module}"), function)
        return reader(path, shown, text, settings)

    return read


@dataclass(frozen=True)
class Format:
    """An input format: its endings, its reader, and what the rest of phiguard needs to know
    about it, so that no other module branches on file endings."""

    suffixes: tuple[str, ...]
    module: str  # under phiguard.readers
    function: str
    # How `--fix` adds words to its published text: "prose" (the file is the text: append a
    # paragraph, prepend to the first line), "markup" (HTML: a <p> before </body>), "value"
    # (a YAML/JSON string), "cell" (a CSV/TSV cell), or "" (no safe fix: captions are timed).
    edit_style: str
    inline_images: bool = False  # the body references images itself (Markdown, HTML)


REGISTRY = (
    Format((".md", ".markdown"), "markdown", "read_markdown", "prose", inline_images=True),
    Format((".txt",), "text", "read_text_draft", "prose"),
    Format((".yaml", ".yml"), "structured", "read_yaml", "value"),
    Format((".json",), "structured", "read_json", "value"),
    Format((".csv", ".tsv"), "csvfile", "read_csv", "cell"),
    Format((".html", ".htm"), "html", "read_html", "markup", inline_images=True),
    Format((".srt",), "srt", "read_srt", ""),
    Format((".vtt",), "vtt", "read_vtt", ""),
)
FORMATS: dict[str, Format] = {suffix: f for f in REGISTRY for suffix in f.suffixes}
READERS: dict[str, Reader] = {suffix: _lazy(f.module, f.function) for suffix, f in FORMATS.items()}


def reader_for(path: Path) -> Reader | None:
    return READERS.get(path.suffix.lower())


def format_of(path: Path | str) -> Format | None:
    return FORMATS.get(Path(path).suffix.lower())


def read_drafts(path: Path, shown: str, settings: Settings) -> list[Draft]:
    """Every draft in one file; a ReadError (with file and line) when that is impossible."""
    return list(iter_drafts(path, shown, settings))


def iter_drafts(path: Path, shown: str, settings: Settings, data: bytes | None = None,
                meta: dict[str, Any] | None = None) -> Iterator[Draft]:
    """The drafts of one file as they are read: a ReadError (with file and line) may come
    after some drafts, for a CSV row that cannot be parsed. ``data``: the file's bytes as
    the caller already read them (and keyed the cache on), so they are not read again.
    ``meta``: metadata chosen outside the file (the web page's platform, kind, date,
    consent), replacing the draft's own value for each key it has."""
    if path.is_symlink() and not path.exists():
        raise ReadError("broken or looping symbolic link", shown)
    reader = reader_for(path)
    if reader is None:
        raise ReadError(f"unsupported file type {path.suffix or '(none)'!r}; phiguard reads "
                        f"{', '.join(sorted(READERS))}", shown)
    max_bytes = getattr(settings, "max_file_bytes", MAX_FILE_BYTES_DEFAULT)
    text = read_text(path, shown, max_bytes) if data is None else text_of(data, shown, max_bytes)
    try:
        for draft in reader(path, shown, text, settings):
            if meta:
                draft.meta.update(meta)
            check_schedule(draft, settings)  # an unreadable date is an error, never "today"
            yield draft
    except ReadError:
        raise
    except RecursionError:
        raise ReadError("nested too deeply to read", shown) from None
    except (ValueError, TypeError, IndexError, KeyError) as exc:
        # The exception's own text may quote the file's words: name its kind only.
        raise ReadError(f"could not parse ({type(exc).__name__})", shown) from None
