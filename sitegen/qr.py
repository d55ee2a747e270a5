"""Render helper: QR codes for the share panel, as inline SVG.

Hands `qr_svg` (a template filter, registered in render.FILTERS) and `qr_modules` on."""

from __future__ import annotations

import operator
import re

import segno
from markupsafe import Markup
from segno import consts as qr_consts, encoder as qr_encoder

# segno spends most of a code's time in per-module Python loops; a story page needs one, so
# a large site spent more time on QR codes than on any template. The fast path below builds
# the very matrix segno.make(text, error="m", mask=0) gives (same version, same boosted error
# level, same codewords; tests/test_templates.py compares them) in a fraction of that time:
# everything that depends only on the version and error level is worked out once, so a code
# costs its Reed-Solomon division, one int XOR for the mask and one gather for the placement.
# Texts segno would encode otherwise (non-ASCII, digits or capitals only, short enough for a
# Micro QR code) go through segno itself.

_QR_BORDER = 4
_QR_FAST_MINIMUM = 16  # bytes; anything shorter could become a Micro QR code
# One token per row start (a character above U+00FF), per run of dark modules, and per run
# of light modules that a dark one follows on the same row.
_QR_RUNS = re.compile(r"1+|0+(?=1)|[^01](?=0*1)")
_qr_layouts: dict[tuple[int, int], tuple] = {}
_qr_rs_tables: dict[int, list[int]] = {}
_qr_path_tables: dict[int, dict[str, str]] = {}


def _qr_flat(matrix) -> str:
    """Rows as '0'/'1' text, each after a marker character that names its row."""
    return "".join(chr(0x100 + y) + "".join("1" if module & 1 else "0" for module in row)
                   for y, row in enumerate(matrix))


def _qr_rs_table(count: int) -> list[int]:
    """Reed-Solomon: for each feedback byte, the generator polynomial times it, as one int."""
    table = _qr_rs_tables.get(count)
    if table is None:
        log, exp, generator = qr_consts.GALIOS_LOG, qr_consts.GALIOS_EXP, qr_consts.GEN_POLY[count]
        table = [0] + [int.from_bytes(bytes(exp[log[factor] + g] for g in generator), "big")
                       for factor in range(1, 256)]
        _qr_rs_tables[count] = table
    return table


def _qr_layout(version: int, error: int) -> tuple:
    """What every code of this version and error level shares, made with segno's own steps."""
    layout = _qr_layouts.get((version, error))
    if layout is not None:
        return layout
    size = qr_encoder.calc_matrix_size(version)
    matrix = qr_encoder.make_matrix(size, size)
    qr_encoder.add_finder_patterns(matrix, size, size)
    qr_encoder.add_alignment_patterns(matrix, size, size)
    positions = []  # data modules in the order segno's add_codewords fills them
    for right in range(size - 1, 0, -2):
        if right <= 6:
            right -= 1
        for vertical in range(size):
            for column in (right, right - 1):
                upwards = ((right & 2) == 0) ^ (column < 6)
                row = (size - 1 - vertical) if upwards else vertical
                if matrix[row][column] == 0x2:
                    positions.append((row, column))
    # The code of an all-zero message: function patterns, format and version information,
    # and on every data module the mask itself. Any message is this XOR its bits.
    qr_encoder.add_codewords(matrix, bytearray(len(positions)), version)
    _, matrix = qr_encoder.find_and_apply_best_mask(matrix, size, size, 0)
    qr_encoder.add_format_info(matrix, version, error, 0)
    qr_encoder.add_version_info(matrix, version)
    base = _qr_flat(matrix)
    mask = int("".join(str(matrix[row][column] & 1) for row, column in positions), 2)
    data_index = {row * (size + 1) + column + 1: index for index, (row, column) in enumerate(positions)}
    gather = operator.itemgetter(*(len(base) + data_index[at] if at in data_index else at for at in range(len(base))))
    blocks = [(info.num_data, info.num_total - info.num_data)
              for info in qr_consts.ECC[version][error] for _ in range(info.num_blocks)]
    layout = (size, base, gather, mask, len(positions), blocks, qr_consts.SYMBOL_CAPACITY[version][error])
    _qr_layouts[(version, error)] = layout
    return layout


def _qr_fast(data: bytes) -> tuple[int, str] | None:
    """segno's byte-mode code at error level M (boosted when it fits), mask 0, as _qr_flat text."""
    capacities = qr_consts.SYMBOL_CAPACITY
    for version in range(1, 41):
        bits = 4 + (8 if version < 10 else 16) + 8 * len(data)  # mode, character count, bytes
        if capacities[version][qr_consts.ERROR_LEVEL_M] >= bits:
            break
    else:
        return None
    error = qr_consts.ERROR_LEVEL_M
    for better in (qr_consts.ERROR_LEVEL_Q, qr_consts.ERROR_LEVEL_H):
        if capacities[version][better] < bits:
            break
        error = better
    size, base, gather, mask, modules, blocks, capacity = _qr_layout(version, error)
    stream = (((0b0100 << (8 if version < 10 else 16)) | len(data)) << 8 * len(data)) | int.from_bytes(data, "big")
    terminator = min(capacity - bits, 4)
    padding = 8 - (bits + terminator) % 8  # segno pads a whole zero byte when already aligned
    stream <<= terminator + padding
    total = capacity // 8
    codewords = (stream.to_bytes((bits + terminator + padding) // 8, "big") + b"\xec\x11" * total)[:total]
    data_blocks, error_blocks, start = [], [], 0
    for count, error_count in blocks:
        block = codewords[start:start + count]
        start += count
        table, shift, keep = _qr_rs_table(error_count), 8 * (error_count - 1), (1 << 8 * error_count) - 1
        remainder = 0
        for byte in block:
            remainder = ((remainder << 8) & keep) ^ table[byte ^ (remainder >> shift)]
        data_blocks.append(block)
        error_blocks.append(remainder.to_bytes(error_count, "big"))
    message = bytearray()
    for group in (data_blocks, error_blocks):  # interleaved: first bytes of all blocks, then the seconds...
        for index in range(max(map(len, group))):
            message.extend(block[index] for block in group if index < len(block))
    value = (int.from_bytes(message, "big") << (modules - 8 * len(message))) ^ mask
    return size, "".join(gather(base + format(value, f"0{modules}b")))


def qr_modules(text: str) -> tuple[int, str]:
    """The QR code segno.make(text, error="m", mask=0) would make: its size and rows as _qr_flat text."""
    if text.isascii() and len(text) >= _QR_FAST_MINIMUM:
        data = text.encode("ascii")
        if qr_encoder.find_mode(data) == qr_consts.MODE_BYTE:
            fast = _qr_fast(data)
            if fast is not None:
                return fast
    # A fixed mask skips segno's trial of all eight masks, which costs 80% of its time;
    # every mask gives a valid code that any reader scans.
    code = segno.make(text, error="m", mask=0)
    return code.symbol_size(scale=1, border=0)[0], _qr_flat(code.matrix)


def _qr_path_table(size: int) -> dict[str, str]:
    table = _qr_path_tables.get(size)
    if table is None:
        table = {chr(0x100 + y): f"M{_QR_BORDER} {y + _QR_BORDER}" for y in range(size)}
        for length in range(1, size + 1):
            table["1" * length] = f"h{length}"
            table["0" * length] = f"m{length} 0"
        _qr_path_tables[size] = table
    return table


def qr_svg(text: str) -> Markup:
    """A QR code as inline SVG, made at build time; decorative, since the URL is printed next to it."""
    size, flat = qr_modules(text)
    # Each row is one move to its start, then a line per run of dark modules and a relative
    # move over each light gap; the tokens come from a table, so no number is formatted here.
    path = "".join(map(_qr_path_table(size).__getitem__, _QR_RUNS.findall(flat)))
    width = size + 2 * _QR_BORDER
    return Markup(f'<svg aria-hidden="true" focusable="false" class="qr" viewBox="0 0 {width} {width}">'
                  f'<path fill="#fff" d="M0 0h{width}v{width}H0z"/>'
                  f'<path stroke="#000" d="{path}" transform="translate(0 .5)"/></svg>')
