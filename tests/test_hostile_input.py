"""Hostile or careless content: media that could script, text that could command a CI log,
a terminal or a calendar reader, and inputs that would cost a build minutes."""

from __future__ import annotations

import pytest

from sites import copy_mini, run_cli

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">\n{}\n</svg>\n'


@pytest.mark.parametrize("name, data, message", [
    ("aanval.html", b"<script>alert(1)</script>", "bestandstype '.html' is niet toegestaan"),
    ("logo.svg", SVG.format("<script>alert(1)</script>").encode(), "element <script> is niet toegestaan"),
    ("logo.svg", SVG.format('<rect onload="alert(1)"/>').encode(), "attribuut 'onload'"),
    ("logo.svg", SVG.format('<a href="javascript:alert(1)"><rect/></a>').encode(), "element <a>"),
    ("logo.svg", SVG.format('<use href="https://elders.example/x.svg#a"/>').encode(), "alleen verwijzingen binnen"),
    ("logo.svg", SVG.format('<foreignObject><p>x</p></foreignObject>').encode(), "element <foreignObject>"),
    ("logo.svg", b'<!DOCTYPE svg [<!ENTITY a "b">]><svg xmlns="http://www.w3.org/2000/svg"/>', "DOCTYPE"),
    ("foto.png", b"<html><script>alert(1)</script>", "geen PNG"),
])
def test_media_that_could_script_are_refused_at_their_path(tmp_path, capsys, name, data, message):
    root = copy_mini(tmp_path / "site")
    (root / "content" / "media" / name).write_bytes(data)
    code, _, err = run_cli(capsys, "build", "--source", str(root))
    assert code == 1
    assert f"content/media/{name}:" in err and ": error: " in err and message in err
    assert not (root / "output" / "media" / name).exists()


def test_plain_images_pdfs_and_shape_svgs_are_published(tmp_path, capsys):
    root = copy_mini(tmp_path / "site")
    media = root / "content" / "media"
    (media / "foto.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 20)
    (media / "folder.pdf").write_bytes(b"%PDF-1.7\n")
    (media / "vorm.svg").write_text(SVG.format('<defs><linearGradient id="g"/></defs><rect fill="url(#g)"/>'
                                               '<use href="#g"/><text>Soep</text>'))
    assert run_cli(capsys, "build", "--source", str(root))[0] == 0
    for name in ("foto.png", "folder.pdf", "vorm.svg"):
        assert (root / "output" / "media" / name).read_bytes() == (media / name).read_bytes()
