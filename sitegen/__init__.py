"""sitegen: a static site generator for a showcase of social enterprises and procurement stories."""

__version__ = "0.1.0"
