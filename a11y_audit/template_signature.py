"""Template signatures: a 64-bit SimHash of a page's element structure, so pages built from the same
template land close together (small Hamming distance) whatever their text.

The page side (``checks/dom_checks.js``) counts tag paths of the rendered DOM: every element from
``body`` (depth 0) down to depth 6, written as ``tag[.firstclass]`` segments joined by ``>``
(``body>div.header>ul>li``); ``script``, ``style``, ``svg``, ``noscript`` and ``template`` elements
and everything inside them are skipped. This module turns those counts into the signature.

Definition: each distinct path is hashed to 64 bits with the first 8 bytes (big-endian) of
``blake2b(path.encode("utf-8"))`` (default 64-byte digest) and weighted by ``log2(1 + count)``; bit
*i* of the signature is 1 when the weighted sum over paths of (+w if bit *i* of the path hash is set,
else -w) is positive. Written as 16 lowercase hex digits; no paths gives ``0000000000000000``.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping

BITS = 64
#: Signatures this many bits apart or closer are one template (measured on the benchmark site;
#: the default of ``ddkit audit sample --threshold``).
DEFAULT_THRESHOLD = 6


def path_hash(path: str) -> int:
    """The 64-bit hash of one tag path."""
    return int.from_bytes(hashlib.blake2b(path.encode("utf-8")).digest()[:8], "big")


def simhash(paths: Mapping[str, int]) -> str:
    """The SimHash of a multiset of tag paths (path -> number of elements with that path)."""
    totals = [0.0] * BITS
    for path, count in paths.items():
        if count <= 0:
            continue
        weight = math.log2(1 + count)
        h = path_hash(path)
        for bit in range(BITS):
            totals[bit] += weight if (h >> bit) & 1 else -weight
    value = 0
    for bit, total in enumerate(totals):
        if total > 0:
            value |= 1 << bit
    return f"{value:016x}"


def hamming(a: str, b: str) -> int:
    """Number of differing bits between two signatures."""
    return (int(a, 16) ^ int(b, 16)).bit_count()
