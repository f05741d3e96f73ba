"""Loading the spaCy pipeline: from an installed package or folder, never from the network."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..models import PhiguardError


class ModelError(PhiguardError):
    """The configured spaCy model cannot be used."""


def load_pipeline(model: str, config_path: str | None = None) -> Any:
    import spacy  # heavy: only when a run really analyses text

    if not (spacy.util.is_package(model) or Path(model).is_dir()):
        raise ModelError(
            f"spaCy model {model!r} is not installed; install it as a package or set `model:` "
            "in the configuration (phiguard never downloads models)", config_path)
    try:
        return spacy.load(model)
    except Exception as exc:  # spaCy raises OSError/ValueError/ImportError/catalogue errors
        raise ModelError(f"spaCy model {model!r} could not be loaded: {exc}".splitlines()[0],
                         config_path) from None
