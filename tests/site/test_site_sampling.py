"""Representative sampling: clustering by template signature and a sample that explains itself."""

from __future__ import annotations

import pytest

from a11y_audit.errors import AuditUsageError
from a11y_audit.sampling import cluster_signatures, sample_pages
from a11y_audit.store import StoredPage

HOME = "f0f0f0f0f0f0f0f0"
BOARD = "0000000000000000"
FORM = "ffffffff00000000"
STATS = "00000000ffffffff"


def flip(sig: str, *bits: int) -> str:
    value = int(sig, 16)
    for b in bits:
        value ^= 1 << b
    return f"{value:016x}"


def pages_for(groups: list[tuple[str, str, int]]) -> list[StoredPage]:
    """(path prefix, base signature, count) → stored pages, members 0-3 bits away from their base."""
    out = [StoredPage(1, "https://x.go.kr/", None, 0, 200, "홈", HOME, None, None, 0, 1)]
    order = 2
    for prefix, base, count in groups:
        for i in range(count):
            sig = flip(base, *range(i % 4))  # 0, 1, 2 or 3 bits away
            out.append(
                StoredPage(
                    order, f"https://x.go.kr/{prefix}/{i}", None, 1, 200, None, sig, None, None, 0, order
                )
            )
            order += 1
    return out


def test_clusters_group_near_signatures_largest_first():
    sigs = [BOARD, flip(BOARD, 1), FORM, flip(BOARD, 2, 3), flip(FORM, 40), STATS]
    assert cluster_signatures(sigs, threshold=10) == [[0, 1, 3], [2, 4], [5]]
    assert cluster_signatures(sigs, threshold=0) == [[0], [1], [2], [3], [4], [5]]


def test_sample_is_home_plus_one_medoid_per_template_then_extras():
    pages = pages_for([("board", BOARD, 30), ("form", FORM, 8), ("stats", STATS, 4)])
    pages.append(
        StoredPage(99, "https://x.go.kr/broken", None, 1, 500, None, None, "HTTP 500", "http", 0, 99)
    )
    s = sample_pages(pages, ["https://x.go.kr/"], size=10)
    assert (s.pages_considered, s.pages_excluded, len(s.clusters)) == (43, 1, 4)
    roles = [(e.role, e.cluster, e.cluster_size) for e in s.entries]
    assert roles[:4] == [("home", 4, 1), ("template", 1, 30), ("template", 2, 8), ("template", 3, 4)]
    assert [r for r, _, _ in roles[4:]] == ["extra"] * 6
    # extras go round-robin to the largest clusters
    assert [c for _, c, _ in roles[4:]] == [1, 2, 3, 1, 2, 3]
    # the medoid of a cluster whose members are 0-3 bits from the base is a member at the base (1 bit flips
    # cancel out least): its signature is the base or one bit away
    board = s.entries[1]
    assert board.url.startswith("https://x.go.kr/board/") and bin(int(board.signature, 16)).count("1") <= 1
    assert board.reason == "template of cluster 1: the most typical of its 30 pages (stands for 29 others)"
    assert s.entries[0].reason == "home page; stands for cluster 4 (1 page)"
    assert len(set(s.urls)) == 10 and s.uncovered_clusters == 0


def test_small_sample_reports_the_clusters_it_leaves_out():
    pages = pages_for([("board", BOARD, 30), ("form", FORM, 8), ("stats", STATS, 4)])
    s = sample_pages(pages, ["https://x.go.kr/"], size=3)
    assert [e.cluster_size for e in s.entries] == [1, 30, 8]
    assert (s.uncovered_clusters, s.uncovered_pages) == (1, 4)


def test_sampling_bad_arguments_and_empty_runs():
    with pytest.raises(AuditUsageError, match="--size"):
        sample_pages([], [], size=0)
    s = sample_pages([], ["https://x.go.kr/"], size=10)
    assert s.entries == [] and s.pages_considered == 0
