"""Incremental builds of the search index: a cold build, rebuilds after one edited document,
and the size of the SearchCache kept between builds.

    python bench/search/incremental.py                      # 4,000 stories (about 5,600 documents)
    python bench/search/incremental.py --stories 20000 --workdir /tmp/sb --edits 50

The site comes from bench/generate.py and is built in process up to the `Site`; the documents
are those of sitegen.indexing.search_documents. Times are of build_search_files alone.
Every rebuild's files are compared with a build from an empty cache at the end of each part.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import pickle
import random
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO))

from sitegen.build import BuildOptions, build  # noqa: E402
from sitegen.errors import Problems  # noqa: E402
from sitegen.indexing import search_documents  # noqa: E402
from sitegen.render import load_strings  # noqa: E402
from sitegen.search import SearchCache, build_search_files, stem  # noqa: E402


def load_documents(stories: int, workdir: Path):
    source = workdir / f"site-{stories}"
    if not (source / "content").is_dir():
        subprocess.run([sys.executable, str(REPO / "bench" / "generate.py"), "--stories", str(stories), "--out",
                        str(source), "--flavour", "sitegen"], check=True, stdout=subprocess.DEVNULL)
    site = build(BuildOptions(source=source, output=source / "unused"), write=False).site
    text = load_strings(source / "templates", Problems())["search"]
    return search_documents(site), text


def timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - start, result


def edited(rng: random.Random, documents: list, number: int) -> list:
    """The documents with one body changed: a sentence added, with a new word every other time."""
    documents = list(documents)
    at = rng.randrange(len(documents))
    extra = " Een fietskoerier bracht de lunch." + (f" Nieuwwoord{number}." if number % 2 else "")
    documents[at] = dataclasses.replace(documents[at], body=documents[at].body + extra)
    return documents


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stories", type=int, default=4000)
    parser.add_argument("--edits", type=int, default=30, help="one-document rebuilds to time (default 30)")
    parser.add_argument("--repeats", type=int, default=3, help="cold builds to time (default 3)")
    parser.add_argument("--workdir", type=Path, help="keep the generated site here")
    args = parser.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="search-incremental-"))
    documents, text = load_documents(args.stories, workdir)
    rng = random.Random(1)
    gc.disable()  # as in sitegen.build
    rows = [("documents", f"{len(documents):,}")]

    colds = []
    for _ in range(args.repeats):
        stem.cache_clear()
        seconds, files = timed(build_search_files, documents, text, SearchCache())
        colds.append(seconds)
    rows.append(("cold build, empty cache (median)", ms(statistics.median(colds))))
    rows.append(("index files / postings shards", f"{len(files)} / {sum('/t-' in path for path in files)}"))

    stem.cache_clear()
    gc.collect()
    tracemalloc.start()
    cache = SearchCache()
    files = build_search_files(documents, text, cache)
    del files
    gc.collect()
    rows.append(("cache in memory after a cold build", f"{tracemalloc.get_traced_memory()[0] / 1e6:.1f} MB"))
    tracemalloc.stop()
    blob = pickle.dumps(cache, protocol=pickle.HIGHEST_PROTOCOL)
    rows.append(("cache pickled", f"{len(blob) / 1e6:.2f} MB ({len(blob) / len(documents):.0f} bytes per document)"))

    # In one process (sitegen serve): the cache stays in memory.
    current, times, changed = documents, [], []
    previous = build_search_files(current, text, cache)
    for number in range(args.edits):
        current = edited(rng, current, number)
        seconds, files = timed(build_search_files, current, text, cache)
        times.append(seconds)
        changed.append(sum(previous.get(path) != content for path, content in files.items()))
        previous = files
    assert previous == build_search_files(current, text), "rebuild differs from a build from scratch"
    rows.append((f"one edited document, cache in memory (median / max of {args.edits})",
                 f"{ms(statistics.median(times))} / {ms(max(times))}"))
    rows.append(("files rewritten per edit (median / max)", f"{statistics.median(changed):g} / {max(changed)}"))

    # One CLI run per edit: the cache comes from its pickle.
    times = []
    for number in range(5):
        loaded = pickle.loads(blob)
        current = edited(rng, documents, number)
        seconds, files = timed(build_search_files, current, text, loaded)
        times.append(seconds)
    assert files == build_search_files(current, text), "rebuild differs from a build from scratch"
    rows.append(("one edited document, cache unpickled (median of 5)", ms(statistics.median(times))))

    # A document added in the middle, then one removed: every document id after it moves.
    current = list(documents)
    current.insert(len(current) // 2, dataclasses.replace(documents[0], url="verhalen/nieuw/"))
    added, files = timed(build_search_files, current, text, cache)
    del current[len(current) // 3]
    removed, files = timed(build_search_files, current, text, cache)
    assert files == build_search_files(current, text), "rebuild differs from a build from scratch"
    rows.append(("one document added / removed", f"{ms(added)} / {ms(removed)}"))

    print(f"| {args.stories:,} stories | |\n|---|---:|")
    for name, value in rows:
        print(f"| {name} | {value} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
