"""Serve benchmark: time from saving a story to Chromium showing the new text.

Starts `python -m sitegen serve` on a synthetic site, opens a story in Chromium (playwright),
appends a sentence to the story file and waits until the page shows it; repeated, median and p95.

    python bench/serve_latency.py --stories 4000 --repeats 20
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
LIMIT_MS = 300.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_page(url: str, server: subprocess.Popen, timeout: float) -> None:
    """Poll until the server answers 200 for url (the first build of a big site takes a while)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"sitegen serve stopped with exit code {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile: with 10 runs, p95 is the slowest run."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * fraction // 1))
    return ordered[int(rank) - 1]


def measure(source: Path, slug: str, repeats: int = 20, port: int | None = None,
            startup_timeout: float = 900.0, edit_timeout: float = 10.0, code: Path = REPO) -> dict:
    """Serve source with the sitegen package found in `code`, edit content/cases/<slug>.md
    `repeats` times; latencies in milliseconds."""
    from playwright.sync_api import sync_playwright

    port = port or free_port()
    story = generate.story_file("sitegen", source, slug)
    url = f"http://127.0.0.1:{port}/verhalen/{slug}/"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(code), os.environ.get("PYTHONPATH")]))}
    log = (source / "serve.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "sitegen", "serve", "--source", str(source), "--port", str(port)],
        cwd=source, env=env, stdout=log, stderr=subprocess.STDOUT)
    latencies: list[float] = []
    try:
        started = time.perf_counter()
        wait_for_page(url, server, startup_timeout)
        first_build = time.perf_counter() - started
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(url)
            page.wait_for_load_state("networkidle")
            token = secrets.token_hex(3)
            # Run 0 is a warm-up (the reload connection settles, caches fill); it is not counted.
            for run in range(repeats + 1):
                marker = f"Meetwoord{token}x{run}"
                time.sleep(0.5)
                started = time.perf_counter()
                with story.open("a", encoding="utf-8") as file:
                    file.write(f"\nDeze zin is toegevoegd voor de meting: {marker}.\n")
                page.get_by_text(marker).first.wait_for(timeout=edit_timeout * 1000)
                elapsed_ms = (time.perf_counter() - started) * 1000
                if run:
                    latencies.append(elapsed_ms)
                print(f"    serve edit {run}: {elapsed_ms:6.0f} ms{' (warm-up)' if not run else ''}", flush=True)
            browser.close()
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
    return {
        "runs_ms": latencies,
        "median_ms": statistics.median(latencies),
        "p95_ms": percentile(latencies, 0.95),
        "max_ms": max(latencies),
        "first_build_s": first_build,
        "limit_ms": LIMIT_MS,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=4000, help="size of the generated site")
    parser.add_argument("--source", type=Path, help="use this sitegen source folder instead of generating one")
    parser.add_argument("--slug", help="story to edit (default: the middle story of the generated site)")
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--port", type=int)
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args(argv)

    workdir = None
    if args.source:
        source, slug = args.source, args.slug
        if not slug:
            parser.error("--slug is required with --source")
    else:
        workdir = Path(tempfile.mkdtemp(prefix="sitegen-serve-bench-"))
        source = workdir / "site"
        world = generate.generate(args.stories, source, "sitegen")
        slug = world.stories[args.stories // 2].slug
    try:
        result = measure(source, slug, args.repeats, args.port)
    finally:
        if workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    verdict = "PASS" if result["p95_ms"] <= LIMIT_MS else "FAIL"
    print(f"edit to browser over {args.repeats} runs: median {result['median_ms']:.0f} ms, "
          f"p95 {result['p95_ms']:.0f} ms, max {result['max_ms']:.0f} ms "
          f"(first build {result['first_build_s']:.1f} s) -> {verdict} (limit {LIMIT_MS:.0f} ms)")
    if args.json:
        args.json.write_text(json.dumps(result, indent=1))
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
