"""The consent registry: which patient authorizations exist, and whether one is valid.

Fails closed: a record with a key the format does not have, or a date phiguard cannot read,
makes the whole registry unusable (exit 2, file and line) rather than counting as valid.
Messages never carry a value from a record (a subject or even an id may name the patient).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .dates import DateError, DateRules, When, now, parse_when
from .models import Draft, PhiguardError
from .yamlpos import compose, construct, node_line, read_own_file, validate


class ConsentError(PhiguardError):
    """A consent registry phiguard cannot use."""


STATUSES = ("signed", "pending_signature", "revoked")
DATE_KEYS = ("signed", "expires")
_STRINGS = {"type": "array", "items": {"type": "string"}}
RECORD = {
    "type": "object",
    "required": ["id", "status"],
    "additionalProperties": False,  # a misspelt `expirse:` must not leave a record valid
    "properties": {
        "id": {"type": ["string", "integer"], "minLength": 1},
        "subject": {"type": "string"},
        "status": {"enum": list(STATUSES)},
        "signed_by": {"type": "string"},
        "covers": _STRINGS,
        "platforms": _STRINGS,
        "signed": {},  # dates: read by dates.parse_when after the schema, with their line
        "expires": {},
    },
}
SCHEMA = {
    "type": "object",
    "required": ["consents"],
    "additionalProperties": False,
    "properties": {"consents": {"type": "array", "items": RECORD}},
}
# Platform names that may be repeated in a message (anything else could be a profile name).
KNOWN_PLATFORMS = {"facebook", "instagram", "x", "twitter", "linkedin", "tiktok", "youtube",
                   "threads", "pinterest", "bluesky", "mastodon", "snapchat", "reddit",
                   "google_reviews", "google", "yelp", "healthgrades", "website", "blog",
                   "email", "newsletter", "vitals", "zocdoc", "nextdoor", "whatsapp"}
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


@dataclass
class Registry:
    records: dict[str, dict[str, Any]]
    rules: DateRules = field(default_factory=DateRules)

    @classmethod
    def empty(cls) -> Registry:
        return cls({})

    def check(self, draft: Draft, covers: tuple[str, ...] = ()) -> str | None:
        """None when the draft's consent is valid, else why not (no value from a record).
        With ``covers``, a record that lists what it `covers` must name one of them: an
        authorization for the photo alone does not cover the patient's name in the caption."""
        ids = draft.meta.get("consent")
        if not ids:
            return "the draft names no consent record (`consent:`)"
        ids = [ids] if isinstance(ids, str) else list(ids) if isinstance(ids, list) else [ids]
        scheduled = draft.meta.get("scheduled_at")
        try:
            when = parse_when(scheduled, self.rules) if scheduled else now()
        except DateError:
            return "the draft's scheduled_at is not a date phiguard can read"
        for number, cid in enumerate(ids, 1):
            which = "the consent" if len(ids) == 1 else f"the {_ordinal(number)} consent"
            record = self.records.get(str(cid))
            if record is None:
                return f"{which} id is not in the registry"
            problem = self._problem(record, when, bool(scheduled), draft.platform)
            if problem:
                return f"{which} record {problem}"
        if covers and not any(_covers(self.records[str(cid)], covers) for cid in ids):
            return f"no consent record covers the {covers[0]} (its `covers`)"
        return None

    def _problem(self, record: dict[str, Any], when: When, scheduled: bool,
                 platform: str | None) -> str | None:
        """Why one record does not cover a draft published at ``when`` on ``platform``."""
        status = record.get("status")
        if status == "pending_signature":
            return "is pending signature, not signed"
        if status != "signed":
            return "is revoked" if status == "revoked" else "is not signed"
        date = "the scheduled date " + when.shown() if scheduled else "today (no scheduled_at)"
        try:
            expires = _when(record.get("expires"), self.rules)
            signed = _when(record.get("signed"), self.rules)
        except DateError:
            return "has a date phiguard cannot read"
        # A date-only schedule is the whole day: the consent must cover all of it.
        if expires is not None and when.end > expires.end:
            return f"expired on {expires.shown()}, before {date}"
        if signed is not None and when.start < signed.start:
            return f"was signed on {signed.shown()}, after {date}"
        platforms = [str(p).lower() for p in record.get("platforms") or []]
        if not platforms:
            return "lists no platforms"
        if not platform:  # where it will be published is unknown: nothing can be checked
            return "cannot be checked: the draft names no platform"
        if platform not in platforms:
            named = platform if platform in KNOWN_PLATFORMS else "the draft's platform"
            return f"does not list {named}"
        return None


def _covers(record: dict[str, Any], wanted: tuple[str, ...]) -> bool:
    """A record without `covers` covers everything it is signed for."""
    listed = record.get("covers")
    return not listed or any(str(item).lower() in wanted for item in listed)


def _when(value: Any, rules: DateRules) -> When | None:
    return None if value is None or value == "" else parse_when(value, rules)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def load_registry(path: Path | None, rules: DateRules | None = None) -> Registry:
    """The registry at ``path`` (none: an empty one), every record's keys and dates checked."""
    if path is None:
        return Registry.empty()
    rules = rules or DateRules()
    shown = str(path)
    node = compose(read_own_file(path, ConsentError), shown, error=ConsentError)
    _dates_as_text(node)
    data = construct(node, shown, error=ConsentError)
    data = {} if data is None else data
    validate(data, node, SCHEMA, shown, ConsentError, echo_keys=False)
    records: dict[str, dict[str, Any]] = {}
    first: dict[str, int] = {}
    for index, record in enumerate(data["consents"]):
        _check_dates(record, index, node, shown, rules)
        cid = str(record["id"])
        if cid in first:
            raise ConsentError(f"consents[{index}].id: the same id as consents[{first[cid]}]",
                               shown, node_line(node, ["consents", index, "id"]))
        first[cid] = index
        records[cid] = record
    return Registry(records, rules)


def _dates_as_text(root: yaml.Node | None) -> None:
    """Keep YAML's timestamps as text, so 2027-02-30 is our error with a line, not PyYAML's
    ValueError without one, and every date goes through the same strict reader."""
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode) and node.tag == _TIMESTAMP:
            node.tag = "tag:yaml.org,2002:str"
        elif isinstance(node, yaml.MappingNode):
            stack.extend(v for pair in node.value for v in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def _check_dates(record: dict[str, Any], index: int, node: yaml.Node | None, shown: str,
                 rules: DateRules) -> None:
    for key in DATE_KEYS:
        try:
            _when(record.get(key), rules)
        except DateError as exc:
            raise ConsentError(f"consents[{index}].{key}: {exc}", shown,
                               node_line(node, ["consents", index, key])) from None
