"""Golden output of the mini fixture site.

Regenerate after an intended change with:  python tests/golden.py
then review the diff of tests/golden/ like code."""

from __future__ import annotations

import datetime as dt
import sys
import shutil
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from sitegen.build import BuildOptions, build  # noqa: E402

GOLDEN = HERE / "golden" / "mini"
SOURCE = HERE / "fixtures" / "mini"
TODAY = dt.date(2026, 11, 26)
# The search index has its own tests; its bytes would make every index tweak a golden diff.
SKIP_PREFIXES = ("zoeken/index", "static/", ".sitegen-output")


def build_mini(output: Path) -> dict[str, bytes]:
    # No cache: a test must not write into the fixture, nor lean on an earlier run.
    build(BuildOptions(source=SOURCE, output=output, today=TODAY, use_cache=False))
    return {path.relative_to(output).as_posix(): path.read_bytes()
            for path in sorted(output.rglob("*"))
            if path.is_file() and not path.relative_to(output).as_posix().startswith(SKIP_PREFIXES)}


def regenerate() -> None:
    with tempfile.TemporaryDirectory() as temporary:
        files = build_mini(Path(temporary) / "output")
    shutil.rmtree(GOLDEN, ignore_errors=True)
    for rel, content in files.items():
        target = GOLDEN / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    print(f"{len(files)} golden files written to {GOLDEN.relative_to(HERE.parent)}")


if __name__ == "__main__":
    regenerate()
