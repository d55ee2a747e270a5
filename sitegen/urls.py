"""URL helpers shared by the model and the templates.

Every internal link is written relative to the page it is on, so one build works at the
root of a domain, under a sub-path, and opened straight from disk."""

from __future__ import annotations

import posixpath
import urllib.parse


def relative_url(from_page: str, to_path: str, file_links: bool = False) -> str:
    """Link from page `from_page` to site path `to_path` (both without a leading slash).

    Directory paths end in '/'; with `file_links` they point at their index.html, which
    is what a browser needs when the site is opened from a file share."""
    to_path, _, fragment = to_path.lstrip("/").partition("#")
    from_dir = posixpath.dirname(from_page.lstrip("/")) if not from_page.endswith("/") else from_page.lstrip("/").rstrip("/")
    target = to_path or "./"
    relative = posixpath.relpath("/" + target, "/" + from_dir) if from_dir or target != "./" else "."
    if to_path.endswith("/") or to_path == "":
        relative = relative.rstrip("/") + "/"
        if relative == "./" and from_dir == to_path.rstrip("/"):
            relative = "./"
        if file_links:
            relative += "index.html"
    if relative.startswith("./") and len(relative) > 2:
        relative = relative[2:]
    return relative + (f"#{fragment}" if fragment else "")


def absolute_url(base_url: str, path: str) -> str:
    """Full URL for link previews, feeds and sitemaps."""
    return urllib.parse.urljoin(base_url if base_url.endswith("/") else base_url + "/", path.lstrip("/"))
