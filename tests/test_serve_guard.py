"""The preview server against malformed paths and pages of other origins."""

from __future__ import annotations

import asyncio
import socket
import threading
import urllib.error
import urllib.request

import pytest

from sites import copy_mini


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = copy_mini(tmp_path_factory.mktemp("serve") / "site")
    output = root / "output"
    from sitegen.cli import main
    assert main(["build", "--source", str(root)]) == 0
    from sitegen.serve import make_application
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    started = threading.Event()
    loop_box = {}

    def run():
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        make_application(None, output, "127.0.0.1", port).listen(port, address="127.0.0.1")
        loop_box["loop"] = loop
        started.set()
        loop.run_forever()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    started.wait(10)
    yield port
    loop_box["loop"].call_soon_threadsafe(loop_box["loop"].stop)
    thread.join(10)


def status(port: int, path: str) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}") as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.parametrize("path", ["/%00", "/index.html%00", "/%2e%2e/%2e%2e/etc/passwd", "/..%5c..%5cx", "/%ff%fe",
                                  "/verhalen/%0a", "/%c0%ae%c0%ae/"])
def test_malformed_paths_are_not_found(server, path):
    assert status(server, path) == 404


def test_pages_are_served(server):
    assert status(server, "/") == 200


@pytest.mark.parametrize("origin, accepted", [
    (None, True), ("http://localhost:{port}", False), ("http://localhost", False), ("http://127.0.0.1:1", False),
    ("http://evil.example", False), ("http://127.0.0.1:{port}", True)])
def test_the_websocket_accepts_only_the_served_origin(server, origin, accepted):
    from tornado import httpclient, websocket

    async def connect():
        headers = {"Origin": origin.format(port=server)} if origin else {}
        request = httpclient.HTTPRequest(f"ws://127.0.0.1:{server}/livereload", headers=headers)
        try:
            connection = await websocket.websocket_connect(request)
        except httpclient.HTTPClientError:
            return False
        connection.close()
        return True

    assert asyncio.run(connect()) is accepted
