"""Shared fixtures: building sites into temporary folders and serving them locally."""

from __future__ import annotations

import functools
import http.server
import os
import tempfile
import threading
from pathlib import Path

import pytest

from sitegen.build import BuildOptions, build
from sites import FIXED_TODAY, REPO, copy_site  # noqa: F401 - also imported from here by older tests

# Builds keep their state in the user's cache folder; the tests' builds keep theirs apart.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="sitegen-test-cache-")


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    """The repo's sample site, built once per session into a temporary folder."""
    root = copy_site(tmp_path_factory.mktemp("sample"))
    build(BuildOptions(source=root, output=root / "output", today=FIXED_TODAY))
    return root / "output"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - keep test output readable
        pass


# Module scope: the servers' threads end with the module, because a build forks its workers
# only while no other thread runs (workers.can_fork) and later tests rely on that.
@pytest.fixture(scope="module")
def serve_directory():
    """Start a static file server on 127.0.0.1 for a folder; returns its base URL."""
    servers = []

    def start(directory: Path, prefix: str = "") -> str:
        handler = functools.partial(QuietHandler, directory=str(directory))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/{prefix}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def sample_url(sample_site, serve_directory) -> str:
    return serve_directory(sample_site)
