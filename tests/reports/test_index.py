"""`ddkit report index`: one page linking every report in a folder."""

from __future__ import annotations

import json

from cli import main
from reports.index import scan_reports
from reports.render import Provenance, render_template
from tests.reports.html_checks import parse, structure_problems, table_rows


def _fake_report(kind: str, title: str, lang: str = "ko") -> str:
    return render_template(
        "index.html.j2",
        lang,
        report_kind=kind,
        page_title=title,
        provenance=Provenance(),
        toc=[],
        groups=[],
        others=[],
        folder=".",
    )


def test_index_links_every_report_and_counts_other_files(tmp_path, capsys):
    (tmp_path / "sub").mkdir()
    (tmp_path / "audit-1.html").write_text(_fake_report("audit", "감사 <1>"), encoding="utf-8")
    (tmp_path / "sub" / "gap 2024.html").write_text(_fake_report("gap", "Gap 2024", "en"), encoding="utf-8")
    (tmp_path / "notes.html").write_text("<p>not ours</p>", encoding="utf-8")
    assert main(["report", "index", str(tmp_path), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["data"]["summary"] == {
        "reports": 2,
        "by_kind": {"audit": 1, "gap": 1, "training": 0},
        "not_reports": ["notes.html"],
    }
    html = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert structure_problems(html) == []
    tree, _ = parse(html)
    links = {a.get("href"): "".join(a.itertext()) for a in tree.iter("{http://www.w3.org/1999/xhtml}a")}
    assert links["audit-1.html"] == "감사 <1> | ddkit"
    assert links["sub/gap%202024.html"] == "Gap 2024 | ddkit"
    assert table_rows(tree, "reports-gap")[0][2] == "영어"
    # Writing the index again does not list the index itself.
    entries, others = scan_reports(tmp_path)
    assert len(entries) == 2 and others == ["notes.html"]


def test_index_of_a_missing_folder_is_a_clear_error(tmp_path, capsys):
    assert main(["report", "index", str(tmp_path / "nope")]) == 3
    assert "is not a folder" in capsys.readouterr().err
