"""`sitegen serve` in a real browser: live reload, the error overlay, and what it refuses."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sites import copy_mini

CASE = "content/cases/soep-op-het-stadhuis.md"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def served(tmp_path):
    root = copy_mini(tmp_path / "site")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "sitegen", "serve", "--source", str(root), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if "127.0.0.1" in line or process.poll() is not None:
            break
    assert process.poll() is None, "serve did not start"
    yield root, f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


def raw_get(base: str, path: str, host: str | None = None) -> int:
    address = base.split("//", 1)[1]
    connection = http.client.HTTPConnection(address, timeout=10)
    connection.putrequest("GET", path, skip_host=host is not None)
    if host is not None:
        connection.putheader("Host", host)
    connection.endheaders()
    status = connection.getresponse().status
    connection.close()
    return status


def test_edit_reloads_the_page_and_errors_show_as_an_overlay(served, page):
    root, base = served
    page.goto(f"{base}/verhalen/soep-op-het-stadhuis/")
    page.wait_for_function("() => window.performance && document.readyState === 'complete'")
    page.wait_for_timeout(300)  # the live-reload socket connects after load
    edit(root, CASE, "Drie mensen hebben nu werk.", "Vier mensen hebben nu werk.")
    page.wait_for_selector("text=Vier mensen hebben nu werk.", timeout=10_000)

    edit(root, CASE, "category: catering", "category: cateirng")
    overlay = page.wait_for_selector("#sitegen-problems", timeout=10_000)
    text = overlay.inner_text()
    assert f"{CASE}:7:11" in text and "bedoelde je 'catering'?" in text
    assert page.get_by_text("Vier mensen hebben nu werk.").is_visible()  # the last good build stays

    page.reload()
    page.wait_for_selector("#sitegen-problems", timeout=10_000)  # a fresh page also learns of the errors

    edit(root, CASE, "category: cateirng", "category: catering")
    page.wait_for_selector("#sitegen-problems", state="detached", timeout=10_000)


def test_served_pages_have_the_client_but_built_pages_do_not(served):
    root, base = served
    html = (root / "output/index.html").read_text(encoding="utf-8")
    assert "__sitegen__" not in html and "livereload" not in html
    connection = http.client.HTTPConnection(base.split("//", 1)[1], timeout=10)
    connection.request("GET", "/")
    assert b"/__sitegen__/live.js" in connection.getresponse().read()


@pytest.mark.parametrize("path", ["/../../etc/passwd", "/%2e%2e%2f%2e%2e%2fetc/passwd", "/..%2f..%2fcontent/site.yaml",
                                  "/static/../../content/site.yaml", "/%2E%2E/templates/home.html"])
def test_nothing_outside_the_output_folder_is_served(served, path):
    _, base = served
    assert raw_get(base, path) == 404


def test_foreign_host_headers_are_refused(served):
    _, base = served
    port = base.rsplit(":", 1)[1]
    assert raw_get(base, "/", host=f"evil.example:{port}") == 403
    assert raw_get(base, "/", host=f"localhost:{port}") == 200


def test_styles_revalidate_and_a_changed_style_comes_through(served):
    """Pages are never cached; a style sheet may be, but the browser must ask, and an edit
    within the same second still gives another ETag."""
    root, base = served
    address = base.split("//", 1)[1]

    def get(path: str, etag: str | None = None):
        connection = http.client.HTTPConnection(address, timeout=10)
        connection.request("GET", path, headers={"If-None-Match": etag} if etag else {})
        response = connection.getresponse()
        body = response.read()
        connection.close()
        return response.status, response.getheader("ETag"), response.getheader("Cache-Control"), body

    status, etag, cache_control, _ = get("/static/site.css")
    assert status == 200 and etag and cache_control == "no-cache"
    assert get("/static/site.css", etag)[0] == 304
    assert get("/")[2] == "no-store"

    css = root / "templates/static/site.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n.nieuw { color: #000; }\n", encoding="utf-8")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        status, new_etag, _, body = get("/static/site.css", etag)
        if status == 200:
            break
        time.sleep(0.05)
    assert status == 200 and new_etag != etag and b".nieuw" in body
