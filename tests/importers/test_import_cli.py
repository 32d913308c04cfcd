"""`stratus import SOURCE -o FILE`: writes a design that validates, never clobbers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from stratus_tui.cli import cli
from stratus_tui.core.store.design_file import load_design

from .helpers import fixture


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), result.exception
    return result.exit_code, result.stdout, result.stderr


def test_import_writes_a_valid_design(tmp_path: Path) -> None:
    out = tmp_path / "shop.yaml"
    code, stdout, _ = run("import", str(fixture("compose-v3-shop.yml")), "-o", str(out))
    assert code == 0
    design = load_design(out)
    assert len(design.services) == 6 and design.imported is not None
    assert design.imported.source == str(fixture("compose-v3-shop.yml"))
    assert "6 services, 6 datastores, 1 externals, 11 dependencies" in stdout
    assert "datastore orders-db [postgresql]" in stdout
    assert "skipped 2:" in stdout and "unknown key 'replicas'" in stdout
    assert "current.topology, current.services" in stdout
    assert out.read_text(encoding="utf-8").startswith("# Imported by `stratus import`")


def test_existing_file_is_not_overwritten_without_force(tmp_path: Path) -> None:
    out = tmp_path / "shop.yaml"
    out.write_text("precious\n", encoding="utf-8")
    code, _, stderr = run("import", str(fixture("shop-k8s.yaml")), "-o", str(out))
    assert code == 1 and "already exists" in stderr and "--force" in stderr
    assert out.read_text(encoding="utf-8") == "precious\n"
    code, _, _ = run(
        "import",
        str(fixture("shop-k8s.yaml")),
        "-o",
        str(out),
        "--force",
        "--name",
        "Shop in production",
    )
    assert code == 0
    assert load_design(out).name == "Shop in production"
    assert (tmp_path / "shop.yaml.bak").read_text(encoding="utf-8") == "precious\n"


def test_kind_option_and_json_output(tmp_path: Path) -> None:
    source = tmp_path / "topology.txt"
    source.write_text("graph LR\n  a --> b[(DB)]\n", encoding="utf-8")
    out = tmp_path / "out.json"
    code, stdout, _ = run("import", str(source), "-o", str(out), "--kind", "mermaid")
    assert code == 0 and "(mermaid)" in stdout
    design = load_design(out)
    assert [d.id for d in design.datastores] == ["b"]


def test_broken_input_names_the_file_and_writes_nothing(tmp_path: Path) -> None:
    source = tmp_path / "docker-compose.yml"
    source.write_text("services:\n  - web\n", encoding="utf-8")
    out = tmp_path / "out.yaml"
    code, _, stderr = run("import", str(source), "-o", str(out))
    assert code == 1
    assert stderr.startswith(f"{source}:2:3:")
    assert not out.exists()


def test_real_process_has_no_traceback(tmp_path: Path) -> None:
    source = tmp_path / "garbage.yml"
    source.write_bytes(b"\x00\x01\x02garbage")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "stratus_tui",
            "import",
            str(source),
            "-o",
            str(tmp_path / "o.yaml"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr and "binary file" in proc.stderr
    usage = subprocess.run(
        [sys.executable, "-m", "stratus_tui", "import", str(source)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert usage.returncode == 2 and "-o" in usage.stderr
