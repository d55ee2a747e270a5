"""Headless Chromium for end-to-end tests (Debian's chromium, driven by playwright)."""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage"]


def find_chromium() -> str | None:
    configured = os.environ.get("SITEGEN_CHROMIUM")
    if configured and os.path.exists(configured):
        return configured
    for candidate in CHROMIUM_CANDIDATES:
        if os.path.exists(candidate):
            return candidate
    return shutil.which("chromium")


# Module scope: playwright's driver keeps a thread here while it runs, and a build forks its
# workers only while no other thread runs (workers.can_fork); later tests rely on that.
@pytest.fixture(scope="module")
def browser():
    executable = find_chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    if executable is None or sync_playwright is None:
        if os.environ.get("SITEGEN_REQUIRE_BROWSER"):
            pytest.fail("SITEGEN_REQUIRE_BROWSER is set but Chromium or playwright is missing")
        pytest.skip("no Chromium found (set SITEGEN_REQUIRE_BROWSER=1 to make this a failure)")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()
