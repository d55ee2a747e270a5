"""The command line's argument parser, in Dutch: headings, help and argparse's messages.

Hands `cli.py` a `DutchParser`, an argparse.ArgumentParser whose every text an editor can
see is Dutch (argparse's own words replaced, without gettext), with a "bedoelde je" for an
unknown command and room for an example under each command's help."""

from __future__ import annotations

import argparse
import re
import sys
from typing import NoReturn

from .errors import did_you_mean

# Dutch words editors type for a command or a kind of content, and what they mean.
DUTCH_WORDS = {"bouw": "build", "bouwen": "build", "maak": "build", "controleer": "check", "controleren": "check",
               "nieuw": "new", "toon": "serve", "bekijk": "serve", "start": "serve", "schema's": "schema",
               "importeer": "import", "inventariseer": "inventaris",
               "verhaal": "case", "praktijkverhaal": "case", "onderneming": "enterprise", "ondernemer": "enterprise",
               "organisatie": "organisation", "inkoop": "procurement", "kalender": "procurement",
               "bijeenkomst": "event", "pagina": "page"}

# argparse's messages (Python 3.9 to 3.13) and their Dutch.
_MESSAGES = (
    (re.compile(r"the following arguments are required: (.*)"), "dit ontbreekt nog: {0}"),
    (re.compile(r"unrecognized arguments: (.*)"), "onbekend: {0} (zie sitegen --help)"),
    (re.compile(r"expected one argument"), "hier hoort één waarde achter"),
    (re.compile(r"expected at most one argument"), "hier hoort hooguit één waarde achter"),
    (re.compile(r"expected at least one argument"), "hier hoort minstens één waarde achter"),
    (re.compile(r"invalid (\w+) value: '?(.*?)'?$"), "'{1}' is geen geldige waarde"),
    (re.compile(r"ambiguous option: (\S+) could match (.*)"), "{0} kan meer opties zijn: {1}; schrijf de optie voluit"),
    (re.compile(r"not allowed with argument (.*)"), "kan niet samen met {0}"),
    (re.compile(r"one of the arguments (.*) is required"), "kies één van {0}"),
    (re.compile(r"ignored explicit argument '?(.*?)'?$"), "'{0}' hoort niet bij deze optie"),
)
_INVALID_CHOICE = re.compile(r"invalid choice: '?(.*?)'? \(choose from (.*)\)")
_ARGUMENT = re.compile(r"argument (\S+): (.*)", re.DOTALL)


def dutch_message(message: str) -> str:
    """argparse's English message in Dutch; a message of our own passes unchanged."""
    argument = _ARGUMENT.fullmatch(message)
    if argument:
        name = argument.group(1).split("/")[-1]
        inner = dutch_message(argument.group(2))
        return inner if name in ("OPDRACHT", "SOORT") else f"argument {name}: {inner}"
    choice = _INVALID_CHOICE.fullmatch(message)
    if choice:
        value = choice.group(1)
        choices = [part.strip().strip("'") for part in choice.group(2).split(",")]
        hint = f"bedoelde je '{DUTCH_WORDS[value.lower()]}'?" if DUTCH_WORDS.get(value.lower()) in choices \
            else did_you_mean(value, choices)
        text = f"'{value}' ken ik niet; kies uit {', '.join(choices)}"
        return f"{text} ({hint})" if hint else text
    for pattern, dutch in _MESSAGES:
        match = pattern.fullmatch(message)
        if match:
            return dutch.format(*match.groups())
    return message


class DutchFormatter(argparse.RawDescriptionHelpFormatter):
    """Help as written (examples keep their lines), headed "gebruik:"."""

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "gebruik: " if prefix is None else prefix)


class DutchParser(argparse.ArgumentParser):
    """argparse.ArgumentParser with Dutch headings, help option and messages."""

    def __init__(self, *args, example: str = "", **kwargs):
        kwargs.setdefault("formatter_class", DutchFormatter)
        kwargs["add_help"] = False
        if example:
            kwargs["epilog"] = "voorbeeld:\n" + "\n".join(f"  {line}" for line in example.strip().split("\n"))
        super().__init__(*args, **kwargs)
        self._positionals.title = "argumenten"
        self._optionals.title = "opties"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="toon deze hulp en stop")

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: fout: {dutch_message(message)}\n")
