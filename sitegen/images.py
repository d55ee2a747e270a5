"""Render stage, pictures: JPEG and PNG files in content/media/ resized into a few widths, each
also as WebP (Pillow), the encoded bytes cached by content digest in the user's cache folder.

Hands on `Pictures` (per media path its size and variants, for the templates' `picture()`),
the variants as output files for output.py to write, and warnings for images too small for
the place a page shows them in."""

from __future__ import annotations

import hashlib
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from PIL import Image, ImageOps

from .errors import Problems
from .media import media_problem

# Widths a browser can choose from (srcset); an image is never made larger than it is.
WIDTHS = (320, 640, 960, 1280)
RASTER = {".jpg": ("JPEG", "image/jpeg"), ".jpeg": ("JPEG", "image/jpeg"), ".png": ("PNG", "image/png")}
# Bump when the encoding changes, so cached variants of the old kind are not reused.
ENCODING = "1"
# A larger image is refused rather than decoded: Pillow's guard against decompression bombs.
MAX_PIXELS = 60_000_000
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


@dataclass(frozen=True)
class Variant:
    path: str  # site path, "media/foto-640w.webp"
    width: int
    mime: str


@dataclass(frozen=True)
class Picture:
    """An image as pages show it: its size (for width and height, against layout shift) and,
    for a JPEG or PNG, its variants, largest last (an SVG has none: it scales itself)."""

    src: str
    width: int
    height: int
    variants: tuple[Variant, ...] = ()

    def of_type(self, mime: str) -> list[Variant]:
        return [variant for variant in self.variants if variant.mime == mime]

    @property
    def mime(self) -> str:
        return RASTER[PurePosixPath(self.src).suffix.lower()][1]

    @property
    def fallback(self) -> Variant:
        """The largest variant in the original format: the img's src."""
        return self.of_type(self.mime)[-1]


@dataclass
class PictureSet:
    pictures: dict[str, Picture] = field(default_factory=dict)
    files: list[tuple[str, bytes, str]] = field(default_factory=list)  # (site path, bytes, media path)
    key: str = ""  # digest of every picture's source bytes, for the render stage's global key

    def get(self, src: str | None) -> Picture | None:
        return self.pictures.get(src) if src else None


def variant_widths(width: int) -> list[int]:
    """The widths to make of an image this wide: the standard ones below it, and its own."""
    largest = min(width, WIDTHS[-1])
    return [w for w in WIDTHS if w < largest] + [largest]


def variant_path(rel: str, width: int, extension: str) -> str:
    path = PurePosixPath(rel)
    return str(path.with_name(f"{path.stem}-{width}w{extension}"))


def make_pictures(source: Path, media: set[str], cache: Path | None, problems: Problems,
                  encode: bool = True) -> PictureSet:
    """Every raster image in `media` (paths relative to content/) with its variants; `cache`
    is the folder for encoded variants (None: encode in memory only). Without `encode` (a
    check that writes nothing) only the sizes are read."""
    result = PictureSet()
    keys = []
    for rel in sorted(media):
        extension = PurePosixPath(rel).suffix.lower()
        if extension == ".svg":
            size = svg_size((source / "content" / rel).read_bytes())
            if size:
                result.pictures[rel] = Picture(rel, *size)
            continue
        if extension not in RASTER:
            continue
        data = (source / "content" / rel).read_bytes()
        if media_problem(rel, data) is not None:
            continue  # the media check already says what is wrong with this file
        digest = hashlib.blake2b(data, digest_size=16).hexdigest()
        keys.append(f"{rel}:{digest}")
        try:
            picture, files = _variants(rel, data, digest, cache, encode)
        except (OSError, ValueError, Image.DecompressionBombError):
            # Pillow's own words are English and name objects in memory: the editor gets ours.
            problems.error(f"content/{rel}", 1, 1, "deze afbeelding kan niet worden gelezen: het bestand is beschadigd of onvolledig",
                           "sla de foto opnieuw op als JPEG of PNG, of kies een andere")
            continue
        result.pictures[rel] = picture
        result.files += files
    result.key = hashlib.blake2b("\n".join(keys).encode(), digest_size=16).hexdigest()
    return result


SVG_ROOT = re.compile(rb"<svg\b[^>]*>", re.S)
SVG_VIEWBOX = re.compile(rb"""viewBox\s*=\s*["']\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)""")


def svg_size(data: bytes) -> tuple[int, int] | None:
    """An SVG drawing's proportions, from its root's viewBox, for width and height on its img."""
    root = SVG_ROOT.search(data[:4096])
    found = SVG_VIEWBOX.search(root.group(0)) if root else None
    if not found:
        return None
    width, height = (round(float(number)) for number in found.groups())
    return (width, height) if width > 0 and height > 0 else None


def _variants(rel: str, data: bytes, digest: str, cache: Path | None,
              encode: bool) -> tuple[Picture, list[tuple[str, bytes, str]]]:
    format_name, mime = RASTER[PurePosixPath(rel).suffix.lower()]
    image = None
    with Image.open(io.BytesIO(data)) as probe:
        width, height = probe.size
    variants, files = [], []
    for target in variant_widths(width):
        target_height = max(1, round(height * target / width))
        for extension, kind, encoder in ((PurePosixPath(rel).suffix.lower(), mime, format_name),
                                         (".webp", "image/webp", "WEBP")):
            path = variant_path(rel, target, extension)
            variants.append(Variant(path, target, kind))
            if not encode:
                continue
            name = f"{digest}-{ENCODING}-{target}.{encoder.lower()}"
            encoded = _cached(cache, name)
            if encoded is None:
                if image is None:
                    image = _opened(data)
                encoded = _encode(image, target, target_height, encoder)
                _store(cache, name, encoded)
            files.append((path, encoded, rel))
    return Picture(rel, width, height, tuple(variants)), files


def _opened(data: bytes) -> "Image.Image":
    image = Image.open(io.BytesIO(data))
    image = ImageOps.exif_transpose(image)  # a phone photo stands as it was taken
    return image


def _encode(image: "Image.Image", width: int, height: int, encoder: str) -> bytes:
    resized = image.resize((width, height), Image.LANCZOS) if image.width != width else image.copy()
    if encoder == "JPEG" and resized.mode not in ("RGB", "L"):
        resized = resized.convert("RGB")
    buffer = io.BytesIO()
    if encoder == "JPEG":
        resized.save(buffer, "JPEG", quality=82, optimize=True, progressive=True)
    elif encoder == "PNG":
        resized.save(buffer, "PNG", optimize=True)
    else:
        resized.save(buffer, "WEBP", quality=80, method=4)
    return buffer.getvalue()


def _cached(cache: Path | None, name: str) -> bytes | None:
    if cache is None:
        return None
    try:
        return (cache / name).read_bytes()
    except OSError:
        return None


def _store(cache: Path | None, name: str, data: bytes) -> None:
    """Written beside and renamed, so a killed build never leaves half a variant to reuse."""
    if cache is None:
        return
    try:
        cache.mkdir(parents=True, exist_ok=True)
        temporary = cache / f".{name}.{os.getpid()}"
        temporary.write_bytes(data)
        os.replace(temporary, cache / name)
    except OSError:
        pass  # a cache that cannot be written means encoding again next time


# Where pages show an image, the width (CSS pixels) it fills there at most.
SLOTS = {"image": 720, "logo": 96}


def slot_warnings(images: list[tuple[str, str]], pictures: PictureSet, problems: Problems) -> None:
    """A warning for each image narrower than its slot: (media path, slot) pairs, each once."""
    for rel, slot in sorted(set(images)):
        picture = pictures.get(rel)
        needed = SLOTS[slot]
        if picture is not None and picture.variants and picture.width < needed:  # an SVG scales
            problems.warning(f"content/{rel}", 1, 1,
                             f"deze afbeelding is {picture.width} pixels breed; waar hij staat is {needed} pixels nodig",
                             f"gebruik een grotere versie, liefst {2 * needed} pixels breed, zodat hij scherp blijft")
