"""sitegen: a static site generator for a showcase of social enterprises and procurement stories."""

import os

__version__ = "0.1.0"

# Here rather than in cache.py, because a `sitegen build` with nothing to do reads them
# before the pipeline is imported.
CACHE_FOLDER = ".sitegen-cache"  # git-ignored; holds what a rebuild may reuse


def code_stats() -> list[list]:
    """[name, size, mtime] of each of sitegen's modules: changes whenever its code does."""
    package = os.path.dirname(os.path.abspath(__file__))
    with os.scandir(package) as entries:
        modules = [entry for entry in entries if entry.name.endswith(".py")]
    return sorted([entry.name, entry.stat().st_size, entry.stat().st_mtime_ns] for entry in modules)
