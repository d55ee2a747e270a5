"""Search benchmark, A/B: typing latency of two builds of the same site, interleaved.

    python bench/search/compare.py /tmp/sb-main/site-1400 /tmp/sb-new/site-1400 --rounds 4

Each folder is a site from bench/generate.py built into its output/ (run.py --workdir
leaves them there). Both are served side by side and typed into in one Chromium, every
prefix of the query set per round, alternating which goes first, so that the load of a
shared machine falls on both alike; run.py's separate runs compare only on a quiet one."""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

from run import CHROMIUM, CHROMIUM_ARGS, latencies, percentile, query_set, serve, typing_prefixes


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path, help="generated site (with output/) of the first build")
    parser.add_argument("after", type=Path, help="the same site built by the other version")
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    texts = typing_prefixes(query_set(args.before / "content"))
    servers = {name: serve(folder / "output") for name, folder in (("before", args.before), ("after", args.after))}
    timings: dict[str, list[float]] = {name: [] for name in servers}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for round_number in range(args.rounds):
                order = ("before", "after") if round_number % 2 == 0 else ("after", "before")
                for name in order:
                    timings[name] += latencies(browser, servers[name][1], "sitegen", texts)
            browser.close()
    finally:
        for server, _ in servers.values():
            server.shutdown()
    for name, values in timings.items():
        print(f"{name}: median {statistics.median(values):.1f} ms, p95 {percentile(values, 0.95):.1f} ms "
              f"({len(values)} queries)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
