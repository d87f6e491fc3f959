"""KWCAG 4.1.1 (마크업 오류 방지) from the raw HTTP body, not the DOM the browser already repaired.

html5lib parses the body with the WHATWG algorithm and reports parse errors with line and column;
only the ones that matter for assistive technology are kept (unclosed elements, misnesting and stray
end tags, duplicate attributes), as OpenWAX and K-WAH do. A second, fast pass with the standard
library's tokenizer finds duplicate ``id`` values with their positions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser as _StdlibParser

import html5lib

#: How much of a body is parsed (html5lib is pure Python: about 1.4 MB/s here).
MAX_PARSE_BYTES = 2_000_000
#: At most this many markup findings per page; the rest are counted.
MAX_FINDINGS = 200

UNCLOSED = {
    "expected-closing-tag-but-got-eof",
    "expected-named-closing-tag-but-got-eof",
    "end-tag-too-early",
    "end-tag-too-early-named",
    "end-tag-too-early-ignored",
    "eof-in-table",
    "eof-in-select",
    "missing-end-tag",
    "missing-end-tags",
    "non-void-element-with-trailing-solidus",
    "eof-in-attribute-value-double-quote",
    "eof-in-attribute-value-single-quote",
    "eof-in-attribute-value-no-quotes",
    "expected-one-end-tag-but-got-another",
}
MISNESTED = {
    "adoption-agency-1.1",
    "adoption-agency-1.2",
    "adoption-agency-1.3",
    "adoption-agency-4.4",
    "unexpected-end-tag",
    "unexpected-end-tag-treated-as",
    "unexpected-start-tag-implies-end-tag",
    "unexpected-start-tag-implies-table-voodoo",
    "unexpected-end-tag-implies-table-voodoo",
    "unexpected-char-implies-table-voodoo",
    "unexpected-cell-end-tag",
    "unexpected-form-in-table",
    "unexpected-start-tag",
    "unexpected-implied-end-tag-in-table",
    "unexpected-implied-end-tag-in-table-body",
    "unexpected-implied-end-tag-in-table-row",
    "unexpected-end-tag-in-table-body",
    "unexpected-end-tag-in-table-row",
    "unexpected-end-tag-in-select",
    "unexpected-start-tag-in-select",
    "unexpected-select-in-select",
    "unexpected-input-in-select",
}
DUPLICATE_ATTRIBUTE = {"duplicate-attribute"}
#: A second <html>/<body>/<head> start tag is a template fault, not a structure a screen reader sees.
_IGNORED_NAMES = {"html", "body", "head"}
#: Elements whose end tag may be omitted (WHATWG "optional tags"): never reported as unclosed.
_OPTIONAL_END = {
    "html", "head", "body", "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "tbody", "thead",
    "tfoot", "colgroup", "caption", "rb", "rt", "rtc", "rp",
}  # fmt: skip
_VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
    "param", "keygen", "command", "basefont", "bgsound", "frame", "image", "isindex", "menuitem",
}  # fmt: skip
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)


@dataclass
class MarkupError:
    kind: str  # unclosed | misnested | duplicate-attribute | duplicate-id
    code: str  # html5lib error code, or "duplicate-id"
    line: int  # 1-based
    column: int  # 1-based
    tag: str | None
    snippet: str
    data: dict = field(default_factory=dict)


@dataclass
class MarkupReport:
    errors: list[MarkupError]
    total: int  # errors found, including those beyond MAX_FINDINGS
    size: int  # bytes in the body
    checked: int  # bytes parsed
    encoding: str | None


def _kind(code: str, data: dict) -> str | None:
    if code in DUPLICATE_ATTRIBUTE:
        return "duplicate-attribute"
    if code in UNCLOSED:
        return "unclosed"
    if code in MISNESTED:
        name = (data or {}).get("name") or (data or {}).get("startName")
        if code.startswith("unexpected-start-tag") and name in _IGNORED_NAMES:
            return None
        if code == "unexpected-end-tag" and name in _IGNORED_NAMES:
            return None
        return "misnested"
    return None


def _charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    m = _CHARSET.search(content_type)
    return m.group(1) if m else None


class _Scanner(_StdlibParser):
    """Start tags with positions: duplicate ids, and the last unmatched start of each element name."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: dict[str, tuple[int, int]] = {}
        self.duplicates: list[tuple[str, tuple[int, int], tuple[int, int], str]] = []
        self.open: dict[str, list[tuple[int, int]]] = {}
        self._template = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        pos = self.getpos()
        if tag == "template":
            self._template += 1
        if tag not in _VOID:
            self.open.setdefault(tag, []).append(pos)
        if self._template:
            return  # template content is inert: its ids are not in the document
        for name, value in attrs:
            if name == "id" and value:
                if value in self.ids:
                    self.duplicates.append((value, self.ids[value], pos, tag))
                else:
                    self.ids[value] = pos
                break

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # <x/> on a non-void element still opens it in HTML; html5lib reports that one.
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "template" and self._template:
            self._template -= 1
        stack = self.open.get(tag)
        if stack:
            stack.pop()


def _line_snippet(lines: list[str], line: int, column: int, width: int = 160) -> str:
    if not 1 <= line <= len(lines):
        return ""
    text = lines[line - 1].rstrip("\r\n")
    start = max(0, column - 1 - width // 3)
    piece = text[start : start + width]
    return ("…" if start else "") + piece.strip() + ("…" if start + width < len(text) else "")


def _tag_start(lines: list[str], line: int, col0: int) -> int:
    """html5lib gives the position after a token; move back to its '<' (1-based column)."""
    if not 1 <= line <= len(lines):
        return col0 + 1
    text = lines[line - 1]
    at = text.rfind("<", 0, max(col0, 1))
    return at + 1 if at >= 0 else col0 + 1


_START_TAG = re.compile(r"<([A-Za-z][\w:-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.S)
_ATTR_NAME = re.compile(r"([^\s\"'>/=]+)(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?")


def _duplicated_attributes(lines: list[str], line: int, column: int) -> tuple[str | None, list[str]]:
    """The tag at (line, column) and the attribute names it declares more than once."""
    text = "".join(lines[line - 1 : line + 20])[column - 1 :]
    m = _START_TAG.match(text)
    if not m:
        return None, []
    seen: set[str] = set()
    dup: list[str] = []
    for attr in _ATTR_NAME.finditer(m.group(2)):
        name = attr.group(1).lower()
        if name in seen and name not in dup:
            dup.append(name)
        seen.add(name)
    return m.group(1).lower(), dup


def check_markup(
    body: bytes, content_type: str | None = None, max_bytes: int = MAX_PARSE_BYTES
) -> MarkupReport:
    """Parse ``body`` and return the accessibility-relevant markup errors, positions 1-based.

    Only the first ``max_bytes`` bytes are parsed; ``MarkupReport.checked`` says how many were.
    """
    size = len(body)
    chunk = body[:max_bytes]
    parser = html5lib.HTMLParser(tree=html5lib.getTreeBuilder("etree"), namespaceHTMLElements=False)
    charset = _charset(content_type)
    try:
        parser.parse(chunk, transport_encoding=charset) if charset else parser.parse(chunk)
    except LookupError:  # an unknown charset in the header: let html5lib sniff
        parser = html5lib.HTMLParser(tree=html5lib.getTreeBuilder("etree"), namespaceHTMLElements=False)
        parser.parse(chunk)
    encoding = None
    try:
        encoding = parser.tokenizer.stream.charEncoding[0].name
    except AttributeError:
        encoding = charset
    text = chunk.decode(encoding or "utf-8", errors="replace")
    lines = text.splitlines(keepends=True) or [""]

    scanner = _Scanner()
    scanner.feed(text)
    scanner.close()

    errors: list[MarkupError] = []
    eof_reported = False
    for (line, col0), code, data in parser.errors:
        kind = _kind(code, data or {})
        if kind is None:
            continue
        data = data or {}
        tag = data.get("expectedName") or data.get("name") or data.get("startName") or data.get("endName")
        if code in ("expected-closing-tag-but-got-eof", "expected-named-closing-tag-but-got-eof"):
            if eof_reported:
                continue
            eof_reported = True
            # Which elements are still open: the last unmatched start tag of each name.
            pending = [
                (pos, name)
                for name, stack in scanner.open.items()
                if stack and name not in _OPTIONAL_END
                for pos in stack[-1:]
            ]
            for (sline, scol), name in sorted(pending)[:20]:
                errors.append(
                    MarkupError(
                        kind="unclosed",
                        code=code,
                        line=sline,
                        column=scol + 1,
                        tag=name,
                        snippet=_line_snippet(lines, sline, scol + 1),
                    )
                )
            if pending:
                continue
        column = _tag_start(lines, line, col0) if kind != "unclosed" or col0 else col0 + 1
        extra: dict = {}
        if kind == "duplicate-attribute":
            tag, names = _duplicated_attributes(lines, line, column)
            extra["attributes"] = names
        if code == "expected-one-end-tag-but-got-another" and data.get("gotName"):
            extra["closed_by"] = data["gotName"]
            opened = scanner.open.get(tag or "")
            if opened:  # point at the start tag that was never closed
                extra["found_at"] = {"line": line, "column": column}
                line, column = opened[-1][0], opened[-1][1] + 1
        errors.append(
            MarkupError(
                kind=kind,
                code=code,
                line=line,
                column=column,
                tag=tag,
                snippet=_line_snippet(lines, line, column),
                data=extra,
            )
        )
    for value, (fline, fcol), (line, col), tag in scanner.duplicates:
        errors.append(
            MarkupError(
                kind="duplicate-id",
                code="duplicate-id",
                line=line,
                column=col + 1,
                tag=tag,
                snippet=_line_snippet(lines, line, col + 1),
                data={"id": value, "first_line": fline, "first_column": fcol + 1},
            )
        )
    # html5lib reports each repeated attribute of one tag separately: one finding per tag is enough.
    unique: dict[tuple, MarkupError] = {}
    for e in errors:
        unique.setdefault((e.kind, e.code, e.line, e.column), e)
    errors = sorted(unique.values(), key=lambda e: (e.line, e.column))
    return MarkupReport(
        errors=errors[:MAX_FINDINGS], total=len(errors), size=size, checked=len(chunk), encoding=encoding
    )
