"""The consent registry: which patient authorizations exist, and whether one is valid."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .models import Draft, PhiguardError
from .yamlpos import load_file


class ConsentError(PhiguardError):
    """A consent registry phiguard cannot use."""


_DATE = {"anyOf": [{"type": "string"}, {"type": "object"}]}  # YAML dates load as date objects
SCHEMA = {
    "type": "object",
    "required": ["consents"],
    "properties": {
        "consents": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "status"],
                "properties": {
                    "id": {"type": "string"},
                    "status": {"enum": ["signed", "pending_signature", "revoked"]},
                    "platforms": {"type": "array", "items": {"type": "string"}},
                    "covers": {"type": "array", "items": {"type": "string"}},
                },
            },
        }
    },
}


@dataclass
class Registry:
    records: dict[str, dict[str, Any]]

    @classmethod
    def empty(cls) -> Registry:
        return cls({})

    def check(self, draft: Draft) -> str | None:
        """None when the draft's consent is valid, else why not (no names in the reason)."""
        ids = draft.meta.get("consent")
        if not ids:
            return "no consent record is referenced"
        ids = [ids] if isinstance(ids, str) else list(ids) if isinstance(ids, list) else [ids]
        when = _date(draft.meta.get("scheduled_at")) or dt.date.today()
        platform = draft.platform
        for cid in ids:
            record = self.records.get(str(cid))
            if record is None:
                return f"consent record {cid} is not in the registry"
            if record.get("status") != "signed":
                return f"consent record {cid} is {record.get('status')}, not signed"
            expires = _date(record.get("expires"))
            if expires and when > expires:
                return f"consent record {cid} expired before the scheduled date"
            platforms = [str(p).lower() for p in record.get("platforms") or []]
            if platform and platforms and platform not in platforms:
                return f"consent record {cid} does not list {platform}"
            if platform and not platforms:
                return f"consent record {cid} lists no platforms"
        return None


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value.strip():
        text = value.strip().replace("Z", "+00:00")
        try:
            return dt.datetime.fromisoformat(text).date()
        except ValueError:
            try:
                return dt.date.fromisoformat(text[:10])
            except ValueError:
                return None
    return None


def load_registry(path: Path | None) -> Registry:
    if path is None:
        return Registry.empty()
    data, _ = load_file(path, SCHEMA, ConsentError)
    return Registry({str(r["id"]): r for r in data["consents"]})
