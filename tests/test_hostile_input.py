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
    from PIL import Image
    Image.new("RGB", (8, 8), "teal").save(media / "foto.png")  # a real, readable PNG
    (media / "folder.pdf").write_bytes(b"%PDF-1.7\n")
    (media / "vorm.svg").write_text(SVG.format('<defs><linearGradient id="g"/></defs><rect fill="url(#g)"/>'
                                               '<use href="#g"/><text>Soep</text>'))
    assert run_cli(capsys, "build", "--source", str(root))[0] == 0
    for name in ("foto.png", "folder.pdf", "vorm.svg"):
        assert (root / "output" / "media" / name).read_bytes() == (media / name).read_bytes()


STORY = "content/cases/soep-op-het-stadhuis.md"


def replace_in(root, rel, old, new):
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_no_error_line_can_start_a_workflow_command_or_steer_the_terminal(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    root = copy_mini(tmp_path / "site")
    replace_in(root, STORY, "buyer: gemeente-noord", 'buyer: "x\\n::stop-commands::abc\\n::error::nep \\e[31m"')
    code, out, err = run_cli(capsys, "build", "--source", str(root))
    assert code == 1
    lines = (out + err).splitlines()
    assert not [line for line in lines if line.startswith("::") and not line.startswith(("::error file=", "::warning file="))]
    assert "\x1b" not in out + err and "\\x1b" in err


def test_a_control_character_in_a_one_line_field_is_refused_at_its_line(tmp_path, capsys):
    root = copy_mini(tmp_path / "site")
    replace_in(root, STORY, "title: ", 'title: "Soep\\vop\\n"\nx_title: ')
    code, _, err = run_cli(capsys, "build", "--source", str(root))
    assert code == 1 and f"{STORY}:2:" in err and "U+000B" in err


def test_a_control_character_in_a_body_is_refused_at_its_line_and_column(tmp_path, capsys):
    root = copy_mini(tmp_path / "site")
    path = root / STORY
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[-1] = "ab\x0c" + lines[-1]
    path.write_text("".join(lines), encoding="utf-8")
    code, _, err = run_cli(capsys, "build", "--source", str(root))
    assert code == 1 and f"{STORY}:{len(lines)}:3: error: onzichtbaar stuurteken U+000C" in err


def test_a_bare_carriage_return_cannot_add_a_line_to_a_calendar(tmp_path, capsys):
    from sitegen.feeds import ics_text
    assert ics_text("Lunch\rATTENDEE:mailto:x@example.org\x0b\x0c") == "Lunch\\nATTENDEE:mailto:x@example.org"
    assert ics_text("a\r\nb;c,d\\") == "a\\nb\\;c\\,d\\\\"


def test_a_huge_file_is_refused_before_it_is_parsed(tmp_path, capsys):
    root = copy_mini(tmp_path / "site")
    (root / STORY).write_text((root / STORY).read_text(encoding="utf-8") + "x" * 1_100_000, encoding="utf-8")
    code, _, err = run_cli(capsys, "build", "--source", str(root))
    assert code == 1 and f"{STORY}:1:1: error: het bestand is te groot" in err


def test_thousands_of_equal_headings_build_in_linear_time(tmp_path):
    import time

    from sitegen.markdown import make_parser
    parser = make_parser(False)
    assert 'id="h-kop-2"' in parser.render("## Kop\n\n## Kop-1\n\n## Kop\n\n## Kop\n")
    started = time.perf_counter()
    html = parser.render("## Kop\n\n" * 15_000)
    assert time.perf_counter() - started < 5
    assert html.count('id="h-kop-') == 14_999 and 'id="h-kop-14999"' in html


def test_an_edit_that_keeps_mtime_and_size_is_not_served_from_the_cache(tmp_path, capsys):
    import os
    root = copy_mini(tmp_path / "site")
    story = root / STORY
    assert run_cli(capsys, "build", "--source", str(root))[0] == 0
    stat = story.stat()
    text = story.read_text(encoding="utf-8")
    story.write_text(text.replace("Soep op het stadhuis", "Soep op het raadhuis", 1), encoding="utf-8")  # same size
    os.utime(story, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # as cp -p and rsync -a do
    assert story.stat().st_size == stat.st_size
    assert run_cli(capsys, "build", "--source", str(root))[0] == 0
    assert "Soep op het raadhuis" in (root / "output" / "verhalen" / "index.html").read_text(encoding="utf-8")


def test_planted_jinja_bytecode_and_pickles_in_the_site_run_nothing(tmp_path, capsys):
    import hashlib
    import pickle
    root = copy_mini(tmp_path / "site")
    proof = tmp_path / "ran"

    class Boom:
        def __reduce__(self):
            return (os.system, (f"touch {proof}",))

    import os
    planted = root / ".sitegen-cache" / "templates"
    planted.mkdir(parents=True)
    for name in ["base.html", "case.html", "index.html", "list.html"]:  # Jinja's own file names for them
        key = hashlib.sha1(name.encode("utf-8")).hexdigest()
        (planted / f"__jinja2_{key}.cache").write_bytes(pickle.dumps(Boom()))
    (root / ".sitegen-cache" / "state.pickle").write_bytes(pickle.dumps(Boom()))
    assert run_cli(capsys, "build", "--source", str(root))[0] == 0
    assert not proof.exists()


@pytest.mark.parametrize("value, message", [
    ("[" * 400 + "]" * 400, "te diep genest"),
    ("9" * 401, "het getal is te groot"),
    (".nan", "geen getal dat de site kan tonen"),
    ("-.inf", "geen getal dat de site kan tonen"),
    ("1.0e+400", "geen getal dat de site kan tonen"),
])
def test_values_that_would_crash_or_stall_a_build_are_refused_at_their_line(tmp_path, capsys, value, message):
    root = copy_mini(tmp_path / "site")
    replace_in(root, STORY, "buyer: gemeente-noord", f"buyer: gemeente-noord\nextra: {value}")
    code, _, err = run_cli(capsys, "build", "--source", str(root))
    assert code == 1 and "Traceback" not in err
    line = next(number for number, text in enumerate((root / STORY).read_text().splitlines(), 1) if text.startswith("extra"))
    assert f"{STORY}:{line}:" in err and message in err


@pytest.mark.parametrize("name", ["logo#1.svg", "logo?.svg", "mijn logo.svg", "100%.svg"])
def test_media_names_a_link_would_have_to_encode_are_refused(tmp_path, capsys, name):
    root = copy_mini(tmp_path / "site")
    (root / "content" / "media" / name).write_text(SVG.format("<rect/>"))
    code, _, err = run_cli(capsys, "build", "--source", str(root))
    assert code == 1 and f"content/media/{name}:1:1: error: bestandsnaam" in err


def test_media_names_that_differ_only_in_case_are_refused(tmp_path, capsys):
    root = copy_mini(tmp_path / "site")
    (root / "content" / "media" / "SoepPan.svg").write_text(SVG.format("<rect/>"))
    code, _, err = run_cli(capsys, "build", "--source", str(root))
    assert code == 1 and "botst met" in err and "/media/soeppan.svg" in err and "/media/SoepPan.svg" in err


@pytest.mark.parametrize("alias, message", [
    ("/robots.txt/", "botst met"),
    ("/Verhalen/Soep-op-het-stadhuis/", "botst met"),
])
def test_aliases_that_would_overwrite_files_or_break_the_file_system_are_refused(tmp_path, capsys, alias, message):
    root = copy_mini(tmp_path / "site")
    replace_in(root, STORY, "aliases: [/verhalen/oude-soep/]", f"aliases: ['{alias}']")
    code, _, err = run_cli(capsys, "build", "--source", str(root))
    assert code == 1 and f"{STORY}:1:1: error:" in err and message in err and "Traceback" not in err


def test_a_long_alias_is_refused_at_its_line(tmp_path, capsys):
    root = copy_mini(tmp_path / "site")
    replace_in(root, STORY, "aliases: [/verhalen/oude-soep/]", "aliases: ['/" + "a" * 300 + "/']")
    code, _, err = run_cli(capsys, "build", "--source", str(root))
    assert code == 1 and f"{STORY}:15:" in err and "te lang" in err and "Traceback" not in err


def test_a_file_name_with_a_final_newline_is_no_slug(tmp_path, capsys):
    root = copy_mini(tmp_path / "site")
    (root / STORY).rename(root / "content" / "cases" / "nieuw\n.md")
    code, _, err = run_cli(capsys, "build", "--source", str(root))
    assert code == 1 and "nieuw\\n.md" in err


@pytest.mark.parametrize("address", ["inkoop@gemeente.nl?subject=Hoi&body=x", "a@b.nl\n", "x@evil.nl#",
                                     "inkoop@gemeente.nl?cc=a@b.nl"])
def test_an_email_field_takes_only_an_address(tmp_path, capsys, address):
    from sitegen.fields import EMAIL_PATTERN
    assert not EMAIL_PATTERN.fullmatch(address)
    assert EMAIL_PATTERN.fullmatch("inkoop@gemeente-noord.nl")
