"""Pictures: a JPEG or PNG an editor adds is made into a few widths and WebP at build time,
cached by its content in the user's cache folder, shown with srcset and its size; an image
too small for its place is a warning at its path; a rebuild after an image edit gives the
bytes of a clean build."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from PIL import Image

from sitegen.build import BuildOptions, build
from sitegen.cache import cache_root
from sitegen.errors import BuildFailed
from sitegen.images import svg_size, variant_widths
from sites import FIXED_TODAY, MINI, copy_site, read_tree, run_cli, snapshot
from test_dependencies import assert_equals_clean

CASE = "content/cases/soep-op-het-stadhuis.md"


def digest_of(path: Path) -> str:
    import hashlib
    return hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()


def photo(width: int, height: int, kind: str = "JPEG", shade: int = 0) -> bytes:
    """A camera-like picture: a gradient with a block, so resizing has something to do."""
    image = Image.new("RGB", (width, height), (40 + shade, 120, 90))
    for x in range(0, width, max(1, width // 64)):
        image.paste((x * 255 // width, 200 - shade, 60), (x, 0, x + max(1, width // 128), height))
    buffer = io.BytesIO()
    image.save(buffer, kind)
    return buffer.getvalue()


@pytest.fixture
def site(tmp_path):
    """The mini content with the repo's templates and a story with a 1600 px photo."""
    root = copy_site(tmp_path / "site", content=MINI / "content")
    (root / "content/media/stadhuis.jpg").write_bytes(photo(1600, 900))
    case = root / CASE
    case.write_text(case.read_text(encoding="utf-8").replace(
        "example: true\n", "example: true\nimage: {src: media/stadhuis.jpg, alt: Soep op tafel in het stadhuis}\n", 1),
        encoding="utf-8")
    return root


def options(root: Path, **extra) -> BuildOptions:
    return BuildOptions(source=root, output=root / "output", today=FIXED_TODAY, **extra)


def test_a_photo_is_made_into_widths_and_webp_and_shown_with_srcset(site):
    build(options(site))
    out = site / "output"
    for width in (320, 640, 960, 1280):
        for extension, format_name in ((".jpg", "JPEG"), (".webp", "WEBP")):
            variant = out / f"media/stadhuis-{width}w{extension}"
            with Image.open(variant) as image:
                assert image.format == format_name and image.size == (width, round(900 * width / 1600))
    assert not (out / "media/stadhuis-1600w.jpg").exists()  # never the camera size again
    html = (out / "verhalen/soep-op-het-stadhuis/index.html").read_text(encoding="utf-8")
    figure = re.search(r'<figure class="case-image">(.*?)</figure>', html, re.S).group(1)
    assert '<source type="image/webp"' in figure
    assert "../../media/stadhuis-320w.webp 320w, ../../media/stadhuis-640w.webp 640w" in figure
    img = re.search(r"<img [^>]*>", figure).group(0)
    assert 'src="../../media/stadhuis-1280w.jpg"' in img and 'width="1600" height="900"' in img
    assert 'alt="Soep op tafel in het stadhuis"' in img
    # On cards the picture loads lazily.
    card = re.search(r'<span class="card-picture">(.*?)</span>', (out / "verhalen/index.html").read_text(encoding="utf-8"))
    assert card and 'loading="lazy"' in card.group(1) and "stadhuis-640w.webp" in card.group(1)


def test_variants_are_cached_by_content_outside_the_site(site, tmp_path):
    content_before = snapshot(site / "content")
    build(options(site))
    cached = sorted((cache_root() / "images").glob(f"{digest_of(site / 'content/media/stadhuis.jpg')}-*"))
    assert len(cached) == 8 and all(not p.name.startswith(".") for p in cached)
    assert snapshot(site / "content") == content_before  # nothing written into the site
    # A second site with the same photo reuses the encoded bytes; a changed cache entry shows
    # that they were read, not made again.
    for entry in cached:
        if entry.name.endswith("-320.webp"):
            entry.write_bytes(photo(320, 180, "WEBP", shade=50))
            marked = entry.read_bytes()
    other = copy_site(tmp_path / "other", content=site / "content", templates=site / "templates")
    build(options(other))
    assert (other / "output/media/stadhuis-320w.webp").read_bytes() == marked
    # Without the cache, nothing is read from or written to it.
    build(BuildOptions(source=site, output=tmp_path / "plain", today=FIXED_TODAY, use_cache=False))
    assert (tmp_path / "plain/media/stadhuis-320w.webp").read_bytes() != marked


def test_a_small_photo_is_kept_at_its_size_and_warned_about_at_its_path(site, capsys):
    (site / "content/media/stadhuis.jpg").write_bytes(photo(500, 300))
    code, out, err = run_cli(capsys, "build", "--source", str(site))
    assert code == 0, err
    assert ("content/media/stadhuis.jpg:1:1: warning: deze afbeelding is 500 pixels breed; waar hij staat is "
            "720 pixels nodig (gebruik een grotere versie, liefst 1440 pixels breed, zodat hij scherp blijft)") in err
    assert sorted(p.name for p in (site / "output/media").glob("stadhuis-*")) == [
        "stadhuis-320w.jpg", "stadhuis-320w.webp", "stadhuis-500w.jpg", "stadhuis-500w.webp"]


def test_an_unreadable_photo_is_an_error_at_its_path(site, capsys):
    (site / "content/media/stadhuis.jpg").write_bytes(b"\xff\xd8\xff" + b"\x00" * 64)
    code, out, err = run_cli(capsys, "build", "--source", str(site))
    assert code == 1
    assert "content/media/stadhuis.jpg:1:1: error: deze afbeelding kan niet worden gelezen" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("memory", [False, True], ids=["cache-on-disk", "cache-in-memory"])
def test_replacing_a_photo_rebuilds_as_a_clean_build_would(site, tmp_path, memory):
    from sitegen.cache import BuildCache
    opts = options(site, use_cache=not memory)
    cache = BuildCache(key=opts.cache_key()) if memory else None
    build(opts, cache=cache)
    photo_path = site / "content/media/stadhuis.jpg"
    for step, data in enumerate((photo(1200, 1200, shade=30), photo(2000, 800, "JPEG", shade=60))):
        photo_path.write_bytes(data)
        os.utime(photo_path, ns=(photo_path.stat().st_mtime_ns + 10**9 * (step + 1),) * 2)
        assert_equals_clean(site, tmp_path, opts, cache, f"photo {step}")
    html = (site / "output/verhalen/soep-op-het-stadhuis/index.html").read_text(encoding="utf-8")
    assert 'width="2000" height="800"' in html


def test_widths_never_exceed_the_image():
    assert variant_widths(2000) == [320, 640, 960, 1280]
    assert variant_widths(1280) == [320, 640, 960, 1280]
    assert variant_widths(700) == [320, 640, 700]
    assert variant_widths(200) == [200]


def test_an_svg_gives_its_proportions_from_its_view_box():
    assert svg_size(b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 320"><rect/></svg>') == (640, 320)
    assert svg_size(b"<svg><rect/></svg>") is None


def test_a_check_reads_sizes_without_encoding(site, capsys):
    (site / "content/media/stadhuis.jpg").write_bytes(photo(1500, 1000, shade=77))  # in no cache yet
    code, out, err = run_cli(capsys, "check", "--source", str(site))
    assert code == 0, err
    assert not list((cache_root() / "images").glob(f"{digest_of(site / 'content/media/stadhuis.jpg')}-*"))
