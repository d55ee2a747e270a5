"""Preview server: builds the site and serves output/ on 127.0.0.1."""

from __future__ import annotations

import functools
import http.server
import sys

from .build import BuildOptions, build
from .errors import BuildFailed, format_report


def serve(options: BuildOptions, host: str = "127.0.0.1", port: int = 8000, open_browser: bool = False) -> int:
    try:
        build(options)
    except BuildFailed as error:
        print(format_report(error.problems), file=sys.stderr)
        if not options.output_dir.is_dir():
            return 1
        print("De vorige versie van de site blijft zichtbaar.", file=sys.stderr)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(options.output_dir))
    with http.server.ThreadingHTTPServer((host, port), handler) as server:
        print(f"De site staat op http://{host}:{port}/ (stop met Ctrl+C)")
        if open_browser:
            import webbrowser
            webbrowser.open(f"http://{host}:{port}/")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
    return 0
