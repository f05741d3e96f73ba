"""What the page asks for: the choices it offers, and a draft checked, fixed or redacted.

One Session (model, rules, Presidio, consent registry) is built when the server starts and
used for every request, one request at a time (a spaCy pipeline is not shared between
threads). The draft is the text the page sends, read by the reader its file name's ending
names, exactly as `phiguard check - --stdin-filename NAME` reads it; nothing is written or
cached. Findings are the JSON report's (excerpts masked) with where they are in the text.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..consent import KNOWN_PLATFORMS
from ..dates import DateError, check_schedule, parse_when, rules_from
from ..models import DRAFT_KINDS, Draft, Finding, LineIndex, ReadError, Report
from ..readers import FORMATS, reader_for
from ..rules.categories import lookup

if TYPE_CHECKING:
    from ..config import Settings
    from ..edits.files import Editable
    from ..pipeline import Session
    from ..readers import Reader

FIELDS = ("text", "filename", "platform", "kind", "scheduled_at", "consent", "sponsored")
DEFAULT_NAME = "draft.txt"
MAX_NAME = 200


class RequestError(ValueError):
    """A request the page would never send: answered 400 with this message (never a value
    from the request)."""


@dataclass(frozen=True)
class Submission:
    """A draft as the page sends it: its text, the file name whose ending picks its reader,
    and the metadata chosen on the page (replacing the draft's own for each key)."""

    text: str
    name: str
    meta: dict[str, Any]

    @property
    def path(self) -> Path:
        return Path(self.name)


class WebApp:
    def __init__(self, settings: Settings, session: Session) -> None:
        self.settings = settings
        self.session = session
        self.lock = threading.Lock()

    @classmethod
    def load(cls, config: str | None) -> WebApp:
        """The configuration found from the working folder (as `phiguard check` finds it) or
        named, and its session, built once."""
        from ..config import load_settings
        from ..pipeline import Session, collector_paused, default_config_path, load_rules

        settings = load_settings(Path(config) if config else default_config_path(["."]))
        with collector_paused(freeze=True):  # the server owns its process
            session = Session(settings, load_rules(settings))
        return cls(settings, session)

    def options(self) -> dict[str, Any]:
        """The page's choices: the project's vocabularies and the configured consent records
        (their ids, status, platforms and expiry; never the subject)."""
        records = self.session.engine.registry.records
        return {
            "config": str(self.settings.source) if self.settings.source else None,
            "formats": sorted(FORMATS),
            "kinds": list(DRAFT_KINDS),
            "platforms": sorted(KNOWN_PLATFORMS),
            "consents": [{"id": cid, "status": str(record.get("status", "")),
                          "platforms": [str(p) for p in record.get("platforms") or []],
                          "expires": str(record.get("expires") or "")}
                         for cid, record in sorted(records.items())],
            "disclaimer": bool((self.settings.org or {}).get("disclaimer")),
            "max_chars": self.settings.max_draft_chars,
        }

    def submission(self, payload: Any) -> Submission:
        return read_submission(payload, self.settings)

    def check(self, payload: Any) -> dict[str, Any]:
        from ..runner import check_data
        from ..walk import Target

        draft = self.submission(payload)
        with self.lock:
            report = check_data(Target(draft.path, draft.name), draft.text.encode("utf-8"),
                                self.settings, lambda: self.session, draft.meta)
        return self._report(report, draft.text)

    def fix(self, payload: Any) -> dict[str, Any]:
        """What `check --fix` would write for this text, and what it did."""
        from ..edits.autofix import fix_file

        draft = self.submission(payload)
        with self.lock:
            fixed, fixes, skipped = fix_file(self.session, self._opened(draft), self.settings)
        return {"text": fixed,
                "notes": [f"{f.finding.rule}: {f.note}" for f in fixes] + skipped}

    def redact(self, payload: Any) -> dict[str, Any]:
        """What `phiguard redact` would write for this text, and what it could not verify."""
        from ..edits.deidentify import RedactOptions, redact_text, verify

        draft = self.submission(payload)
        options = RedactOptions.from_settings(self.settings)
        opened = self._opened(draft)
        with self.lock:
            after, kinds = redact_text(self.session, opened, self.settings, options)
            left = verify(self.session, opened, after, self.settings, options)
        notes = [f"replaced: {', '.join(kinds)}"] if kinds else ["nothing to replace"]
        notes += [f"line {f.line}: {f.rule} still reports phi after redaction ({f.message}); "
                  "rewrite this by hand" for f in left.phi]
        notes += [f"line {line}: a {kind} is still detected after redaction; rewrite this "
                  "by hand" for line, _, kind in left.identifiers]
        if left.name_like_lines:
            notes.append("words that could be names are left on line(s) "
                         f"{', '.join(map(str, left.name_like_lines))}: phiguard did not "
                         "recognise them as names; check them by hand")
        return {"text": after, "notes": notes}

    def _opened(self, draft: Submission) -> Editable:
        """The text as an editable file that is never written: --fix and redact read it."""
        from ..edits.files import Editable, Snapshot

        reader = reader_for(draft.path)
        if reader is None:  # read_submission refuses such a name
            raise RequestError("no reader for this file name")
        chosen = _MetaReader(reader, draft.meta)
        return Editable(draft.path, draft.name, chosen, draft.text, "utf-8",
                        Snapshot(b"", 0, 0, 0, 0))

    def _report(self, report: Report, text: str) -> dict[str, Any]:
        lines = LineIndex(text)
        return {
            "findings": [self._finding(f, text, lines) for f in report.findings],
            "errors": [e.as_dict() for e in report.errors],
            "summary": {"drafts": report.drafts, "findings": len(report.findings),
                        "errors": len(report.errors)},
        }

    def _finding(self, finding: Finding, text: str, lines: LineIndex) -> dict[str, Any]:
        """The JSON report's finding, with its place in the text as the page counts it
        (UTF-16 code units, as JavaScript strings do), what to do, and if a safe fix exists."""
        start = _offset(text, lines, finding.line, finding.column)
        end = _offset(text, lines, finding.end_line, finding.end_column)
        if end <= start:
            end = min(start + 1, len(text))
        rule = self.session.ruleset.get(finding.rule)
        how = str(rule.spec.get("fix") or "").strip() if rule is not None else ""
        return {**finding.as_dict(), "start": _utf16(text, start), "end": _utf16(text, end),
                "how_to_fix": how, "fixable": bool(lookup(finding.category).fix)}


class _MetaReader:
    """A reader whose drafts carry the page's metadata, with the checks a run makes on each
    draft (readable scheduled date, length limit), for --fix and redact."""

    def __init__(self, reader: Reader, meta: dict[str, Any]) -> None:
        self.reader = reader
        self.meta = meta

    def __call__(self, path: Path, shown: str, text: str, settings: Settings
                 ) -> Iterator[Draft]:
        drafts: Iterable[Draft] = self.reader(path, shown, text, settings)
        for draft in drafts:
            draft.meta.update(self.meta)
            check_schedule(draft, settings)
            if draft.length() > settings.max_draft_chars:
                raise ReadError(f"draft is too long ({draft.length()} characters; the limit "
                                f"is {settings.max_draft_chars}, set with max_draft_chars)",
                                shown)
            yield draft


def read_submission(payload: Any, settings: Settings) -> Submission:
    """The request's draft, every field checked (fail closed: RequestError)."""
    if not isinstance(payload, dict):
        raise RequestError("the request must be a JSON object")
    if any(key not in FIELDS for key in payload):
        raise RequestError(f"unknown field in the request; the fields are {', '.join(FIELDS)}")
    text = payload.get("text")
    if not isinstance(text, str):
        raise RequestError("text: a string is required")
    return Submission(text, _name(payload.get("filename")), _meta(payload, settings))


def _name(value: Any) -> str:
    """A file name, its ending choosing the reader; only the name, never a folder."""
    if value in (None, ""):
        return DEFAULT_NAME
    if not isinstance(value, str) or len(value) > MAX_NAME:
        raise RequestError(f"filename: a name of at most {MAX_NAME} characters is required")
    name = Path(value.replace("\\", "/")).name
    if not name or not name.isprintable() or name in (".", ".."):
        raise RequestError("filename: not a usable file name")
    if reader_for(Path(name)) is None:
        raise RequestError(f"filename: phiguard reads {', '.join(sorted(FORMATS))} files")
    return name


def _meta(payload: dict[str, Any], settings: Settings) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    platform = _text(payload, "platform")
    if platform:
        if platform not in KNOWN_PLATFORMS:
            raise RequestError("platform: not one of the platforms the page offers")
        meta["platform"] = platform
    kind = _text(payload, "kind")
    if kind:
        if kind not in DRAFT_KINDS:
            raise RequestError(f"kind: one of {', '.join(DRAFT_KINDS)}")
        meta["kind"] = kind
    when = _text(payload, "scheduled_at")
    if when:
        try:
            parse_when(when, rules_from(settings))
        except DateError as exc:
            raise RequestError(f"scheduled date {exc}") from None
        meta["scheduled_at"] = when
    consent = _text(payload, "consent")
    if consent:
        meta["consent"] = consent
    sponsored = payload.get("sponsored", False)
    if not isinstance(sponsored, bool):
        raise RequestError("sponsored: true or false")
    if sponsored:
        meta["sponsored"] = True
    return meta


def _text(payload: dict[str, Any], key: str) -> str:
    value = payload.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > MAX_NAME:
        raise RequestError(f"{key}: a string of at most {MAX_NAME} characters is required")
    return value.strip()


def _offset(text: str, lines: LineIndex, line: int, column: int) -> int:
    """The text offset of a 1-based line and column, kept inside that line."""
    line = min(max(line, 1), lines.count)
    start = lines.line_start(line)
    end = lines.line_start(line + 1) if line < lines.count else len(text)
    return min(start + max(column, 1) - 1, end)


def _utf16(text: str, offset: int) -> int:
    return len(text[:offset].encode("utf-16-le")) // 2
