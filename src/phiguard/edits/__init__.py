"""Changing drafts on request: `phiguard redact` (de-identification) and `check --fix`."""
