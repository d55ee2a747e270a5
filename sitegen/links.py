"""Render helper: the links of one page, relative to it or absolute, made quickly.

Hands `page_linker` (for `url()`) and `absolute_linker` (for `abs_url()`) on to render.py."""

from __future__ import annotations

import re
from typing import Callable

from .urls import absolute_url, relative_url


def page_linker(page_url: str, file_links: bool = False) -> Callable[[str], str]:
    """relative_url(page_url, path, file_links) for the many links of one page.

    Most links leave the page's top folder (static files, the menu, other sections): those are
    the way up plus the path, with no folders to compare; the rest go through relative_url."""
    folders = page_url.lstrip("/").split("/")[:-1]
    up = "../" * len(folders)
    top = folders[0] + "/" if folders else ""

    def link(path: str) -> str:
        target = path.lstrip("/")
        if "#" in target or (top and target.startswith(top)):
            return relative_url(page_url, path, file_links)
        relative = up + target
        if target.endswith("/") or not target:
            relative = relative or "./"
            if file_links:
                relative = (relative if relative != "./" else "") + "index.html"
        return relative

    return link


# Targets that are not paths on this site: url() leaves them as they are.
EXTERNAL = ("http://", "https://", "mailto:", "tel:")
# Folders and a file name, none of them "." or "..": urljoin would only append these to the base.
_PLAIN_PATH = re.compile(r"(?:[A-Za-z0-9_~-][A-Za-z0-9_.~-]*/)*(?:[A-Za-z0-9_~-][A-Za-z0-9_.~-]*)?")
_PLAIN_BASE = re.compile(r"https?://[^/?#]+/(?:[A-Za-z0-9_~-][A-Za-z0-9_.~-]*/)*")


def absolute_linker(base_url: str) -> Callable[[str], str]:
    """absolute_url(base_url, path), without urljoin for the plain paths of pages and files."""
    plain = _PLAIN_BASE.fullmatch(base_url) is not None

    def link(path: str) -> str:
        target = path.lstrip("/")
        if plain and _PLAIN_PATH.fullmatch(target):
            return base_url + target
        return absolute_url(base_url, path)

    return link
