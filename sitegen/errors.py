"""Problems found in content or templates, and how they are shown.

Every stage reports through `Problem`; the CLI prints them sorted, as plain text and,
on GitHub Actions, as workflow annotations."""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from typing import Iterable


@dataclass(frozen=True, order=True)
class Problem:
    """One error or warning, pointing at a place an editor can open."""

    path: str
    line: int
    column: int
    message: str
    hint: str = ""
    severity: str = "error"  # "error" or "warning"

    def format(self) -> str:
        text = f"{self.path}:{self.line}:{self.column}: {self.severity}: {self.message}"
        return visible(f"{text} ({self.hint})" if self.hint else text)

    def github_annotation(self) -> str:
        kind = "error" if self.severity == "error" else "warning"
        message = self.message + (f" ({self.hint})" if self.hint else "")
        # GitHub's workflow-command syntax needs these escaped in the message.
        message = message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        path = self.path.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A").replace(",", "%2C").replace(":", "%3A")
        return visible(f"::{kind} file={path},line={self.line},col={self.column}::{message}")


def visible(text: str) -> str:
    """`text` safe to print on one line of a terminal or CI log: control characters (ESC,
    CR, a newline that could start a `::workflow-command::` line) are shown as escapes."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)


class BuildFailed(Exception):
    """Raised with every problem of a run once a stage has found errors; `pending` says in
    Dutch what could not be checked yet because it needs these errors fixed first."""

    def __init__(self, problems: Iterable[Problem], pending: str = ""):
        self.problems = sorted(problems)
        self.pending = pending
        super().__init__(f"{len(self.problems)} problem(s)")

    def summary(self) -> str:
        """The line after the problems, in Dutch."""
        errors = sum(1 for p in self.problems if p.severity == "error")
        text = f"{errors} fout(en) gevonden; er is niets geschreven."
        if self.pending:
            text += f" Los eerst deze fouten op; daarna controleert sitegen ook {self.pending}."
        return text


@dataclass
class Problems:
    """Collects problems across a run so all of them can be shown at once."""

    items: list[Problem] = field(default_factory=list)
    strict: bool = False

    def error(self, path: str, line: int, column: int, message: str, hint: str = "") -> None:
        self.items.append(Problem(path, line, column, message, hint))

    def warning(self, path: str, line: int, column: int, message: str, hint: str = "") -> None:
        severity = "error" if self.strict else "warning"
        self.items.append(Problem(path, line, column, message, hint, severity))

    def extend(self, problems: Iterable[Problem]) -> None:
        self.items.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "warning"]

    def raise_if_errors(self, pending: str = "") -> None:
        """Stop the run with every problem so far; `pending`: what is left unchecked (Dutch)."""
        if self.errors:
            raise BuildFailed(self.items, pending)


def closest(value: str, candidates: Iterable[str]) -> str | None:
    """The known value nearest to `value`, or None when nothing is close."""
    close = difflib.get_close_matches(str(value), sorted(set(candidates)), n=1, cutoff=0.6)
    return close[0] if close else None


def did_you_mean(value: str, candidates: Iterable[str]) -> str:
    """A Dutch hint naming the nearest known value, or "" when nothing is close."""
    close = closest(value, candidates)
    return f"bedoelde je '{close}'?" if close else ""


def format_report(problems: Iterable[Problem], github: bool | None = None) -> str:
    """All problems as terminal text, plus GitHub annotations when running in Actions."""
    problems = sorted(problems)
    if github is None:
        github = os.environ.get("GITHUB_ACTIONS") == "true"
    lines = [p.format() for p in problems]
    if github:
        lines += [p.github_annotation() for p in problems]
    return "\n".join(lines)
