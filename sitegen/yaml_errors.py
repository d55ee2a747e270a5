"""Stage 1, load: why a YAML text does not parse, in Dutch, on the line of the mistake.

Hands `load.py` a `YamlMistake` for the indentation mistakes editors make most (found by
reading the block structure of the lines themselves), and Dutch words for every other
error PyYAML reports, so none of PyYAML's English reaches an editor."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class YamlMistake:
    line: int  # 1-based, within the YAML text
    column: int
    message: str
    hint: str


@dataclass
class _Level:
    """One block of the document: a mapping's keys or a list's '- ' at one indentation."""

    indent: int
    kind: str  # "map" or "seq"
    first_key: str  # the first key of a mapping, to point at ("" for a list)
    line: int  # where it starts
    step: int  # how much further it is indented than the block it is in
    owner: str  # the key whose value it is ("" at the top)


_KEY = re.compile(r"""((?:"[^"]*"|'[^']*'|[^\s#'"\[\]{},:-][^:#]*?|-[^\s:#][^:#]*?))\s*:(?:\s+(.*))?$""")
_BLOCK_SCALAR = re.compile(r"[|>][-+0-9]*\s*(#.*)?$")


def _spaces(count: int) -> str:
    return "1 spatie" if count == 1 else f"{count} spaties"


def _unbalanced(value: str) -> bool:
    """Whether a quoted or flow value goes on after this line: then only the parser knows."""
    if value.startswith('"'):
        return re.fullmatch(r'"(?:[^"\\]|\\.)*"\s*(#.*)?', value) is None
    if value.startswith("'"):
        return re.fullmatch(r"'(?:[^']|'')*'\s*(#.*)?", value) is None
    if value.startswith(("[", "{")):
        text = re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\']|\'\')*\'', "", value)
        return text.count("[") + text.count("{") != text.count("]") + text.count("}")
    return False


def indentation_mistake(text: str) -> YamlMistake | None:
    """The first line whose indentation does not fit the blocks above it, or None when the
    lines fit (the error is then something else, or in a construct this does not follow)."""
    mistake = _scan(text)
    return None if isinstance(mistake, _GiveUp) else mistake


def _scan(text: str) -> YamlMistake | None:
    """Follow the blocks (a mapping's keys, a list's '- ') line by line, as a stack of levels."""
    lines = text.split("\n")
    unit = _indent_unit(lines)
    stack: list[_Level] = []
    open_key: tuple[str, int] | None = None  # a key with its value on the lines below: (key, indent)
    scalar_above: int | None = None  # indent of a key whose plain value may go on below
    block_scalar: int | None = None  # indent of a key whose `|` or `>` text follows
    for number, raw in enumerate(lines, start=1):
        content = raw.lstrip(" ")
        indent = len(raw) - len(content)
        if not content or content.startswith("#") or raw.rstrip() in ("---", "..."):
            continue
        if block_scalar is not None:
            if indent > block_scalar:
                continue
            block_scalar = None
        if content.startswith("\t"):
            return None  # load.py reports tabs itself
        is_item = content == "-" or content.startswith("- ")
        rest = content[1:].lstrip(" ") if is_item else content
        key_match = _KEY.match(rest)
        key = key_match.group(1).strip("'\"") if key_match else None
        if not is_item and key is None:
            if scalar_above is not None and indent > scalar_above:
                continue  # the plain value above goes on on this line
            return None
        if open_key is not None:
            owner, parent_indent = open_key
            open_key = None
            if indent > parent_indent or (indent == parent_indent and is_item):
                stack.append(_Level(indent, "seq" if is_item else "map", key or "", number, indent - parent_indent, owner))
                open_key, scalar_above, block_scalar, mistake = _after_entry(
                    stack, indent, is_item, rest, key, number, len(content) - len(rest))
                if mistake:
                    return mistake
                continue
        if not stack:
            stack.append(_Level(indent, "seq" if is_item else "map", key or "", number, 0, ""))
        popped = None
        while stack and stack[-1].indent > indent:
            popped = stack.pop()
        top = stack[-1] if stack else None
        name = key or "-"
        if top is None or top.indent < indent:
            if popped is not None and (popped.kind == "map" or is_item) and (
                    top is None or top.kind == "seq" or popped.indent - indent <= indent - top.indent):
                return _too_few(number, indent, name, popped, top)
            if top is None:
                return None
            return _too_many(number, indent, name, top, stack, unit)
        if top.kind == "seq" and not is_item:
            if len(stack) > 1 and stack[-2].indent == indent and stack[-2].kind == "map":
                stack.pop()  # a list written level with its key has ended
            else:
                return YamlMistake(number, indent + 1,
                                   f"ongeldige YAML: '{name}' staat in de lijst '{top.owner}', maar zonder '- '",
                                   f"begint hier een nieuw item, schrijf dan '- {name}:'; hoort '{name}' bij het "
                                   f"item erboven, zet er dan {_spaces(indent + 2)} voor")
        elif top.kind == "map" and is_item:
            return YamlMistake(number, indent + 1, "ongeldige YAML: een lijstitem ('- ') staat tussen de velden",
                               "zet het item onder het veld van de lijst, met meer spaties ervoor dan dat veld")
        open_key, scalar_above, block_scalar, mistake = _after_entry(
            stack, indent, is_item, rest, key, number, len(content) - len(rest))
        if mistake:
            return mistake
    return None


def _after_entry(stack: list[_Level], indent: int, is_item: bool, rest: str, key: str | None, number: int,
                 content_offset: int):
    """What a line leaves open for the next: (open key, plain scalar indent, block scalar indent, mistake)."""
    if is_item:
        if key is None:
            if _unbalanced(rest):
                return None, None, None, _GIVE_UP
            return None, (indent if rest and not rest.startswith(("[", "{", '"', "'")) else None), None, None
        inner = indent + content_offset  # the item's mapping starts at its first key, after '- '
        stack.append(_Level(inner, "map", key, number, 2, stack[-1].owner if stack else ""))
        indent = inner
    match = _KEY.match(rest)
    value = (match.group(2) or "").strip() if match else ""
    if value == "" or value.startswith("#"):
        return (key, indent), None, None, None
    if _BLOCK_SCALAR.match(value):
        return None, None, indent, None
    if _unbalanced(value):
        return None, None, None, _GIVE_UP
    return None, indent, None, None


class _GiveUp(YamlMistake):
    pass


_GIVE_UP = _GiveUp(0, 0, "", "")


def _indent_unit(lines: list[str]) -> int:
    """How far this file indents a block in its parent, most often (2 when it cannot tell)."""
    steps: dict[int, int] = {}
    previous = None
    for raw in lines:
        content = raw.lstrip(" ")
        if not content or content.startswith("#"):
            continue
        indent = len(raw) - len(content)
        # a step of one space is nearly always the mistake itself, not the file's habit
        if previous is not None and indent >= previous[0] + 2 and previous[1].rstrip().endswith(":"):
            steps[indent - previous[0]] = steps.get(indent - previous[0], 0) + 1
        previous = (indent, content)
    return max(steps, key=lambda step: (steps[step], -step)) if steps else 2


def _too_few(number: int, indent: int, name: str, inner: _Level, outer: _Level | None) -> YamlMistake:
    missing = inner.indent - indent
    what = _subject(name)
    hint = f"zet {_spaces(inner.indent)} voor {what}" + (f", net als voor '{inner.first_key}'" if inner.first_key else
                                                         ", net als voor het item erboven" if name == "-" else "")
    if inner.owner:
        hint = f"hoort {what} bij '{inner.owner}', {hint}"
    if outer is not None and outer.kind == "map" and indent - outer.indent == missing:
        hint += f"; anders haal je {_spaces(indent - outer.indent)} weg, zodat {what} recht onder '{outer.first_key}' staat"
    return YamlMistake(number, indent + 1, f"ongeldige YAML: {what} springt {_spaces(missing)} te weinig in", hint)


def _too_many(number: int, indent: int, name: str, top: _Level, stack: list[_Level], unit: int) -> YamlMistake:
    parent = stack[-2] if len(stack) > 1 else None
    # The block itself may be the mistake: its first key stands a space off from where this
    # file indents, and this line stands where it should (a dedented `role:` before `email:`).
    if parent is not None and top.step != unit and indent - parent.indent == unit and top.kind == "map":
        wrong = unit - top.step
        return YamlMistake(top.line, top.indent + 1,
                           f"ongeldige YAML: '{top.first_key}' springt {_spaces(abs(wrong))} "
                           f"{'te weinig' if wrong > 0 else 'te ver'} in",
                           f"zet {_spaces(indent)} voor '{top.first_key}', net als voor '{name}'")
    extra = indent - top.indent
    what = _subject(name)
    where = f"recht onder '{top.first_key}'" if top.first_key else "recht onder het item erboven"
    return YamlMistake(number, indent + 1, f"ongeldige YAML: {what} springt {_spaces(extra)} te ver in",
                       f"haal {_spaces(extra)} weg, zodat {what} {where} staat")


def _subject(name: str) -> str:
    return "het lijstitem" if name == "-" else f"'{name}'"


# PyYAML's and libyaml's words for what went wrong, and what an editor can do about it.
_EXPLAINED = (
    (("mapping values are not allowed",), "ongeldige YAML: onverwachte dubbele punt",
     "zet tekst met ': ' erin tussen aanhalingstekens"),
    (("cannot start any token",), "ongeldige YAML: een waarde mag niet met dit teken beginnen",
     "zet de tekst tussen aanhalingstekens, bijvoorbeeld \"@organisatie\""),
    (("found unexpected end of stream", "unexpected end"), "ongeldige YAML: een aanhalingsteken of haakje wordt niet gesloten",
     "sluit het aanhalingsteken of haakje op dezelfde regel"),
    (("expected ',' or ']'", "expected ',' or '}'", "did not find expected ',' or"),
     "ongeldige YAML: een lijst of groep tussen haakjes is niet goed gesloten",
     "zet komma's tussen de waarden en sluit af met ] of }"),
    (("unknown escape character", "escape"), "ongeldige YAML: onbekende code na een backslash (\\)",
     "schrijf \\\\ voor een backslash, of gebruik enkele aanhalingstekens"),
    (("undefined alias", "anchor", "alias"), "YAML-verwijzingen (&anker en *alias) worden niet ondersteund",
     "schrijf de waarde voluit"),
    (("tab",), "ongeldige YAML: tab gevonden", "gebruik spaties om in te springen, geen tabs"),
    (("block sequence entries are not allowed", "expected '-' indicator", "'-'"),
     "ongeldige YAML: een lijstitem ('- ') staat op een plek waar het niet kan",
     "controleer de spaties aan het begin van de regel"),
    (("could not find expected ':'", "expected <block end>", "did not find expected key",
      "expected the node content", "did not find expected node content"),
     "ongeldige YAML: de inspringing of een sleutel klopt niet", "controleer de spaties aan het begin van de regel"),
    (("document",), "ongeldige YAML: er staat meer dan één document in het bestand",
     "haal de extra regel met '---' of '...' weg"),
)


def explain(problem: str, source_line: str) -> tuple[str, str]:
    """A Dutch message and hint for a YAML error PyYAML (or libyaml) worded as `problem`."""
    leading = source_line[: len(source_line) - len(source_line.lstrip())]
    if "\t" in leading or ("\t" in source_line and "token" in problem):
        return "ongeldige YAML: tab gevonden", "gebruik spaties om in te springen, geen tabs"
    for words, message, hint in _EXPLAINED:
        if any(word in problem for word in words):
            return message, hint
    return ("ongeldige YAML: deze regel kan niet gelezen worden",
            "controleer aanhalingstekens, haakjes, dubbele punten en de spaties aan het begin van de regel")
