"""Search benchmark: sitegen's search against Pagefind on the same built site.

    python bench/search/run.py                       # ~100 and ~2,000 items
    python bench/search/run.py --stories 65 1400 --markdown out.md --json out.json

For each size: generate a synthetic site (bench/generate.py), build it with sitegen, index
the built HTML with Pagefind (PyPI `pagefind[bin]`, item pages only, root <main>), serve
the folder on 127.0.0.1 with gzip like a static host, and measure in Chromium:

- bytes of search files transferred until the first query shows its results (median of
  5 queries, each in a fresh browser context): sitegen on its /zoeken/ page and from the
  header field of the home page, Pagefind through its JS API showing 10 results;
- index build time (median of 3);
- query latency while typing: every prefix of every query, from the input event until
  the results are in the DOM (median and 95th percentile);
- recall on the Dutch query set of queries.py.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

from queries import query_set  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
TEXT_TYPES = (".html", ".js", ".css", ".json", ".svg", ".xml", ".txt", ".ics")
ITEM_FOLDERS = ("verhalen", "ondernemers", "organisaties", "bijeenkomsten", "tips")


# ------------------------------------------------------------------------ serving


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files; text files gzipped (level 6) when the browser accepts it, as GitHub
    Pages and most intranet servers do. Pagefind's own files are already compressed."""

    cache: dict[str, bytes] = {}
    protocol_version = "HTTP/1.1"  # keep connections open, as any real web server does
    disable_nagle_algorithm = True  # else headers and body in two writes wait for a delayed ACK

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix in TEXT_TYPES and path.is_file() and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = self.cache.get(str(path))
            if body is None:
                body = self.cache[str(path)] = gzip.compress(path.read_bytes(), 6)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return _Body(body)
        return super().send_head()

    def log_message(self, format, *args):  # noqa: A002
        pass


class _Body:
    def __init__(self, data: bytes):
        self.data = data

    def read(self, *_):
        data, self.data = self.data, b""
        return data

    def close(self):
        pass


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    GzipHandler.cache = {}
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


# ------------------------------------------------------------------------ building


def generate_and_build(stories: int, workdir: Path) -> Path:
    source = workdir / f"site-{stories}"
    subprocess.run([sys.executable, str(REPO / "bench" / "generate.py"), "--stories", str(stories), "--out",
                    str(source), "--flavour", "sitegen"], check=True, stdout=subprocess.DEVNULL)
    subprocess.run([sys.executable, "-m", "sitegen", "build", "--source", str(source), "--output",
                    str(source / "output")], check=True, cwd=REPO, stdout=subprocess.DEVNULL)
    return source


def sitegen_index_time(source: Path, repeats: int = 3) -> tuple[float, int]:
    """Seconds to turn the finished Site into the index files (median), and the item count."""
    from sitegen.build import BuildOptions, build
    from sitegen.errors import Problems
    from sitegen.indexing import search_documents
    from sitegen.render import load_strings
    from sitegen.search import build_search_files, stem

    site = build(BuildOptions(source=source, output=source / "unused"), write=False).site
    text = load_strings(source / "templates", Problems())["search"]
    times = []
    for _ in range(repeats):
        stem.cache_clear()
        start = time.perf_counter()
        documents = search_documents(site)
        build_search_files(documents, text)
        times.append(time.perf_counter() - start)
    return statistics.median(times), len(documents)


def pagefind_glob(source: Path) -> str:
    pages = sorted(path.stem for path in (source / "content" / "pages").glob("*.md"))
    return "{" + ",".join([f"{folder}/*" for folder in ITEM_FOLDERS] + pages) + "}/index.html"


def pagefind_index(source: Path, repeats: int = 3) -> float:
    output = source / "output"
    times = []
    for _ in range(repeats):
        shutil.rmtree(output / "pagefind", ignore_errors=True)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "pagefind", "--site", str(output), "--root-selector", "main",
                        "--glob", pagefind_glob(source), "--silent"], check=True)
        times.append(time.perf_counter() - start)
    for name in ("pagefind-bench.html", "pagefind-bench.js"):
        shutil.copy(HERE / "harness" / name, output / name)
    return statistics.median(times)


def gzip_size(folder: Path) -> int:
    total = 0
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            total += len(gzip.compress(data, 6)) if path.suffix in TEXT_TYPES else len(data)
    return total


# ------------------------------------------------------------------------ measuring

# Sets a query in the search page's field and resolves when the results are in the DOM.
SITEGEN_QUERY_JS = """async (query) => {
  const box = document.getElementById('search-results');
  const input = document.getElementById('search-query');
  const start = performance.now();
  const done = new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (box.getAttribute('aria-busy') === 'false') { observer.disconnect(); resolve(); }
    });
    observer.observe(box, { attributes: true, attributeFilter: ['aria-busy'] });
  });
  input.value = query;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  await done;
  return { ms: performance.now() - start, total: box.querySelectorAll('.search-result').length };
}"""

SITEGEN_URLS_JS = """async ([query, limit]) => {
  const found = await SitegenSearch.search(query);
  const results = limit ? found.results.slice(0, limit) : found.results;
  return Promise.all(results.map(async (result) => (await result.data()).href));
}"""


def is_search_file(url: str, engine: str) -> bool:
    if engine == "pagefind":
        return "/pagefind/" in url
    return "/static/search" in url or "/zoeken/index" in url


def first_query_bytes(browser, base: str, engine: str, query: str) -> tuple[int, int]:
    """Bytes (body + headers, as transferred) of the search files, and request count."""
    context = browser.new_context()
    page = context.new_page()
    sizes = []

    def finished(request):
        if is_search_file(request.url, engine):
            info = request.sizes()
            sizes.append(info["responseBodySize"] + info["responseHeadersSize"])

    page.on("requestfinished", finished)
    if engine == "pagefind":
        page.goto(base + "pagefind-bench.html")
        page.wait_for_function("() => window.benchReady === true")
        page.evaluate("(query) => benchShow(query)", query)
    elif engine == "sitegen-page":
        page.goto(base + "zoeken/")
        page.fill("#search-query", query)
        page.wait_for_function("() => document.querySelector('#search-results .search-result') && "
                               "document.getElementById('search-results').getAttribute('aria-busy') === 'false'")
    else:  # the header field on the home page
        page.goto(base)
        page.click("#site-search")
        page.keyboard.type(query)
        page.wait_for_selector(".search-dropdown__list a")
    page.wait_for_timeout(300)  # let any request that is still finishing report its size
    context.close()
    return sum(sizes), len(sizes)


def typing_prefixes(queries) -> list[str]:
    prefixes = []
    for query in queries:
        prefixes += [query.text[:end] for end in range(2, len(query.text) + 1) if query.text[end - 1] != " "]
    return prefixes


def latencies(browser, base: str, engine: str, texts: list[str]) -> list[float]:
    context = browser.new_context()
    page = context.new_page()
    if engine == "pagefind":
        page.goto(base + "pagefind-bench.html")
        page.wait_for_function("() => window.benchReady === true")
        run = "(query) => benchShow(query)"
        page.evaluate(run, "inkoop")  # load the engine first, as a reader's first query does
    else:
        page.goto(base + "zoeken/")
        run = SITEGEN_QUERY_JS
        page.evaluate(run, "inkoop")
    timings = [page.evaluate(run, text)["ms"] for text in texts]
    context.close()
    return timings


def recall(browser, base: str, engine: str, queries) -> dict[str, float]:
    context = browser.new_context()
    page = context.new_page()
    if engine == "pagefind":
        page.goto(base + "pagefind-bench.html")
        page.wait_for_function("() => window.benchReady === true")
        fetch_urls = "([query, limit]) => benchUrls(query, limit)"
    else:
        page.goto(base + "zoeken/")
        fetch_urls = SITEGEN_URLS_JS
    per_kind: dict[str, list[float]] = {}
    details = []
    for query in queries:
        urls = page.evaluate(fetch_urls, [query.text, query.top])
        found = {url.removeprefix(base).lstrip("/") for url in urls}
        score = len(found & query.expected) / len(query.expected)
        per_kind.setdefault(query.kind, []).append(score)
        details.append({"query": query.text, "kind": query.kind, "expected": len(query.expected),
                        "recall": round(score, 3), "returned": len(urls)})
    context.close()
    summary = {kind: statistics.mean(scores) for kind, scores in per_kind.items()}
    summary["all"] = statistics.mean(score for scores in per_kind.values() for score in scores)
    return {"summary": summary, "queries": details}


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))]


def measure_size(stories: int, workdir: Path, browser) -> dict:
    source = generate_and_build(stories, workdir)
    output = source / "output"
    sitegen_seconds, items = sitegen_index_time(source)
    pagefind_seconds = pagefind_index(source)
    queries = query_set(source / "content")
    server, base = serve(output)
    try:
        first_queries = [query.text for query in queries if query.kind == "word-forms"][:5]
        bytes_first = {}
        for engine in ("sitegen-page", "sitegen-header", "pagefind"):
            runs = [first_query_bytes(browser, base, engine, text) for text in first_queries]
            bytes_first[engine] = {"median": statistics.median(size for size, _ in runs),
                                   "max": max(size for size, _ in runs),
                                   "requests": statistics.median(count for _, count in runs)}
        texts = typing_prefixes(queries)
        latency = {}
        for engine in ("sitegen", "pagefind"):
            timings = latencies(browser, base, engine, texts)
            latency[engine] = {"median": statistics.median(timings), "p95": percentile(timings, 0.95),
                               "max": max(timings), "count": len(timings)}
        recalls = {engine: recall(browser, base, engine, queries) for engine in ("sitegen", "pagefind")}
    finally:
        server.shutdown()
        server.server_close()
    sitegen_size = gzip_size(output / "zoeken") - len(gzip.compress((output / "zoeken" / "index.html").read_bytes(), 6))
    return {
        "stories": stories,
        "items": items,
        "queries": len(queries),
        "index_seconds": {"sitegen": sitegen_seconds, "pagefind": pagefind_seconds},
        "index_gzip_bytes": {"sitegen": sitegen_size, "pagefind": gzip_size(output / "pagefind")},
        "index_gzip_bytes_per_100_items": {"sitegen": sitegen_size * 100 / items},
        "first_query_bytes": bytes_first,
        "latency_ms": latency,
        "recall": recalls,
    }


# ------------------------------------------------------------------------ reporting


def kb(size: float) -> str:
    return f"{size / 1024:.1f} KB"


def markdown(results: list[dict], command: str) -> str:
    lines = [f"Command: `{command}`", "",
             "| items | measure | sitegen | Pagefind | target | verdict |",
             "|---:|---|---:|---:|---|---|"]
    verdicts = []
    for result in results:
        n = result["items"]
        first = result["first_query_bytes"]
        page_bytes, header_bytes, pf_bytes = (first["sitegen-page"]["median"], first["sitegen-header"]["median"],
                                              first["pagefind"]["median"])
        ok = page_bytes <= pf_bytes and header_bytes <= pf_bytes
        verdicts.append(ok)
        lines.append(f"| {n} | bytes until first results, search page (median of 5) | {kb(page_bytes)} "
                     f"({first['sitegen-page']['requests']:.0f} files) | {kb(pf_bytes)} "
                     f"({first['pagefind']['requests']:.0f} files) | ≤ Pagefind | {'PASS' if ok else 'FAIL'} |")
        lines.append(f"| {n} | bytes until first results, header field (median of 5) | {kb(header_bytes)} "
                     f"({first['sitegen-header']['requests']:.0f} files) | | ≤ Pagefind | |")
        seconds = result["index_seconds"]
        lines.append(f"| {n} | index build time | {seconds['sitegen'] * 1000:.0f} ms | "
                     f"{seconds['pagefind'] * 1000:.0f} ms | | |")
        sizes = result["index_gzip_bytes"]
        lines.append(f"| {n} | whole index, gzip | {kb(sizes['sitegen'])} "
                     f"({kb(result['index_gzip_bytes_per_100_items']['sitegen'])} per 100 items) | "
                     f"{kb(sizes['pagefind'])} | | |")
        latency = result["latency_ms"]
        p95_ok = latency["sitegen"]["p95"] <= 30 or n < 1000
        if n >= 1000:
            verdicts.append(p95_ok)
        lines.append(f"| {n} | query latency while typing, median / p95 ({latency['sitegen']['count']} queries) | "
                     f"{latency['sitegen']['median']:.1f} / {latency['sitegen']['p95']:.1f} ms | "
                     f"{latency['pagefind']['median']:.1f} / {latency['pagefind']['p95']:.1f} ms | "
                     f"{'p95 ≤ 30 ms' if n >= 1000 else ''} | {('PASS' if p95_ok else 'FAIL') if n >= 1000 else ''} |")
        ours, theirs = result["recall"]["sitegen"]["summary"], result["recall"]["pagefind"]["summary"]
        ok = ours["all"] >= theirs["all"]
        verdicts.append(ok)
        lines.append(f"| {n} | recall, all {result['queries']} queries | {ours['all']:.2f} | {theirs['all']:.2f} | "
                     f"≥ Pagefind | {'PASS' if ok else 'FAIL'} |")
        for kind in ("known-item", "facet-words", "word-forms"):
            lines.append(f"| {n} | recall, {kind} | {ours[kind]:.2f} | {theirs[kind]:.2f} | | |")
    return "\n".join(lines) + "\n", all(verdicts)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stories", type=int, nargs="+", default=[65, 1400],
                        help="stories per site; items are about 1.4 times as many (default: 65 1400)")
    parser.add_argument("--workdir", type=Path, help="keep the generated sites here")
    parser.add_argument("--markdown", type=Path, help="write the results table here")
    parser.add_argument("--json", type=Path, help="write all figures here")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="search-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    results = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for stories in args.stories:
            print(f"measuring {stories} stories ...", file=sys.stderr)
            results.append(measure_size(stories, workdir, browser))
        browser.close()
    if not args.workdir:
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"load average after the run: {' '.join(f'{x:.1f}' for x in os.getloadavg())} "
          f"on {os.cpu_count()} cores", file=sys.stderr)
    command = "python bench/search/run.py" + (f" --stories {' '.join(map(str, args.stories))}"
                                               if args.stories != [65, 1400] else "")
    table, passed = markdown(results, command)
    print(table)
    if args.markdown:
        args.markdown.write_text(table, encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
