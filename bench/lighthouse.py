"""Lighthouse benchmark: the four category scores of the sample site's key pages.

Builds the repo's sample site into a temporary folder, serves it on 127.0.0.1 and runs
Lighthouse 12 (npm `lighthouse@12.2.3`, default mobile profile) against Debian's Chromium
on home, a story, the directory and a search; prints one row per page.

    CHROME_PATH=/usr/bin/chromium python bench/lighthouse.py [--lighthouse CMD] [--runs N] [--json DIR]

By default Lighthouse runs through `npx -y lighthouse@12.2.3`; `--lighthouse` names an
installed one instead (for example node_modules/.bin/lighthouse). With --runs above 1 each
score is the median of the runs, as Lighthouse's own docs advise for performance.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import http.server
import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sitegen.build import BuildOptions, build  # noqa: E402

PAGES = {"home": "", "story": "verhalen/koffiepakketten-lindendal/", "directory": "ondernemers/",
         "search": "zoeken/?q=catering"}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME_FLAGS = "--headless=new --no-sandbox"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - keep the table readable
        pass


def build_sample(folder: Path) -> Path:
    """The sample site, built as a publisher would (the repo's content and templates)."""
    output = folder / "output"
    build(BuildOptions(source=REPO, output=output, today=dt.date.today(), use_cache=False))
    return output


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def run_lighthouse(command: list[str], url: str, report: Path) -> dict[str, int]:
    subprocess.run([*command, url, "--quiet", "--output=json", f"--output-path={report}",
                    f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}"],
                   check=True, env={**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")})
    result = json.loads(report.read_text(encoding="utf-8"))
    return {name: round(result["categories"][name]["score"] * 100) for name in CATEGORIES}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lighthouse", default="npx -y lighthouse@12.2.3", help="command that runs Lighthouse")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--json", type=Path, help="keep the Lighthouse reports in this folder")
    args = parser.parse_args(argv)
    command = shlex.split(args.lighthouse)
    with tempfile.TemporaryDirectory(prefix="sitegen-lighthouse-") as temporary:
        folder = Path(temporary)
        server, base = serve(build_sample(folder))
        reports = args.json or folder / "reports"
        reports.mkdir(parents=True, exist_ok=True)
        print(f"{'page':<10} " + " ".join(f"{name:>15}" for name in CATEGORIES))
        try:
            for page, path in PAGES.items():
                runs = [run_lighthouse(command, base + path, reports / f"{page}-{run}.json") for run in range(args.runs)]
                scores = {name: round(statistics.median(r[name] for r in runs)) for name in CATEGORIES}
                print(f"{page:<10} " + " ".join(f"{scores[name]:>15}" for name in CATEGORIES), flush=True)
        finally:
            server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
