"""SimHash template signatures: the documented definition, worked by hand."""

from __future__ import annotations

import hashlib
import math

from a11y_audit.template_signature import hamming, path_hash, simhash


def test_path_hash_is_the_first_8_bytes_of_blake2b_big_endian():
    digest = hashlib.blake2b(b"body>div.header>ul>li").digest()
    assert path_hash("body>div.header>ul>li") == int.from_bytes(digest[:8], "big")


def test_one_path_gives_its_own_hash():
    assert simhash({"body": 3}) == f"{path_hash('body'):016x}"


def test_empty_is_all_zero():
    assert simhash({}) == "0000000000000000"
    assert simhash({"body": 0}) == "0000000000000000"


def test_weights_are_log2_of_one_plus_count():
    a, b = "body>main>p", "body>nav>ul>li"
    ha, hb = path_hash(a), path_hash(b)
    for ca, cb in [(1, 1), (7, 1), (1, 7), (3, 40)]:
        wa, wb = math.log2(1 + ca), math.log2(1 + cb)
        expected = 0
        for bit in range(64):
            total = (wa if ha >> bit & 1 else -wa) + (wb if hb >> bit & 1 else -wb)
            if total > 0:
                expected |= 1 << bit
        assert simhash({a: ca, b: cb}) == f"{expected:016x}"
    # Where the two hashes disagree, the heavier path wins the bit; where they agree, both do.
    assert simhash({a: 7, b: 1}) == f"{ha:016x}"


def test_hamming():
    assert hamming("0000000000000000", "ffffffffffffffff") == 64
    assert hamming("00000000000000f0", "0000000000000010") == 3
    assert hamming("123456789abcdef0", "123456789abcdef0") == 0
