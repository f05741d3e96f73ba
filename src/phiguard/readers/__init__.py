"""Files -> drafts. One module per input format; this maps file endings to readers."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from ..models import MAX_FILE_BYTES_DEFAULT, Draft, ReadError
from .common import read_text
from .csvfile import read_csv
from .html import read_html
from .markdown import read_markdown
from .structured import read_json, read_yaml
from .text import read_text_draft

Reader = Callable[[Path, str, str, Any], Iterable[Draft]]  # a CSV's rows are streamed

READERS: dict[str, Reader] = {
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".txt": read_text_draft,
    ".yaml": read_yaml,
    ".yml": read_yaml,
    ".json": read_json,
    ".csv": read_csv,
    ".tsv": read_csv,
    ".html": read_html,
    ".htm": read_html,
}


def reader_for(path: Path) -> Reader | None:
    return READERS.get(path.suffix.lower())


def read_drafts(path: Path, shown: str, settings: Any) -> list[Draft]:
    """Every draft in one file; a ReadError (with file and line) when that is impossible."""
    return list(iter_drafts(path, shown, settings))


def iter_drafts(path: Path, shown: str, settings: Any) -> Iterator[Draft]:
    """The drafts of one file as they are read: a ReadError (with file and line) may come
    after some drafts, for a CSV row that cannot be parsed."""
    if path.is_symlink() and not path.exists():
        raise ReadError("broken or looping symbolic link", shown)
    reader = reader_for(path)
    if reader is None:
        raise ReadError(f"unsupported file type {path.suffix or '(none)'!r}; phiguard reads "
                        f"{', '.join(sorted(READERS))}", shown)
    text = read_text(path, shown, getattr(settings, "max_file_bytes", MAX_FILE_BYTES_DEFAULT))
    try:
        yield from reader(path, shown, text, settings)
    except ReadError:
        raise
    except RecursionError:
        raise ReadError("nested too deeply to read", shown) from None
    except (ValueError, TypeError, IndexError, KeyError) as exc:
        raise ReadError(f"could not parse: {exc}", shown) from None
