"""`sitegen build` exits and leaves no process behind, the first time and the next."""

from __future__ import annotations

import pytest

from processes import left_behind, sitegen
from sites import copy_site

STORY = "content/cases/drie-beken-perceel-schoonmaak.md"


@pytest.fixture
def site(tmp_path):
    return copy_site(tmp_path / "site")


def build(site) -> tuple[int, str, str, list[str]]:
    process = sitegen("build", "--source", str(site))
    out, err = process.communicate(timeout=180)
    return process.returncode, out, err, left_behind(process.pid, site)


def test_a_build_leaves_no_process_behind(site):
    code, out, err, remaining = build(site)
    assert code == 0, err
    assert "pagina's in" in out and "Traceback" not in err
    assert remaining == []

    # The next build, after an edit, is where a build used to hand its work to a server.
    with open(site / STORY, "a", encoding="utf-8") as file:
        file.write("\nEen zin die er net bij kwam.\n")
    code, out, err, remaining = build(site)
    assert code == 0, err
    assert "1 opnieuw gemaakt" in out
    assert remaining == []

    code, out, err, remaining = build(site)
    assert code == 0 and "Niets veranderd" in out
    assert remaining == []


def test_there_is_no_option_for_a_build_server(site):
    process = sitegen("build", "--no-daemon", "--source", str(site))
    out, err = process.communicate(timeout=60)
    assert process.returncode == 2 and "onbekend: --no-daemon" in err
