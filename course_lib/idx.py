"""Checks that an IDX file (the MNIST family's format) is whole before anyone decodes it."""

from __future__ import annotations

import os
import struct

# IDX type byte -> bytes per element (0x08 unsigned byte ... 0x0E double).
_ELEMENT_SIZE = {0x08: 1, 0x09: 1, 0x0B: 2, 0x0C: 4, 0x0D: 4, 0x0E: 8}


class IDXFormatError(ValueError):
    """Raised when an IDX file is truncated, padded or has a bad header."""


def read_idx_header(path: str | os.PathLike, ndim: int) -> tuple[int, ...]:
    """Return the dimensions in the header of `path` after checking it holds exactly that much data.

    `ndim` is the expected number of dimensions: 3 for images (N, 28, 28), 1 for labels (N,).
    Raises IDXFormatError naming the file when the magic number, the dimensions or the file size
    disagree, so that a partial download never turns into a silently smaller dataset.
    """
    path = os.fspath(path)
    size = os.path.getsize(path)
    with open(path, "rb") as f:
        head = f.read(4 + 4 * ndim)
    if len(head) < 4 + 4 * ndim:
        raise IDXFormatError(f"{path}: only {size} bytes, too short for an IDX header; the file is truncated")
    zero, type_code, found_ndim = struct.unpack(">HBB", head[:4])
    if zero != 0 or type_code not in _ELEMENT_SIZE:
        raise IDXFormatError(f"{path}: bad magic number {head[:4].hex()}; this is not an uncompressed IDX file")
    if found_ndim != ndim:
        raise IDXFormatError(f"{path}: header says {found_ndim} dimensions, expected {ndim}")
    dims = struct.unpack(f">{ndim}I", head[4:])
    expected = 4 + 4 * ndim + _ELEMENT_SIZE[type_code] * _product(dims)
    if size != expected:
        what = "truncated" if size < expected else "longer than its header says"
        raise IDXFormatError(
            f"{path}: {size} bytes, but its header {dims} needs {expected}; the file is {what}. "
            "Delete it and download or copy it again."
        )
    return dims


def _product(dims: tuple[int, ...]) -> int:
    result = 1
    for d in dims:
        result *= d
    return result
