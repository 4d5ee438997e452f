#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
#
# Writes the fuzzer's seed corpus (corpus/): for every table shape, a few
# operation sequences encoded the way fuzz.c decodes them, so each run
# starts from maps of every page-size class, partial and exact unmaps,
# lookups, refused calls and failed allocations. Rerun after changing the
# decoder:  tools/testing/iox/fuzz/gen-seeds.py

import os
import struct
import sys

NSHAPES = 14          # the shapes[] of fuzz.c
OP_MAP, OP_UNMAP, OP_LOOKUP, OP_BAD = 0, 3, 5, 7


def rng(size_idx, slot, count=1, misalign=None, extra=None):
    """pick_range(): size class, shape byte, 32-bit slot, optional bytes."""
    shape = (count - 1) & 7
    tail = b""
    if misalign is not None:
        shape |= 0x80
        tail += bytes([misalign])
    if extra is not None:
        shape |= 0x40
        tail += bytes([extra])
    return bytes([size_idx, shape]) + struct.pack("<I", slot) + tail


def op_map(size_idx, slot, count=1, phys="congruent", pbits=3, nth=None,
           **kw):
    how = {"congruent": 0, "identity": 1, "any": 2, "offset": 3}[phys]
    if nth is not None:
        how |= 0x80
    out = bytes([OP_MAP, how, pbits]) + rng(size_idx, slot, count, **kw)
    if phys == "congruent":
        out += bytes([1])                  # physical GiB slot
    elif phys == "any":
        out += struct.pack("<I", 0x12345)
    elif phys == "offset":
        out += bytes([0])
    if nth is not None:
        out += bytes([nth])
    return out


def op_unmap(size_idx, slot, count=1, **kw):
    return bytes([OP_UNMAP]) + rng(size_idx, slot, count, **kw)


def op_lookup_leaf(index, offset):
    return bytes([OP_LOOKUP, 1]) + struct.pack("<II", index, offset)


def op_lookup_addr(addr):
    return bytes([OP_LOOKUP, 0]) + struct.pack("<I", addr)


def op_bad(which, slot=3):
    return bytes([OP_BAD]) + struct.pack("<I", slot) + bytes([which])


def seeds(shape):
    """(name, bytes) pairs for one shape; size class 0 is the smallest."""
    head = bytes([shape, 0])
    mixed = head
    for size_idx in range(4):
        mixed += op_map(size_idx, 2 + size_idx, count=3)
        mixed += op_lookup_leaf(size_idx, 0x1234)
    mixed += op_map(0, 100, count=2, phys="offset", extra=1)
    mixed += op_map(1, 2, count=1)           # meets a mapped page: -EEXIST
    mixed += op_unmap(1, 2, misalign=1)      # cuts a leaf: -EINVAL
    mixed += op_unmap(1, 2, count=2)
    mixed += op_lookup_addr(0x4000)
    yield "mixed", mixed

    bulk = head + op_map(0, 0, count=8, phys="any")
    bulk += op_map(2, 1, count=8, phys="identity", pbits=0x9c)
    bulk += op_unmap(2, 1, count=4) + op_unmap(0, 0, count=8)
    yield "bulk", bulk

    failing = bytes([shape, 1 | 0x0a])      # restrict the page sizes
    for nth in range(1, 4):
        failing += op_map(nth, nth * 7, count=2, nth=nth)
    failing += op_map(0, 9, count=5, phys="offset", nth=2)
    yield "failnth", failing

    bad = head + op_map(0, 3) + b"".join(op_bad(w) for w in range(9))
    yield "refused", bad


def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")
    os.makedirs(out, exist_ok=True)
    for name in os.listdir(out):
        os.unlink(os.path.join(out, name))
    for shape in range(NSHAPES):
        for kind, data in seeds(shape):
            with open(os.path.join(out, "%02d-%s" % (shape, kind)), "wb") as f:
                f.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
