"""A representative sample of a crawled site: the home page plus one page per template.

Certification reviews look at about 10 template pages (home + one per template type, KWCAG notes
§3.3). Pages are grouped by their template signature (a 64-bit SimHash of the DOM's tag paths, see
:mod:`a11y_audit.template_signature`): two pages are the same template when their signatures differ in
at most ``threshold`` bits.

Method (deterministic):

1. Candidates are the pages audited without error, in crawl order (shallowest first).
2. Leader clustering: each page joins the nearest existing cluster leader within ``threshold`` bits,
   or starts a new cluster.
3. One refinement pass: each cluster's medoid (the member with the smallest total distance to the
   others) becomes its centre, every page moves to its nearest centre, medoids are recomputed.
4. The home page (the first start URL, else the first page crawled) is chosen first and stands for
   its cluster; then the medoid of every other cluster, largest cluster first.
5. If there are fewer clusters than places, the remaining places go, round-robin from the largest
   cluster, to the member most unlike the pages already chosen from that cluster; if there are more,
   the smallest clusters are left out and counted.

Every chosen page says which cluster it stands for and how many pages that cluster has.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from a11y_audit.crawl.frontier import canonical_url, url_key
from a11y_audit.errors import AuditUsageError
from a11y_audit.store import AuditStore, StoredPage
from a11y_audit.template_signature import DEFAULT_THRESHOLD

#: Members used to find a medoid in a very large cluster (the first ones in crawl order).
MEDOID_SAMPLE = 2000


@dataclass
class SampleEntry:
    rank: int
    url: str
    final_url: str | None
    title: str | None
    role: str  # "home", "template" (a cluster's medoid) or "extra" (a second page of a large cluster)
    cluster: int  # 1 = the largest cluster
    cluster_size: int
    signature: str
    reason: str


@dataclass
class ClusterInfo:
    id: int
    size: int
    medoid: str
    examples: list[str]
    in_sample: bool


@dataclass
class Sample:
    run_id: int
    size: int
    threshold: int
    pages_considered: int
    pages_excluded: int  # stored pages with an error or no signature
    entries: list[SampleEntry] = field(default_factory=list)
    clusters: list[ClusterInfo] = field(default_factory=list)
    uncovered_clusters: int = 0
    uncovered_pages: int = 0

    @property
    def urls(self) -> list[str]:
        return [e.url for e in self.entries]


def _bits(signatures: list[str]) -> np.ndarray:
    return np.array([int(s, 16) for s in signatures], dtype=np.uint64)


def _distances(values: np.ndarray, one: np.uint64) -> np.ndarray:
    return np.bitwise_count(values ^ one).astype(np.int64)


def _medoid(members: list[int], values: np.ndarray) -> int:
    pool = members[:MEDOID_SAMPLE]
    sub = values[pool]
    totals = [int(_distances(sub, sub[i]).sum()) for i in range(len(pool))]
    best = min(range(len(pool)), key=lambda i: (totals[i], i))  # ties: earliest in crawl order
    return pool[best]


def cluster_signatures(signatures: list[str], threshold: int = DEFAULT_THRESHOLD) -> list[list[int]]:
    """Clusters of indexes into ``signatures`` (given in crawl order), largest first."""
    if not signatures:
        return []
    values = _bits(signatures)
    leaders: list[int] = []
    assign = [0] * len(signatures)
    for i, value in enumerate(values):
        if leaders:
            dist = _distances(values[leaders], value)
            nearest = int(np.argmin(dist))
            if dist[nearest] <= threshold:
                assign[i] = nearest
                continue
        leaders.append(i)
        assign[i] = len(leaders) - 1
    groups: list[list[int]] = [[] for _ in leaders]
    for i, c in enumerate(assign):
        groups[c].append(i)
    centres = [_medoid(g, values) for g in groups]
    regroup: list[list[int]] = [[] for _ in centres]
    centre_values = values[centres]
    for i, value in enumerate(values):
        dist = _distances(centre_values, value)
        regroup[int(np.argmin(dist))].append(i)  # argmin: ties go to the older cluster
    clusters = [g for g in regroup if g]
    clusters.sort(key=lambda g: (-len(g), g[0]))
    return clusters


def _home_index(pages: list[StoredPage], seeds: list[str]) -> int:
    keys = [url_key(c) for c in (canonical_url(s) for s in seeds[:1]) if c]
    for i, page in enumerate(pages):
        if keys and url_key(page.url) == keys[0]:
            return i
    return 0


def sample_pages(
    pages: list[StoredPage],
    seeds: list[str],
    size: int = 10,
    threshold: int = DEFAULT_THRESHOLD,
    run_id: int = 0,
) -> Sample:
    """Choose ``size`` representative pages among ``pages`` (stored pages in crawl order)."""
    if size < 1:
        raise AuditUsageError("--size must be at least 1.")
    if not 0 <= threshold <= 64:
        raise AuditUsageError("--threshold must be between 0 and 64 bits.")
    candidates = [p for p in pages if p.error is None and p.template_signature]
    sample = Sample(
        run_id=run_id,
        size=size,
        threshold=threshold,
        pages_considered=len(candidates),
        pages_excluded=len(pages) - len(candidates),
    )
    if not candidates:
        return sample
    signatures = [p.template_signature or "" for p in candidates]
    values = _bits(signatures)
    clusters = cluster_signatures(signatures, threshold)
    cluster_of = {i: n for n, members in enumerate(clusters) for i in members}
    medoids = [_medoid(members, values) for members in clusters]
    home = _home_index(candidates, seeds)
    chosen: list[tuple[int, str, int]] = [(home, "home", cluster_of[home])]
    for n, medoid in enumerate(medoids):
        if len(chosen) >= size:
            break
        if n == cluster_of[home]:
            continue
        chosen.append((medoid, "template", n))
    covered = {c for _, _, c in chosen}
    # Fill: a second (third, ...) page of the largest clusters, the one least like those already chosen.
    while len(chosen) < size:
        added = False
        for n, members in enumerate(clusters):
            if len(chosen) >= size:
                break
            taken = [i for i, _, c in chosen if c == n]
            rest = [i for i in members if i not in taken]
            if not rest:
                continue
            far = max(rest, key=lambda i: (min(int(_distances(values[taken], values[i]).min()), 64), -i))
            chosen.append((far, "extra", n))
            added = True
        if not added:
            break
    for rank, (i, role, n) in enumerate(chosen, start=1):
        page = candidates[i]
        size_n = len(clusters[n])
        others = size_n - 1
        if role == "home":
            reason = f"home page; stands for cluster {n + 1} ({size_n} page{'s' if size_n != 1 else ''})"
        elif role == "template":
            reason = (
                f"template of cluster {n + 1}: the most typical of its {size_n} page{'s' if size_n != 1 else ''}"
                + (f" (stands for {others} other{'s' if others != 1 else ''})" if others else "")
            )
        else:
            reason = (
                f"another page of cluster {n + 1} ({size_n} pages), the one least like those already chosen"
            )
        sample.entries.append(
            SampleEntry(
                rank=rank,
                url=page.url,
                final_url=page.final_url,
                title=page.title,
                role=role,
                cluster=n + 1,
                cluster_size=size_n,
                signature=page.template_signature or "",
                reason=reason,
            )
        )
    for n, members in enumerate(clusters):
        sample.clusters.append(
            ClusterInfo(
                id=n + 1,
                size=len(members),
                medoid=candidates[medoids[n]].url,
                examples=[candidates[i].url for i in members[:3]],
                in_sample=n in covered,
            )
        )
    uncovered = [c for c in sample.clusters if not c.in_sample]
    sample.uncovered_clusters = len(uncovered)
    sample.uncovered_pages = sum(c.size for c in uncovered)
    return sample


def sample_run(db_url: str, run_id: int, size: int = 10, threshold: int = DEFAULT_THRESHOLD) -> Sample:
    """The representative sample of a stored run."""
    store = AuditStore(db_url)
    try:
        run = store.run(run_id)
        pages = store.pages(run_id)
    finally:
        store.close()
    return sample_pages(pages, list(run.seeds), size=size, threshold=threshold, run_id=run_id)
