"""Page-relative links: what every template link goes through."""

import posixpath
import random

import pytest

from sitegen.urls import absolute_url, relative_url


@pytest.mark.parametrize("from_page, to_path, pretty, files", [
    ("", "verhalen/x/", "verhalen/x/", "verhalen/x/index.html"),
    ("verhalen/x/", "verhalen/", "../", "../index.html"),
    ("verhalen/x/", "", "../../", "../../index.html"),
    ("verhalen/", "verhalen/", "./", "index.html"),
    ("verhalen/x/", "static/site.css", "../../static/site.css", "../../static/site.css"),
    ("verhalen/x/", "verhalen/x/#h-a", "./#h-a", "index.html#h-a"),
    ("kalender/", "kalender/#inkoop", "./#inkoop", "index.html#inkoop"),
    ("404.html", "verhalen/", "verhalen/", "verhalen/index.html"),
])
def test_relative_url(from_page, to_path, pretty, files):
    assert relative_url(from_page, to_path) == pretty
    assert relative_url(from_page, to_path, file_links=True) == files


def test_relative_urls_resolve_to_their_target():
    rng = random.Random(7)
    parts = ["verhalen", "ondernemers", "x", "y", "pagina", "2"]
    for _ in range(2000):
        page = "/".join(rng.choice(parts) for _ in range(rng.randrange(0, 4))) + "/"
        page = "" if page == "/" else page
        target = "/".join(rng.choice(parts) for _ in range(rng.randrange(0, 4)))
        target += rng.choice(["/", "/index.html", ".css"]) if target else ""
        link = relative_url(page, target)
        resolved = posixpath.normpath(posixpath.join("/" + page, link))
        assert resolved.rstrip("/") == ("/" + target).rstrip("/") or (target == "" and resolved == "/"), (page, target, link)


def test_absolute_url_keeps_the_sub_path():
    assert absolute_url("https://intranet.example.nl/sociaal-inkopen/", "verhalen/a/") == \
        "https://intranet.example.nl/sociaal-inkopen/verhalen/a/"
    assert absolute_url("https://intranet.example.nl/sociaal-inkopen", "feed.xml") == \
        "https://intranet.example.nl/sociaal-inkopen/feed.xml"
