"""Settings are declared once (settings.py): the schema, the defaults, `--show-settings` and
the `phiguard init` starter all come from the declarations, and nothing else can add one."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from phiguard import images
from phiguard.config import ConfigError, load_settings
from phiguard.settings import (
    BY_KEY,
    SCHEMA,
    SETTINGS,
    Settings,
    declare,
    declared_in,
    describe,
    schema_of,
    starter_config,
)

from .conftest import run_cli, write

KEYS = [s.key for s in SETTINGS]


def _starter_keys(text: str) -> list[str]:
    """The top-level keys the starter shows, written or commented out, in order."""
    return [m[1] for m in re.finditer(r"^(?:# )?([a-z_]+):", text, re.MULTILINE)]


def _shown(stdout: str) -> dict[str, str]:
    """`--show-settings` lines by key: ``key = value    # origin``."""
    return {line.split(" = ", 1)[0]: line for line in stdout.splitlines() if " = " in line}


def test_every_declared_setting_is_in_schema_defaults_starter_and_show_settings(
        tmp_path: Path) -> None:
    assert len(KEYS) == len(set(KEYS)) > 20
    defaults = Settings()
    init = run_cli("init", cwd=tmp_path)
    assert init.returncode == 0, init.stderr
    starter = (tmp_path / ".phiguard.yaml").read_text("utf-8")
    (tmp_path / ".phiguard.yaml").unlink()
    show = run_cli("check", "--show-settings", ".", cwd=tmp_path)
    assert show.returncode == 0, show.stderr
    shown = _shown(show.stdout)
    for declared in SETTINGS:
        assert SCHEMA["properties"][declared.key] == dict(declared.schema), declared.key
        assert getattr(defaults, declared.attribute) == declared.default, declared.key
        assert declared.key in _starter_keys(starter), declared.key
        assert declared.key in shown and shown[declared.key].endswith("# default"), declared.key
    assert _starter_keys(starter) == KEYS
    assert list(shown) == KEYS


@pytest.mark.unit
def test_the_schema_knows_the_declared_settings_and_nothing_else() -> None:
    assert list(SCHEMA["properties"]) == KEYS
    assert SCHEMA["additionalProperties"] is False
    assert BY_KEY["csv"].attribute == "csv_columns"  # the one key named unlike its attribute


@pytest.mark.unit
def test_a_new_declared_field_reaches_schema_show_settings_and_starter() -> None:
    @dataclass
    class Wider(Settings):
        colour: str = field(default="teal", metadata=declare(
            doc="A colour.", schema={"enum": ["teal", "plum"]}, example="colour: plum"))

    declared = declared_in(Wider)
    assert [s.key for s in declared] == [*KEYS, "colour"]
    assert schema_of(declared)["properties"]["colour"] == {"enum": ["teal", "plum"]}
    assert ("colour", "teal", "default") in describe(Wider())
    assert "# A colour. Default: \"teal\".\n# colour: plum\n" in starter_config(declared)


@pytest.mark.unit
def test_a_field_without_a_declaration_is_refused() -> None:
    @dataclass
    class Undeclared(Settings):
        colour: str = "teal"

    with pytest.raises(TypeError, match=r"Settings\.colour is not declared"):
        declared_in(Undeclared)


@pytest.mark.unit
def test_the_starter_loads_as_it_is_and_with_every_example(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = write(tmp_path / ".phiguard.yaml", starter_config())
    settings = load_settings(config)
    written = [s.key for s in SETTINGS if s.starter]
    assert written == ["org", "exclude", "fail_on"]
    assert [k for k, _, origin in describe(settings) if origin != "default"] == written
    assert settings.org["phones"] == ["555-0100"] and settings.fail_on == "error"

    monkeypatch.setattr(images, "missing", lambda: [])  # images: true needs the extra
    every = write(tmp_path / "every.yaml", "\n".join(s.example for s in SETTINGS) + "\n")
    settings = load_settings(every)
    for key, _, origin in describe(settings):
        assert re.fullmatch(r".*every\.yaml:\d+", origin), key
    assert settings.rule_paths == [(tmp_path / "compliance-rules").resolve()]
    assert settings.consent_registry == (tmp_path / "consents.yaml").resolve()
    assert settings.csv_columns == {"text": ["copy_text"]}
    assert settings.per_file_ignores == {"training/**": ["phi"]}


@pytest.mark.unit
def test_a_check_beyond_the_schema_names_the_key_and_its_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(images, "missing", lambda: ["rapidocr"])
    config = write(tmp_path / ".phiguard.yaml", "fail_on: error\nimages: true\n")
    with pytest.raises(ConfigError) as caught:
        load_settings(config)
    assert str(caught.value) == (f"{config}:2: images: true needs the images extra (missing "
                                 "rapidocr): pip install 'phiguard[images]'")


@pytest.mark.unit
def test_pyproject_settings_are_read_by_key_and_shown_by_key(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.phiguard]\ncsv = {text = ["copy_text"]}\n'
                                       'rule_paths = ["org-rules"]\n')
    write(tmp_path / "org-rules" / "README.txt", "no rules yet\n")
    settings = load_settings(tmp_path / "pyproject.toml")
    assert settings.csv_columns == {"text": ["copy_text"]}
    assert settings.rule_paths == [(tmp_path / "org-rules").resolve()]
    shown = {key: (value, origin) for key, value, origin in describe(settings)}
    assert shown["csv"] == ({"text": ["copy_text"]}, f"{tmp_path / 'pyproject.toml'} "
                                                      "[tool.phiguard]")
    assert shown["rule_paths"][0] == [str((tmp_path / "org-rules").resolve())]
