"""Structural checks on a rendered report, shared by the report tests (no browser needed)."""

from __future__ import annotations

import re
from collections import Counter

import html5lib

NS = "{http://www.w3.org/1999/xhtml}"


def parse(html: str):
    """(tree, parse errors): html5lib reports WHATWG parse errors, the basis of KWCAG 4.1.1."""
    parser = html5lib.HTMLParser(tree=html5lib.getTreeBuilder("etree"), namespaceHTMLElements=True)
    tree = parser.parse(html)
    return tree, list(parser.errors)


def tag(element) -> str:
    return element.tag.replace(NS, "")


def text(element) -> str:
    return "".join(element.itertext())


def by_id(tree, ident: str):
    for el in tree.iter():
        if el.get("id") == ident:
            return el
    return None


def table_rows(tree, table_id: str) -> list[list[str]]:
    table = by_id(tree, table_id)
    assert table is not None, f"no table #{table_id}"
    body = table.find(f"{NS}tbody")
    return [[text(c).strip() for c in tr] for tr in body.findall(f"{NS}tr")]


def structure_problems(html: str) -> list[str]:
    """What would break the report's accessibility promises, as readable problems (empty = fine)."""
    tree, errors = parse(html)
    problems = [f"parse error: {e}" for e in errors]
    root = tree
    if root.get("lang") not in ("ko", "en"):
        problems.append(f"html lang is {root.get('lang')!r}")
    ids = Counter(el.get("id") for el in root.iter() if el.get("id"))
    problems += [f"duplicate id {i!r}" for i, n in ids.items() if n > 1]
    body = root.find(f"{NS}body")
    first = next(iter(body), None)
    if first is None or tag(first) != "a" or first.get("href") != "#main":
        problems.append("the first element of <body> is not the skip link to #main")
    if by_id(root, "main") is None or tag(by_id(root, "main")) != "main":
        problems.append("no <main id=main>")
    for landmark in ("header", "nav", "main", "footer"):
        if root.find(f".//{NS}{landmark}") is None and landmark != "nav":
            problems.append(f"no <{landmark}>")
    headings = [int(tag(el)[1]) for el in root.iter() if re.fullmatch(r"h[1-6]", tag(el))]
    if headings.count(1) != 1:
        problems.append(f"{headings.count(1)} h1 elements")
    for before, after in zip(headings, headings[1:], strict=False):
        if after > before + 1:
            problems.append(f"heading level jumps from h{before} to h{after}")
    for table in root.iter(f"{NS}table"):
        header = table.find(f"{NS}thead/{NS}tr")
        if header is not None and len(header) > 7:
            problems.append(f"table #{table.get('id')} has {len(header)} columns: too wide for a phone")
        if table.find(f"{NS}caption") is None:
            problems.append(f"table #{table.get('id')} has no caption")
        for th in table.iter(f"{NS}th"):
            if th.get("scope") not in ("col", "row"):
                problems.append(f"th without scope in table #{table.get('id')}")
    for el in root.iter():
        name = tag(el)
        if name in ("script", "iframe", "object", "embed", "link", "base"):
            problems.append(f"<{name}> in a report")
        src = el.get("src")
        if src is not None and not src.startswith("data:"):
            problems.append(f"<{name} src={src!r}> would fetch over the network")
        href = el.get("href")
        if href is not None and not re.match(r"^(#|https?://|[\w.%/-]+\.html$)", href):
            problems.append(f"link href {href!r} is neither an anchor, http(s) nor a report file")
        if name == "img" and el.get("alt") is None:
            problems.append("img without alt")
        if any(attr.lower().startswith("on") for attr in el.attrib):
            problems.append(f"event handler attribute on <{name}>")
    return problems
