"""Does the worker channel carry plain data only? Values round-trip exactly, anything else arrives as a
named placeholder, and garbage of any kind raises WireError (never another exception, never code).
The oracle is the value before encoding."""

import json
import os
import pickle
import random
import struct

import pytest
import torch

from course_tools.worker import wire


def roundtrip(value):
    frame = wire.encode(value)
    assert wire.frame_length(frame[:12]) == len(frame) - 12
    return wire.decode(frame[12:])


def body(header: dict, tail: bytes = b"") -> bytes:
    raw = json.dumps(header).encode()
    return struct.pack(">I", len(raw)) + raw + tail


@pytest.mark.parametrize("dtype", list(wire.DTYPES.values()), ids=list(wire.DTYPES))
def test_tensors_roundtrip_exactly(dtype):
    """Does every supported dtype come back with its shape, dtype and values, 0-d and empty included?"""
    for shape in [(), (0,), (3,), (2, 3, 4)]:
        t = (torch.randn(shape) * 5).to(dtype)
        view = t.transpose(0, 1) if t.dim() > 1 else t  # not contiguous
        back = roundtrip({"t": t, "view": view})
        assert type(back["t"]) is torch.Tensor and back["t"].dtype == dtype and back["t"].shape == t.shape
        assert torch.equal(back["t"], t) and torch.equal(back["view"], view)


def test_plain_values_roundtrip():
    """Do numbers, strings, None, nested lists and str-keyed dicts come back, with inf and nan?"""
    value = {"a": [1, 2.5, "x", None, True, [float("inf"), float("-inf")]], "b": {"c": (1, 2)}}
    back = roundtrip(value)
    assert back == {"a": [1, 2.5, "x", None, True, [float("inf"), float("-inf")]], "b": {"c": [1, 2]}}
    assert roundtrip(float("nan")) != roundtrip(float("nan"))  # nan stays nan


class Liar(torch.Tensor):
    def __eq__(self, other):
        return True


class Bomb:
    def __reduce__(self):
        return (os.system, ("echo should-never-run",))


def test_subclasses_arrive_as_plain_tensors_and_objects_as_placeholders():
    """Does a lying tensor subclass arrive as a plain tensor, and an object with __reduce__ as a placeholder?"""
    back = roundtrip([torch.zeros(2).as_subclass(Liar), Bomb(), {1: "non-str key"}, 3 + 4j])
    assert type(back[0]) is torch.Tensor and not torch.equal(back[0], torch.ones(2))
    assert [type(v) for v in back[1:]] == [wire.Unsendable] * 3 and repr(back[1]) == "<Bomb object>"


def test_a_pickle_is_garbage():
    """Is a pickle (here of an object that would run a command) refused, as a frame and as a body?"""
    payload = pickle.dumps(Bomb())
    with pytest.raises(wire.WireError):
        wire.frame_length(payload[:12].ljust(12, b"\0"))
    with pytest.raises(wire.WireError):
        wire.decode(payload)


@pytest.mark.parametrize("frame_body", [
    b"", b"\0\0\0", b"\0\0\0\x05{}", body({"value": 1}), body({"tensors": []}), body([1, 2]),
    body({"value": {"__tensor__": 0}, "tensors": []}),
    body({"value": 0, "tensors": [["complex128", [1]]]}, b"\0" * 16),
    body({"value": 0, "tensors": [["float32", [-1]]]}),
    body({"value": 0, "tensors": [["float32", [2]]]}, b"\0" * 4),
    body({"value": 0, "tensors": [["float32", [1]]]}, b"\0" * 8),
    body({"value": 0, "tensors": [["float32", [1 << 62, 1 << 62]]]}),
    body({"value": 0, "tensors": [[["float32"], [1]]]}, b"\0" * 4),
    body({"value": {"__float__": "not a float"}, "tensors": []}),
    struct.pack(">I", 3) + b"[[[",
    struct.pack(">I", 100_001) + b"[" * 100_000 + b"1",
    struct.pack(">I", 5010) + b"9" * 5010,
    struct.pack(">I", wire.MAX_HEADER + 1),
], ids=lambda b: repr(b[:24]))
def test_malformed_bodies_raise_wire_error(frame_body):
    """Does each malformed body raise WireError, and nothing else?"""
    with pytest.raises(wire.WireError):
        wire.decode(frame_body)


def test_frame_prefixes_are_checked():
    """Are a wrong magic, a short prefix and an over-long announced length refused?"""
    for prefix in (b"XXXX" + bytes(8), b"CRSW", wire.MAGIC + struct.pack(">Q", wire.MAX_FRAME + 1)):
        with pytest.raises(wire.WireError):
            wire.frame_length(prefix)
    assert wire.frame_length(wire.MAGIC + struct.pack(">Q", 7)) == 7


def test_random_garbage_never_raises_anything_but_wire_error():
    """Do 2,000 random and mutated bodies either decode to plain data or raise WireError?"""
    rng = random.Random(0)
    good = wire.encode({"x": torch.arange(6.0).reshape(2, 3), "y": [1, "a"]})[12:]
    for i in range(2000):
        if i % 2:
            data = bytes(rng.randrange(256) for _ in range(rng.randrange(64)))
        else:
            data = bytearray(good)
            for _ in range(rng.randrange(1, 6)):
                data[rng.randrange(len(data))] = rng.randrange(256)
            data = bytes(data[: rng.randrange(len(data) + 1)])
        try:
            value = wire.decode(data)
        except wire.WireError:
            continue
        assert _plain(value), value


def _plain(value) -> bool:
    if isinstance(value, (list, tuple)):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    return value is None or type(value) in (bool, int, float, str, torch.Tensor, wire.Unsendable)
