"""The worker channel's message format: JSON plus raw tensor bytes; decoding never runs code.

A frame is MAGIC, an 8-byte big-endian length, then the body. The body is a 4-byte header
length, a JSON header {"value": ..., "tensors": [[dtype, shape], ...]}, then each tensor's
bytes. In `value`, {"__tensor__": i} stands for the i-th tensor and {"__object__": "TypeName"}
for anything that cannot cross (so the judge can say what came back).
"""

from __future__ import annotations

import json
import math
import struct

import torch

MAGIC = b"CRSW"
MAX_FRAME = 256 << 20  # anything larger is refused as a gigantic output (legitimate replies are < 20 MiB)
MAX_HEADER = 8 << 20  # the JSON part: parsing it costs many times its size in memory

DTYPES = {
    "float16": torch.float16, "float32": torch.float32, "float64": torch.float64,
    "int32": torch.int32, "int64": torch.int64, "uint8": torch.uint8, "bool": torch.bool,
}
_NAMES = {v: k for k, v in DTYPES.items()}


class WireError(ValueError):
    """Raised for a frame that is not a well-formed message."""


def _pack(value, tensors: list, chunks: list):
    if isinstance(value, torch.Tensor):
        t = torch.Tensor.detach(value).cpu().contiguous()
        if t.dtype not in _NAMES:
            return {"__object__": f"Tensor[{t.dtype}]"}
        tensors.append([_NAMES[t.dtype], list(t.shape)])
        flat = t.reshape(-1)  # a 0-d tensor cannot be viewed as bytes
        chunks.append(flat.view(torch.uint8).numpy().tobytes() if t.dtype != torch.bool else flat.numpy().tobytes())
        return {"__tensor__": len(tensors) - 1}
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else {"__float__": repr(value)}
    if isinstance(value, (list, tuple)):
        return [_pack(v, tensors, chunks) for v in value]
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {k: _pack(v, tensors, chunks) for k, v in value.items()}
    return {"__object__": type(value).__name__}


def encode(value) -> bytes:
    """Return the frame for `value` (tensors, numbers, str, None, lists, tuples, str-keyed dicts)."""
    tensors, chunks = [], []
    header = json.dumps({"value": _pack(value, tensors, chunks), "tensors": tensors}).encode()
    body = struct.pack(">I", len(header)) + header + b"".join(chunks)
    return MAGIC + struct.pack(">Q", len(body)) + body


PREFIX_BYTES = len(MAGIC) + 8

# The envelope, for both sides: the worker's first frame is READY; each request names a probe, the
# exercise module it runs on and its arguments, and carries an id that its reply echoes.
READY = {"ready": True}


def request(request_id: int, probe: str, module: str | None, args: dict) -> dict:
    return {"id": request_id, "probe": probe, "module": module, "args": args}


def value_reply(request_id, value) -> dict:
    return {"id": request_id, "ok": True, "value": value}


def error_reply(request_id, kind: str, message: str, where: str = "", frames: list | None = None) -> dict:
    """A failed request: the exception's type name, message, the student's lines and their frames."""
    return {"id": request_id, "ok": False, "type": kind, "message": message, "where": where, "frames": frames or []}


def is_reply(value, request_id: int) -> bool:
    return isinstance(value, dict) and "ok" in value and value.get("id") == request_id


def is_earlier_reply(value, request_id: int) -> bool:
    """A reply to a request before `request_id` (written late by a process the student left running)."""
    return isinstance(value, dict) and isinstance(value.get("id"), int) and 0 < value["id"] < request_id


def frame_length(prefix: bytes) -> int:
    """Return the body length announced by a PREFIX_BYTES frame prefix."""
    if len(prefix) != PREFIX_BYTES or prefix[:4] != MAGIC:
        raise WireError("the channel carried something that is not a frame")
    length = struct.unpack(">Q", prefix[4:])[0]
    if length > MAX_FRAME:
        raise WireError(f"a {length}-byte message is larger than the {MAX_FRAME}-byte limit")
    return length


def _unpack(value, tensors):
    if isinstance(value, list):
        return [_unpack(v, tensors) for v in value]
    if isinstance(value, dict):
        if set(value) == {"__tensor__"}:
            return tensors[value["__tensor__"]]
        if set(value) == {"__float__"}:
            return float(value["__float__"])
        if set(value) == {"__object__"}:
            return Unsendable(str(value["__object__"]))
        return {k: _unpack(v, tensors) for k, v in value.items()}
    return value


class Unsendable:
    """Stands for a value of a type that cannot cross the channel."""

    def __init__(self, type_name: str):
        self.type_name = type_name

    def __repr__(self) -> str:
        return f"<{self.type_name} object>"


def decode(body: bytes):
    """Return the value in a frame body; raises WireError for anything malformed."""
    try:
        (n,) = struct.unpack(">I", body[:4])
        if n > MAX_HEADER:
            raise WireError(f"a {n}-byte header is larger than the {MAX_HEADER}-byte limit")
        header = json.loads(body[4 : 4 + n])
        offset, tensors = 4 + n, []
        for dtype_name, shape in header["tensors"]:
            dtype = DTYPES[dtype_name]
            if not all(isinstance(d, int) and d >= 0 for d in shape):
                raise WireError(f"bad shape {shape}")
            nbytes = math.prod(shape) * torch.empty((), dtype=dtype).element_size()
            raw = body[offset : offset + nbytes]
            if len(raw) != nbytes:
                raise WireError("tensor bytes are missing")
            offset += nbytes
            flat = torch.frombuffer(bytearray(raw), dtype=torch.uint8) if nbytes else torch.empty(0, dtype=torch.uint8)
            tensors.append(flat.view(dtype).reshape(shape).clone())
        if offset != len(body):
            raise WireError("trailing bytes after the last tensor")
        return _unpack(header["value"], tensors)
    except WireError:
        raise
    except (KeyError, TypeError, ValueError, IndexError, RuntimeError, struct.error) as error:
        raise WireError(f"malformed message: {error}") from None
