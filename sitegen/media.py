"""Stage 2, validate (media): files in content/media/ are data, never code on the site's origin.

Takes a media file's path and bytes; hands on the Dutch problems that refuse it: a type
outside the allow-list, bytes that are not what the name says, an SVG that could script."""

from __future__ import annotations

import re
import xml.parsers.expat
from dataclasses import dataclass

# Images and PDF, by what their first bytes must be; SVG is text and checked element by element.
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".webp": (b"RIFF",),
    ".avif": (b"\x00\x00\x00",),
    ".pdf": (b"%PDF-",),
}
ALLOWED = (*SIGNATURES, ".svg")
# A name that is the same in a URL as on disk: no '#', '?', '%', spaces or other characters
# a link would have to encode.
PORTABLE_NAME = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]*")

# Shapes, text, paint and grouping: everything an SVG drawing needs and nothing that runs or
# loads (no script, foreignObject, animation that can set href, iframe, image from elsewhere).
SVG_ELEMENTS = frozenset("""svg g defs symbol use title desc metadata path rect circle ellipse line polyline
polygon text tspan textPath linearGradient radialGradient stop clipPath mask pattern marker filter
feBlend feColorMatrix feComponentTransfer feComposite feFlood feGaussianBlur feMerge feMergeNode feOffset
feFuncR feFuncG feFuncB feFuncA style""".split())


@dataclass(frozen=True)
class MediaProblem:
    line: int
    column: int
    message: str
    hint: str


def media_problem(name: str, data: bytes) -> MediaProblem | None:
    """Why the media file `name` (its bytes `data`) may not be published, or None."""
    base = name.rpartition("/")[2]
    if not PORTABLE_NAME.fullmatch(base):
        return MediaProblem(1, 1, f"bestandsnaam '{base}' bevat tekens die in een webadres iets anders betekenen",
                            "gebruik alleen letters, cijfers, '-', '_' en één punt voor de extensie")
    suffix = "." + name.rpartition(".")[2].lower() if "." in name else ""
    if suffix not in ALLOWED:
        return MediaProblem(1, 1, f"bestandstype '{suffix or name}' is niet toegestaan in content/media/",
                            "gebruik een afbeelding (" + ", ".join(ALLOWED) + ") of een PDF")
    if suffix == ".svg":
        return svg_problem(data)
    if not data.startswith(SIGNATURES[suffix]):
        return MediaProblem(1, 1, f"de inhoud van dit bestand is geen {suffix[1:].upper()}",
                            "sla het bestand opnieuw op in het juiste formaat")
    return None


def svg_problem(data: bytes) -> MediaProblem | None:
    """The first thing in an SVG that could run script or load something, or None."""
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    found: list[MediaProblem] = []

    def refuse(message: str) -> None:
        if not found:
            found.append(MediaProblem(parser.CurrentLineNumber, parser.CurrentColumnNumber + 1, message,
                                      "sla de tekening op als eenvoudige SVG (alleen vormen en tekst), of als PNG"))

    def doctype(*_args) -> None:
        refuse("een SVG met een DOCTYPE of entiteiten wordt geweigerd")

    def start(tag: str, attributes: dict[str, str]) -> None:
        local = tag.rpartition(" ")[2]
        if local not in SVG_ELEMENTS:
            refuse(f"element <{local}> is niet toegestaan in een SVG")
        for key, value in attributes.items():
            attribute = key.rpartition(" ")[2].lower()
            text = "".join(value.split()).lower()
            if attribute.startswith("on"):
                refuse(f"attribuut '{attribute}' (een script) is niet toegestaan in een SVG")
            elif attribute == "href" and not value.startswith("#"):
                refuse(f"link '{value[:60]}' is niet toegestaan in een SVG; alleen verwijzingen binnen het bestand (#...)")
            elif "javascript:" in text or "url(" in text and "url(#" not in text or "@import" in text:
                refuse(f"attribuut '{attribute}' verwijst naar iets buiten het bestand")

    def characters(text: str) -> None:
        lowered = "".join(text.split()).lower()
        if "@import" in lowered or "javascript:" in lowered or ("url(" in lowered and "url(#" not in lowered):
            refuse("stijl in de SVG verwijst naar iets buiten het bestand")

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    parser.StartElementHandler = start
    parser.CharacterDataHandler = characters
    parser.ProcessingInstructionHandler = lambda target, _data: refuse(f"instructie <?{target}?> is niet toegestaan in een SVG") \
        if target.lower() != "xml" else None
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as error:
        return found[0] if found else MediaProblem(error.lineno, error.offset + 1, "dit SVG-bestand is geen geldige XML",
                                                   "open en bewaar het opnieuw in je tekenprogramma")
    return found[0] if found else None
