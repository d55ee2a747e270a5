"""The command line: parses arguments and calls library functions. `sitegen build` first
offers its work to a build server that holds the site (daemon.py), and may leave one behind."""

from __future__ import annotations

import argparse
import os
import sys

from . import CACHE_FOLDER, __version__, code_stats, daemon

# The rest (pathlib too) is imported where it is used: `sitegen build` with a build server
# running should spend its few milliseconds on the request, not on imports.
TYPE_CHECKING = False
if TYPE_CHECKING:  # for the annotations
    from pathlib import Path


def _source(path: str) -> str:
    return os.path.realpath(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sitegen", description="Bouwt de etalage voor sociaal inkopen uit content/ en templates/.")
    parser.add_argument("--version", action="version", version=f"sitegen {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    build = commands.add_parser("build", help="bouw de site in output/")
    _common(build)
    build.add_argument("--output", help="uitvoermap (standaard: <bron>/output)")
    build.add_argument("--base-url", help="adres van de site, overschrijft base_url uit site.yaml")
    build.add_argument("--drafts", action="store_true", help="neem concepten en verhalen met een datum in de toekomst mee")
    build.add_argument("--file-links", action="store_true", help="links eindigen op index.html, om de site vanaf schijf te openen")
    build.add_argument("--max-memory", type=int, default=1000, metavar="MB",
                       help="bouw met minder processen als het geheugen anders boven MB komt (standaard 1000)")
    build.add_argument("--no-daemon", action="store_true",
                       help="start geen bouwserver en gebruik er geen (ook: SITEGEN_DAEMON=0; op CI staat hij uit)")

    check = commands.add_parser("check", help="controleer alle inhoud zonder iets te schrijven")
    _common(check)
    check.add_argument("--drafts", action="store_true", help="controleer ook concepten als pagina")

    new = commands.add_parser("new", help="maak een nieuw inhoudsbestand met alle velden")
    new.add_argument("kind", choices=["case", "enterprise", "organisation", "procurement", "event"], help="soort inhoud")
    new.add_argument("title", help="titel of naam; hieruit komt de bestandsnaam")
    new.add_argument("--source", default=".", help="bronmap met content/ (standaard: huidige map)")

    schema = commands.add_parser("schema", help="schrijf JSON Schema's voor hulp in je editor")
    schema.add_argument("--source", default=".", help="bronmap met content/ (standaard: huidige map)")
    schema.add_argument("--output", help="map voor de schema's (standaard: <bron>/.vscode/schemas)")

    serve = commands.add_parser("serve", help="bouw en bekijk de site op http://127.0.0.1:8000")
    _common(serve)
    serve.add_argument("--port", type=int, default=8000, help="poort (standaard 8000)")
    serve.add_argument("--host", default="127.0.0.1", help="adres om op te luisteren (standaard 127.0.0.1)")
    serve.add_argument("--output", help="uitvoermap (standaard: <bron>/output)")
    serve.add_argument("--drafts", action="store_true", help="toon ook concepten")
    serve.add_argument("--open", action="store_true", help="open de site in je browser")

    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    return COMMANDS[args.command](args)


def _common(command: argparse.ArgumentParser) -> None:
    command.add_argument("--source", default=".", help="bronmap met content/ en templates/ (standaard: huidige map)")
    command.add_argument("--strict", action="store_true", help="waarschuwingen tellen als fouten")


def _options(args):
    return options_from(_option_fields(args))


def _option_fields(args) -> dict:
    """The build options of a command, as plain data that can go to a build server."""
    output = getattr(args, "output", None)
    return {"source": _source(args.source), "output": _source(output) if output else None,
            "base_url": getattr(args, "base_url", None), "drafts": args.drafts, "strict": args.strict,
            "file_links": getattr(args, "file_links", False), "memory_budget_mb": getattr(args, "max_memory", 1000)}


def options_from(fields: dict):
    from pathlib import Path

    from .config import BuildOptions
    return BuildOptions(**{**fields, "source": Path(fields["source"]),
                           "output": Path(fields["output"]) if fields["output"] else None})


def _report_failure(error, err=None, github: bool | None = None) -> int:
    from .errors import format_report
    err = err or sys.stderr
    print(format_report(error.problems, github), file=err)
    errors = sum(1 for p in error.problems if p.severity == "error")
    print(f"{errors} fout(en) gevonden; er is niets geschreven.", file=err)
    return 1


def _report_warnings(result, err=None, github: bool | None = None) -> None:
    if result.warnings:
        from .errors import format_report
        print(format_report(result.warnings, github), file=err or sys.stderr)


def _next_change(next_change, out=None) -> None:
    if next_change:
        print(f"De uitvoer verandert op {next_change.isoformat()}: bouw de site dan opnieuw.", file=out or sys.stdout)


def cmd_build(args) -> int:
    fields = _option_fields(args)
    cache_folder = os.path.join(fields["source"], CACHE_FOLDER)
    with_server = daemon.enabled(args.no_daemon)
    if with_server:  # a build server that holds this site's last build does it many times faster
        reply = daemon.ask(cache_folder, server_request(fields))
        if reply is not None:
            sys.stdout.write(reply.get("out", ""))
            sys.stderr.write(reply.get("err", ""))
            return int(reply.get("code", 1))
    from .cache import CACHE_FILE, BuildCache, unchanged_summary
    options = options_from(fields)
    # Checked before the pipeline is even imported, so a build with nothing to do is instant.
    summary = unchanged_summary(options.source, options.output_dir, options.cache_key())
    if summary is not None:
        print(f"Niets veranderd sinds de vorige keer: {summary['pages']} pagina's in {options.output_dir}.")
        _next_change(summary.get("next_change"))
        return 0
    if not with_server:
        return build_and_report(options, None, sys.stdout, sys.stderr)
    cache = BuildCache.load(options.source, options.cache_key())
    code = build_and_report(options, cache, sys.stdout, sys.stderr)
    server_cache = options.source / CACHE_FOLDER
    if code == 0 and daemon.start(server_cache, server_cache / CACHE_FILE, server_handler(cache, options.source)):
        SHARED_WITH_SERVER.append(cache)
        minutes = daemon.IDLE_SECONDS // 60
        print(f"Een bouwserver houdt deze build nog {minutes} minuten vast, zodat de volgende build sneller is "
              "(uitzetten: --no-daemon).")
    return code


def build_and_report(options, cache, out, err, github: bool | None = None) -> int:
    """Build, print what happened to `out` and `err` (with GitHub annotations if `github`;
    None: when running in GitHub Actions), and return the exit code."""
    from .build import BuildFailed, build
    try:
        result = build(options, cache=cache)
    except BuildFailed as error:
        return _report_failure(error, err, github)
    _report_warnings(result, err, github)
    if result.site is None:
        print(f"Niets veranderd sinds de vorige keer: {result.page_count} pagina's in {options.output_dir}.", file=out)
    else:
        print(f"{result.page_count} pagina's in {options.output_dir}: {result.rendered} opnieuw gemaakt, "
              f"{result.written} bestanden geschreven, {result.unchanged} ongewijzigd.", file=out)
    _next_change(result.next_change, out)
    return 0


# ---------------------------------------------------------------- build server (see daemon.py)

def server_request(fields: dict) -> dict:
    """What the server needs to build as this command would, and to tell whether it can:
    the options, and the code and Python that would otherwise run."""
    return {"options": fields, "code": code_stats(), "package": __file__, "python": sys.executable,
            "github": os.environ.get("GITHUB_ACTIONS") == "true"}


def server_handler(cache, source: Path) -> daemon.Handler:
    """Builds on the cache this process holds, in memory, as serve does."""
    own_code = code_stats()

    def accepts(request: dict) -> bool:
        if (request.get("code") != own_code or request.get("package") != __file__
                or request.get("python") != sys.executable or not isinstance(request.get("options"), dict)):
            return False
        try:
            options = options_from(request["options"])
        except (TypeError, KeyError):
            return False
        return options.source == source and options.cache_key() == cache.key

    def handle(request: dict) -> dict:
        import dataclasses
        import io
        options = options_from(request["options"])
        out, err = io.StringIO(), io.StringIO()
        # use_cache=False: the cache stays in memory, with the last build's model for
        # patching text edits; only the small index that `unchanged_summary` reads is written.
        code = build_and_report(dataclasses.replace(options, use_cache=False), cache, out, err,
                                bool(request.get("github")))
        return {"code": code, "out": out.getvalue(), "err": err.getvalue()}

    def after(reply: dict) -> None:
        if reply["code"] == 0:
            try:
                cache.save_index(source)
            except OSError:  # the cache folder went; the server notices and leaves
                pass

    def save() -> None:
        try:
            cache.save(source, create=False)
        except OSError:
            pass

    def warm() -> None:
        if cache.last is not None:
            cache.last.lookup()

    return daemon.Handler(accepts, handle, after, save, warm)


def cmd_check(args) -> int:
    from .build import BuildFailed, build
    try:
        result = build(_options(args), write=False)
    except BuildFailed as error:
        return _report_failure(error)
    _report_warnings(result)
    print(f"Alles in orde: {result.page_count} pagina's gecontroleerd.")
    return 0


def cmd_new(args) -> int:
    import datetime as dt
    from pathlib import Path

    from .scaffold import ScaffoldError, new_item
    try:
        path = new_item(Path(_source(args.source)), args.kind, args.title, dt.date.today())
    except ScaffoldError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"Nieuw bestand: {path}")
    return 0


def cmd_schema(args) -> int:
    from pathlib import Path

    from .errors import BuildFailed
    from .scaffold import write_schemas
    source = Path(_source(args.source))
    try:
        written = write_schemas(source, Path(_source(args.output)) if args.output else None)
    except BuildFailed as error:
        return _report_failure(error)
    for path in written:
        print(f"Geschreven: {path}")
    return 0


def cmd_serve(args) -> int:
    from .serve import serve
    return serve(_options(args), host=args.host, port=args.port, open_browser=args.open)


COMMANDS = {"build": cmd_build, "check": cmd_check, "new": cmd_new, "schema": cmd_schema, "serve": cmd_serve}


# The cache a forked build server shares with this process: kept referenced until the
# process ends, because freeing it here would copy every page of it (see run).
SHARED_WITH_SERVER: list = []


def run() -> None:
    try:
        code = main()
    except KeyboardInterrupt:
        sys.exit(130)
    if SHARED_WITH_SERVER:
        # Tearing down the interpreter would write to most of the memory the server shares
        # with this process, and so copy it: as much again, for nothing.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)
