"""`make types` checks the whole package, without blanket exemptions (issue 10 item 4, ADR 0011)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_make_types_covers_all_of_src_egovpm() -> None:
    makefile = (ROOT / "Makefile").read_text()
    targets = re.search(r"^MYPY_TARGETS\s*=\s*(.*?)\s*(#.*)?$", makefile, re.M)
    assert targets is not None
    assert targets.group(1).split() == ["src/egovpm"]
    assert "$(BIN)/mypy $(MYPY_TARGETS)" in makefile


def test_no_blanket_exemption_in_the_mypy_configuration() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mypy"]
    assert config.get("disallow_untyped_defs") is True
    assert config.get("warn_unused_ignores") is True
    assert not config.get("ignore_errors")
    for override in config.get("overrides", []):
        assert not override.get("ignore_errors"), override
    assert not config.get("exclude")


def test_every_type_ignore_names_its_code_and_says_why() -> None:
    bad = []
    for path in sorted((ROOT / "src" / "egovpm").rglob("*.py")):
        lines = path.read_text(encoding="utf-8").split("\n")
        for number, line in enumerate(lines, 1):
            if "# type: ignore" not in line:
                continue
            coded = re.search(r"# type: ignore\[[a-z-]+(, [a-z-]+)*\]", line)
            reason_here = re.search(r"# type: ignore\[[^\]]*\]\s*#\s*\S", line)
            reason_above = number > 1 and lines[number - 2].strip().startswith("#")
            if not coded or not (reason_here or reason_above):
                bad.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert bad == [], "a type: ignore needs its error code and a reason comment (a stub that is wrong)"
