"""sitegen links: every internal link and anchor of a built site, on a written fixture and on real builds."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.build import BuildOptions, build
from sitegen.linkcheck import Target, resolve
from sites import FIXED_TODAY, copy_mini, run_cli

BASE = "https://intranet.example.nl/sociaal-inkopen/"


def page(body: str, canonical: str = "") -> str:
    head = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return f"<!doctype html>\n<html><head>{head}</head>\n<body>\n{body}\n</body></html>\n"


def write_site(root: Path, pages: dict[str, str]) -> Path:
    for name, html in pages.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
    return root


@pytest.fixture
def broken_site(tmp_path) -> Path:
    return write_site(tmp_path / "output", {
        "index.html": page('<a href="verhalen/">Verhalen</a> <img src="media/logo.svg" alt="">', canonical=BASE),
        "media/logo.svg": "<svg/>",
        "verhalen/index.html": page(
            '<h2 id="nieuw">Nieuw</h2>\n'
            '<a href="../ondernemers/bestaat-niet/">kapot</a>\n'
            '<a href="koffie/#aanpak">goed anker</a>\n'
            '<a href="koffie/#bestaat-niet">kapot anker</a>\n'
            '<a href="#nieuw">hier</a> <a href="#weg">hier kapot</a>\n'
            '<a href="mailto:redactie@example.nl">mail</a> <a href="https://elders.example.org/x/">elders</a>\n'
            f'<a href="{BASE}verhalen/koffie/">absoluut</a> <a href="/sociaal-inkopen/verhalen/koffie/index.html">vanaf de root</a>\n'
            '<a href="/andere-site/">buiten de submap</a> <a href="../?q=koffie">zoeken</a>'),
        "verhalen/koffie/index.html": page('<h2 id="aanpak">Aanpak</h2> <a name="oud"></a> <a href="../#nieuw">terug</a> <a href="../../verhalen/#oud">oud</a>'),
    })


def test_a_broken_link_and_a_broken_anchor_are_reported_with_the_linking_page(broken_site, capsys, monkeypatch):
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    code, out, err = run_cli(capsys, "links", "--output", str(broken_site))
    assert code == 1, out
    name = str(broken_site)
    assert err.splitlines() == [
        f"{name}/verhalen/index.html:5:1: fout: link naar ../ondernemers/bestaat-niet/ bestaat niet "
        "(er is geen bestand ondernemers/bestaat-niet/index.html in de uitvoer)",
        f"{name}/verhalen/index.html:7:1: fout: link naar koffie/#bestaat-niet bestaat niet "
        "(verhalen/koffie/index.html heeft geen id 'bestaat-niet')",
        f"{name}/verhalen/index.html:8:27: fout: link naar #weg bestaat niet (verhalen/index.html heeft geen id 'weg')",
        f"{name}/verhalen/index.html:11:1: fout: link naar /andere-site/ bestaat niet "
        "(buiten de site: het adres begint niet met /sociaal-inkopen/)",
        f"{name}/verhalen/koffie/index.html:4:78: fout: link naar ../../verhalen/#oud bestaat niet "
        "(verhalen/index.html heeft geen id 'oud')",
        "5 kapotte link(s) gevonden op 3 pagina's.",
    ]


def test_on_github_actions_broken_links_are_annotations_too(broken_site, capsys, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.chdir(broken_site.parent)
    code, _, err = run_cli(capsys, "links", "--output", "output")
    assert code == 1
    assert ("::error file=output/verhalen/index.html,line=5,col=1::link naar ../ondernemers/bestaat-niet/ bestaat niet "
            "(er is geen bestand ondernemers/bestaat-niet/index.html in de uitvoer)") in err.splitlines()


def test_the_base_url_decides_what_is_inside_the_site(broken_site, capsys):
    # Built for another address, every absolute link to this one is a link elsewhere, and
    # root-relative links under /sociaal-inkopen/ fall outside the site.
    code, _, err = run_cli(capsys, "links", "--output", str(broken_site), "--base-url", "https://andere.example.nl/")
    assert code == 1
    assert "link naar /sociaal-inkopen/verhalen/koffie/index.html bestaat niet" in err
    assert f"link naar {BASE}verhalen/koffie/ bestaat niet" not in err


def test_no_built_site_is_a_usage_error(tmp_path, capsys):
    code, _, err = run_cli(capsys, "links", "--output", str(tmp_path / "leeg"))
    assert code == 2
    assert "staat geen gebouwde site" in err


@pytest.mark.parametrize("file_links", [False, True])
def test_a_built_site_under_a_sub_path_checks_clean_until_a_page_is_gone(tmp_path, capsys, file_links):
    root = copy_mini(tmp_path / "site")
    output = root / "output"
    build(BuildOptions(source=root, base_url=BASE, file_links=file_links, today=FIXED_TODAY, use_cache=False))
    flags = ["--file-links"] if file_links else []
    code, out, err = run_cli(capsys, "links", "--source", str(root), *flags)
    assert code == 0, err
    assert out.startswith("Alle links in orde: ")
    (output / "ondernemers" / "de-soeppan" / "index.html").unlink()
    code, _, err = run_cli(capsys, "links", "--source", str(root), *flags)
    assert code == 1
    assert "link naar ../../ondernemers/de-soeppan/" in err


def test_file_links_finds_links_to_folders(tmp_path, capsys):
    root = copy_mini(tmp_path / "site")
    build(BuildOptions(source=root, today=FIXED_TODAY, use_cache=False))  # a web server build: links end in '/'
    code, _, err = run_cli(capsys, "links", "--source", str(root), "--file-links")
    assert code == 1
    assert "een link naar een map werkt niet als je de site vanaf schijf opent" in err


@pytest.mark.parametrize("url, target", [
    ("./", "verhalen/"),
    ("?q=koffie", "verhalen/index.html"),
    ("#aanpak", "verhalen/index.html#aanpak"),
    ("../", ""),
    ("koffie/index.html#aanpak", "verhalen/koffie/index.html#aanpak"),
    ("/sociaal-inkopen", ""),
    ("https://INTRANET.example.nl/sociaal-inkopen/tips/", "tips/"),
    ("caf%C3%A9/", "verhalen/café/"),
    ("//elders.example.org/x/", None),
    ("tel:+31000000000", None),
    ("../../", "buiten de site: het adres begint niet met /sociaal-inkopen/"),
    ("%2e%2e/%2e%2e/etc/passwd", "buiten de site: het adres begint niet met /sociaal-inkopen/"),
])
def test_links_resolve_as_a_browser_resolves_them(url, target):
    resolved = resolve(url, "verhalen/index.html", BASE)
    if isinstance(resolved, Target):
        resolved = resolved.path + (f"#{resolved.fragment}" if resolved.fragment else "")
    assert resolved == target
