"""The command line: parses arguments and calls library functions, then exits; nothing it
starts outlives it (`build --watch` and `serve` run in the foreground until stopped)."""

from __future__ import annotations

import argparse
import os
import sys

from . import __version__
from .arguments import DutchParser
from .workers import WorkerFailed

# The rest is imported where it is used: a `sitegen build` with nothing to do answers
# before the pipeline (Jinja, YAML, Markdown, the model) is imported.

# The types `sitegen new` makes (scaffold.new_kinds, which a test holds this to), named
# here so that parsing the arguments imports no part of the pipeline.
NEW_KINDS = ("case", "enterprise", "organisation", "procurement", "event", "tip", "page")


def _source(path: str) -> str:
    return os.path.realpath(path)


def main(argv: list[str] | None = None) -> int:
    parser = DutchParser(prog="sitegen", description="Bouwt de etalage voor sociaal inkopen uit content/ en templates/.",
                         example="sitegen check\nsitegen serve\nsitegen new case \"Soep op het stadhuis\"\n"
                                 "sitegen build --help")
    parser.add_argument("--version", action="version", version=f"sitegen {__version__}", help="toon de versie en stop")
    commands = parser.add_subparsers(dest="command", metavar="OPDRACHT", title="opdrachten")

    build = commands.add_parser("build", help="bouw de site in output/", description="Bouwt de site in output/.",
                                example="sitegen build\nsitegen build --watch\n"
                                        "sitegen build --base-url https://www.example.nl/etalage/")
    _common(build)
    build.add_argument("--output", metavar="MAP", help="uitvoermap (standaard: <bron>/output)")
    build.add_argument("--base-url", type=_base_url, metavar="ADRES", help="adres van de site, overschrijft base_url uit site.yaml")
    build.add_argument("--drafts", action="store_true", help="neem concepten en verhalen met een datum in de toekomst mee")
    build.add_argument("--file-links", action="store_true", help="links eindigen op index.html, om de site vanaf schijf te openen")
    build.add_argument("--max-memory", type=int, default=1000, metavar="MB",
                       help="bouw met minder processen als het geheugen anders boven MB komt (standaard 1000)")
    build.add_argument("--watch", action="store_true",
                       help="blijf kijken: bouw opnieuw zodra je iets in content/ of templates/ opslaat (stoppen: Ctrl+C)")

    check = commands.add_parser("check", help="controleer alle inhoud zonder iets te schrijven",
                                description="Controleert alle inhoud en de templates; schrijft niets.",
                                example="sitegen check\nsitegen check --strict")
    _common(check)
    check.add_argument("--drafts", action="store_true", help="controleer ook concepten als pagina")

    new = commands.add_parser("new", help="maak een nieuw inhoudsbestand met alle velden",
                              description="Maakt een nieuw bestand in content/ met alle velden en uitleg erbij.",
                              example='sitegen new case "Soep op het stadhuis"\nsitegen new enterprise "De Soeppan"\n'
                                      'sitegen new tip "Begin klein"')
    new.add_argument("kind", choices=NEW_KINDS, metavar="SOORT", help="soort inhoud: " + ", ".join(NEW_KINDS))
    new.add_argument("title", metavar="TITEL", help="titel of naam; hieruit komt de bestandsnaam")
    new.add_argument("--source", default=".", metavar="MAP", help="bronmap met content/ (standaard: huidige map)")

    schema = commands.add_parser("schema", help="schrijf JSON Schema's voor hulp in je editor",
                                 description="Schrijft JSON Schema's, zodat VS Code je helpt bij het invullen.",
                                 example="sitegen schema")
    schema.add_argument("--source", default=".", metavar="MAP", help="bronmap met content/ (standaard: huidige map)")
    schema.add_argument("--output", metavar="MAP", help="map voor de schema's (standaard: <bron>/.vscode/schemas)")

    serve = commands.add_parser("serve", help="bouw en bekijk de site op http://127.0.0.1:8000",
                                description="Bouwt de site en toont haar in je browser; bouwt opnieuw als je iets opslaat.",
                                example="sitegen serve\nsitegen serve --port 8001 --open\nsitegen serve --drafts")
    _common(serve)
    serve.add_argument("--port", type=_port, metavar="POORT", default=8000, help="poort (standaard 8000)")
    serve.add_argument("--host", default="127.0.0.1", metavar="ADRES", help="adres om op te luisteren (standaard 127.0.0.1)")
    serve.add_argument("--output", metavar="MAP", help="uitvoermap (standaard: <bron>/output)")
    serve.add_argument("--drafts", action="store_true",
                       help="toon ook concepten; de site komt dan in een eigen map, niet in output/")
    serve.add_argument("--open", action="store_true", help="open de site in je browser")

    links = commands.add_parser("links", help="controleer alle interne links en ankers in de gebouwde site",
                                description="Controleert alle links binnen de gebouwde site in output/.",
                                example="sitegen links\nsitegen links --base-url https://www.example.nl/etalage/")
    links.add_argument("--source", default=".", metavar="MAP", help="bronmap (standaard: huidige map)")
    links.add_argument("--output", metavar="MAP", help="gebouwde site (standaard: <bron>/output)")
    links.add_argument("--base-url", type=_base_url, metavar="ADRES",
                       help="adres waarmee de site is gebouwd (standaard: de canonical link van de startpagina)")
    links.add_argument("--file-links", action="store_true", help="de site is gebouwd met --file-links: links naar een map tellen als fout")

    inventory = commands.add_parser(
        "inventaris", help="zoek in een crediteurenlijst bij welke sociale ondernemers een organisatie al koopt (tip 1)",
        description="Leest een crediteurenlijst (CSV of .xlsx) en zoekt de sociale ondernemers erin, eerst op "
                    "KvK-nummer, dan op naam.\nZonder --schrijf verandert er niets.",
        example="sitegen inventaris crediteuren-2025.csv --organisatie gemeente-lindendal\n"
                "sitegen inventaris crediteuren-2025.csv --organisatie gemeente-lindendal --schrijf")
    inventory.add_argument("file", metavar="BESTAND", help="crediteurenlijst: .csv (met ; of ,) of .xlsx")
    inventory.add_argument("--organisatie", required=True, metavar="SLUG",
                           help="de organisatie (bestandsnaam in content/organisations/)")
    inventory.add_argument("--schrijf", action="store_true",
                           help="zet de gevonden ondernemers in de lijst 'suppliers' van de organisatie")
    inventory.add_argument("--bedragen", action="store_true", help="schrijf ook de bedragen per jaar (standaard niet)")
    inventory.add_argument("--jaar", type=int, metavar="JJJJ", help="jaar van de lijst, als er geen kolom Jaar of Datum is")
    inventory.add_argument("--source", default=".", metavar="MAP", help="bronmap met content/ (standaard: huidige map)")

    imports = commands.add_parser("import", help="haal inhoud uit een spreadsheet",
                                  description="Haalt inhoud uit een spreadsheet.",
                                  example="sitegen import kalender inkoopplanning-2027.xlsx --organisatie gemeente-lindendal")
    import_kinds = imports.add_subparsers(dest="import_kind", metavar="SOORT", required=True)
    calendar = import_kinds.add_parser(
        "kalender", help="maak kalenderbestanden van een inkoopplanning (tip 4)",
        description="Maakt van een inkoopplanning (.xlsx of CSV) bestanden in content/calendar/.\n"
                    "Zonder --schrijf laat het alleen zien wat er zou veranderen.",
        example="sitegen import kalender inkoopplanning-2027.xlsx --organisatie gemeente-lindendal\n"
                "sitegen import kalender inkoopplanning-2027.xlsx --organisatie gemeente-lindendal --schrijf")
    calendar.add_argument("file", metavar="BESTAND", help="inkoopplanning: .xlsx of .csv")
    calendar.add_argument("--organisatie", required=True, metavar="SLUG",
                          help="de organisatie (bestandsnaam in content/organisations/)")
    calendar.add_argument("--schrijf", action="store_true", help="schrijf de bestanden in content/calendar/")
    calendar.add_argument("--source", default=".", metavar="MAP", help="bronmap met content/ (standaard: huidige map)")

    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        return COMMANDS[args.command](args)
    except OSError as error:  # the file system refused: say what and where, in one line
        print(f"fout: {os_problem(error)}", file=sys.stderr)
        return 1
    except WorkerFailed as error:  # a bug, not the content: one line, not a traceback
        if error.kind == "OutputError":  # a full disk while a worker wrote its pages
            print(f"fout: {error.message}", file=sys.stderr)
        else:
            print(f"interne fout in een hulpproces: {error}", file=sys.stderr)
        return 1


def os_problem(error: OSError) -> str:
    """An error of the file system in Dutch, with the path it concerns and what to do."""
    import errno
    where = f" ({error.filename})" if error.filename else ""
    said = {errno.EACCES: "je hebt geen toestemming om hier te schrijven of te lezen",
            errno.EPERM: "je hebt geen toestemming om hier te schrijven of te lezen",
            errno.ENOSPC: "de schijf is vol", errno.EROFS: "deze schijf is alleen-lezen",
            errno.ENOENT: "dit bestand of deze map bestaat niet"}.get(error.errno)
    if said is None:
        said = f"het besturingssysteem weigert dit (foutcode {errno.errorcode.get(error.errno, error.errno)})"
    return f"{said}{where}; controleer de map, of kies een andere met --source of --output"


def _common(command: argparse.ArgumentParser) -> None:
    command.add_argument("--source", default=".", metavar="MAP", help="bronmap met content/ en templates/ (standaard: huidige map)")
    command.add_argument("--strict", action="store_true", help="waarschuwingen tellen als fouten")


def _port(value: str) -> int:
    if not value.isdigit() or not 0 < int(value) < 65536:
        raise argparse.ArgumentTypeError(f"'{value}' is geen poort: kies een getal van 1 tot 65535, bijvoorbeeld 8000")
    return int(value)


def _base_url(value: str) -> str:
    """--base-url, checked as site.yaml's base_url is; argparse turns the error into exit 2."""
    from .config import base_url_problem
    problem = base_url_problem(value, "--base-url")
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return value.strip()


def _options(args):
    from pathlib import Path

    from .config import BuildOptions
    output = getattr(args, "output", None)
    return BuildOptions(source=Path(_source(args.source)), output=Path(_source(output)) if output else None,
                        base_url=getattr(args, "base_url", None), drafts=args.drafts, strict=args.strict,
                        file_links=getattr(args, "file_links", False),
                        memory_budget_mb=getattr(args, "max_memory", 1000))


def _report_failure(error, err=None) -> int:
    from .errors import format_report
    err = err or sys.stderr
    print(format_report(error.problems), file=err)
    print(error.summary(), file=err)
    return 1


def _report_warnings(result, err=None) -> None:
    if result.warnings:
        from .errors import format_report
        print(format_report(result.warnings), file=err or sys.stderr)


def _next_change(next_change, out=None) -> None:
    if next_change:
        print(f"De uitvoer verandert op {next_change.isoformat()}: bouw de site dan opnieuw.", file=out or sys.stdout)


def _no_site(options) -> bool:
    """Says so in one line when the source folder holds no site: before any stage runs."""
    if (options.source / "content").is_dir():
        return False
    where = "bestaat niet" if not options.source.exists() else "heeft geen map content/"
    print(f"fout: de map {options.source} {where} (ga in de terminal naar de map van de site, "
          "of geef die op met --source)", file=sys.stderr)
    return True


def _refusal(options) -> int:
    """Exit code 2 with the reason when the output folder is not sitegen's to write, else 0."""
    from .output import output_refusal
    reason = output_refusal(options.source, options.output_dir)
    if reason is not None:
        print(f"fout: {reason}", file=sys.stderr)
        return 2
    return 0


def cmd_build(args) -> int:
    options = _options(args)
    if _no_site(options):
        return 1
    if _refusal(options):
        return 2
    if args.watch:
        from .watch import watch
        return watch(options)
    from .cache import unchanged_summary
    # Checked before the pipeline is even imported, so a build with nothing to do is instant.
    summary = unchanged_summary(options.source, options.output_dir, options.cache_key())
    if summary is not None:
        print(f"Niets veranderd sinds de vorige keer: {summary['pages']} pagina's in {options.output_dir}.")
        _next_change(summary.get("next_change"))
        return 0
    # This process ends right after the build: the cyclic collector, switched back on, would
    # only walk the whole heap once more on the way out.
    import gc
    gc.disable()
    return build_and_report(options, sys.stdout, sys.stderr)


def build_and_report(options, out, err) -> int:
    """Build, print what happened to `out` and `err`, and return the exit code."""
    import time

    from .build import BuildFailed, build
    from .output import OutputError, OutputRefused
    started = time.monotonic()
    progress = Progress(err, started)
    try:
        result = build(options, progress=progress)
    except BuildFailed as error:
        progress.clear()
        return _report_failure(error, err)
    except OutputError as error:
        progress.clear()
        print(f"fout: {error}", file=err)
        return 2 if isinstance(error, OutputRefused) else 1
    progress.clear()
    took = _duration(time.monotonic() - started)
    _report_warnings(result, err)
    if result.site is None:
        print(f"Niets veranderd sinds de vorige keer: {result.page_count} pagina's in {options.output_dir}.", file=out)
    else:
        print(f"{result.page_count} pagina's in {options.output_dir}: {result.rendered} opnieuw gemaakt, "
              f"{result.written} bestanden geschreven, {result.unchanged} ongewijzigd; klaar in {took}.", file=out)
    _next_change(result.next_change, out)
    return 0


def _duration(seconds: float) -> str:
    """A duration as Dutch writes it: '0,4 s', '12 s', '1 min 5 s'."""
    if seconds < 10:
        return f"{seconds:.1f} s".replace(".", ",")
    if seconds < 60:
        return f"{seconds:.0f} s"
    return f"{int(seconds // 60)} min {int(seconds % 60)} s"


class Progress:
    """The stage a build is in, and how many things it handles, on one line of a terminal;
    only once the build has taken longer than PROGRESS_AFTER seconds, and never in a log."""

    def __init__(self, stream, started: float):
        self.stream, self.started, self.shown = stream, started, 0

    def __call__(self, stage: str, count: int) -> None:
        import time
        if not getattr(self.stream, "isatty", lambda: False)() or time.monotonic() - self.started < PROGRESS_AFTER:
            return
        text = f"{stage}: {count} ({_duration(time.monotonic() - self.started)})"
        self.stream.write("\r" + text.ljust(self.shown))
        self.stream.flush()
        self.shown = len(text)

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * self.shown + "\r")
            self.stream.flush()
            self.shown = 0


PROGRESS_AFTER = 2.0  # seconds of silence a terminal user accepts before wanting to know what happens


def cmd_check(args) -> int:
    from .build import BuildFailed, build
    options = _options(args)
    if _no_site(options):
        return 1
    try:
        result = build(options, write=False)
    except BuildFailed as error:
        return _report_failure(error)
    _report_warnings(result)
    warnings = len(result.warnings)
    if warnings:
        print(f"Geen fouten: {result.page_count} pagina's gecontroleerd, met {warnings} "
              f"waarschuwing{'en' if warnings != 1 else ''} (zie hierboven; met --strict tellen ze als fout).")
    else:
        print(f"Alles in orde: {result.page_count} pagina's gecontroleerd.")
    return 0


def cmd_new(args) -> int:
    import datetime as dt
    from pathlib import Path

    from .scaffold import ScaffoldError, new_item
    try:
        path = new_item(Path(_source(args.source)), args.kind, args.title, dt.date.today())
    except ScaffoldError as error:
        print(f"fout: {error}", file=sys.stderr)
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


def cmd_inventory(args) -> int:
    from pathlib import Path

    from .inventory import run_inventory
    return run_inventory(Path(_source(args.source)), Path(args.file), args.organisatie, args.schrijf, args.bedragen,
                         args.jaar, sys.stdout, sys.stderr)


def cmd_import(args) -> int:
    import datetime as dt
    from pathlib import Path

    from .plan_import import run_plan_import
    return run_plan_import(Path(_source(args.source)), Path(args.file), args.organisatie, args.schrijf,
                           dt.date.today(), sys.stdout, sys.stderr)


def cmd_serve(args) -> int:
    import dataclasses

    from .serve import drafts_folder, serve
    options = _options(args)
    if _no_site(options):
        return 1
    if args.drafts and args.output is None:
        options = dataclasses.replace(options, output=drafts_folder(options.source))
        print(f"Met concepten: deze voorvertoning staat in {options.output_dir}, niet in output/.", flush=True)
    if _refusal(options):
        return 2
    return serve(options, host=args.host, port=args.port, open_browser=args.open)


def cmd_links(args) -> int:
    from pathlib import Path

    from .linkcheck import run_link_check
    output = args.output or os.path.join(args.source, "output")
    return run_link_check(Path(_source(output)), os.path.normpath(output),
                          args.base_url, args.file_links, sys.stdout, sys.stderr)


COMMANDS = {"build": cmd_build, "check": cmd_check, "new": cmd_new, "schema": cmd_schema, "serve": cmd_serve,
            "links": cmd_links, "inventaris": cmd_inventory, "import": cmd_import}


def run() -> None:
    try:
        code = main()
    except KeyboardInterrupt:
        sys.exit(130)
    sys.exit(code)
