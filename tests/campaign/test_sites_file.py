"""sites.csv: what is accepted, and every problem reported with its line and column."""

from __future__ import annotations

import json

import pytest

from a11y_audit.campaign import read_sites
from a11y_audit.errors import AuditError, AuditUsageError
from cli import main


def test_a_valid_file_with_korean_headers_in_cp949_and_an_extra_column(tmp_path):
    path = tmp_path / "sites.csv"
    path.write_bytes(
        (
            "분류,기관명,주소,담당자\n"
            "중앙행정기관,행정안전부,https://www.mois.go.kr,김담당\n"
            "\n"
            "지방자치단체, 서울특별시 ,HTTPS://WWW.SEOUL.GO.KR/#top,\n"
        ).encode("cp949")
    )
    parsed = read_sites(path)
    assert parsed.encoding == "cp949"
    assert parsed.ignored_columns == ("담당자",)
    assert [(s.row, s.institution, s.url, s.category) for s in parsed.sites] == [
        (2, "행정안전부", "https://www.mois.go.kr/", "중앙행정기관"),
        (4, "서울특별시", "https://www.seoul.go.kr/", "지방자치단체"),  # blank line 3 is not a site
    ]
    assert len(parsed.sha256) == 64


def test_every_bad_line_is_named_with_its_column_and_nothing_is_returned(tmp_path):
    path = tmp_path / "sites.csv"
    path.write_text(
        "\ufeffinstitution,url,category\n"
        "행정안전부,https://www.mois.go.kr/,중앙\n"
        ",https://www.moel.go.kr/,중앙\n"
        "서울특별시,www.seoul.go.kr,지자체\n"
        "부산광역시,ftp://busan.go.kr/,\n"
        "행안부 중복,https://www.mois.go.kr,중앙\n",
        encoding="utf-8",
    )
    with pytest.raises(AuditError) as caught:
        read_sites(path)
    message = str(caught.value)
    assert "5 problem(s); nothing was stored" in message
    assert "line 3, column institution: empty" in message
    assert (
        "line 4, column url: 'www.seoul.go.kr' is not an http(s) URL (write https://www.seoul.go.kr/)"
        in message
    )
    assert "line 5, column category: empty" in message
    assert "line 5, column url: 'ftp://busan.go.kr/' is not an http(s) URL" in message
    assert "line 6, column url: 'https://www.mois.go.kr' is the same site as line 2" in message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "is empty"),
        (b"institution,url,category\n", "has a header but no site"),
        (b"name,homepage\nA,https://a.go.kr/\n", "line 1: missing column(s) url, category"),
        (b"institution,url,category\n\xff\xfe\xff,https://a.go.kr/,x\n", "neither UTF-8 nor CP949"),
    ],
)
def test_unusable_files(tmp_path, content, expected):
    path = tmp_path / "sites.csv"
    path.write_bytes(content)
    with pytest.raises(AuditError, match=expected.replace("(", r"\(").replace(")", r"\)")):
        read_sites(path)


def test_missing_file_is_a_usage_error(tmp_path):
    with pytest.raises(AuditUsageError, match="Cannot read"):
        read_sites(tmp_path / "nope.csv")


def test_cli_check_counts_sites_by_category_and_audits_nothing(tmp_path, capsys):
    path = tmp_path / "sites.csv"
    path.write_text(
        "institution,url,category\nA,https://a.go.kr/,중앙\nB,https://b.go.kr/,지자체\nC,https://c.go.kr/,중앙\n",
        encoding="utf-8",
    )
    db = tmp_path / "c.db"
    assert main(["audit", "campaign", str(path), "--check", "--json", "--db", str(db)]) == 0
    data = json.loads(capsys.readouterr().out)["data"]
    assert data["sites"] == 3 and data["by_category"] == {"중앙": 2, "지자체": 1}
    assert not db.exists()


def test_cli_bad_file_exits_3_with_the_line_and_no_campaign_stored(tmp_path, capsys):
    path = tmp_path / "sites.csv"
    path.write_text("institution,url,category\nA,not a url,중앙\n", encoding="utf-8")
    db = tmp_path / "c.db"
    assert main(["audit", "campaign", str(path), "--db", str(db)]) == 3
    captured = capsys.readouterr().err
    assert "line 2, column url" in captured and "Traceback" not in captured
    assert main(["audit", "campaigns", "--json", "--db", str(db)]) == 0
    assert json.loads(capsys.readouterr().out)["data"] == []


def test_cli_usage_errors_exit_2(tmp_path, capsys):
    assert main(["audit", "campaign", "--db", str(tmp_path / "c.db")]) == 2
    assert "Give a sites file" in capsys.readouterr().err
    path = tmp_path / "s.csv"
    path.write_text("institution,url,category\nA,https://a.go.kr/,x\n", encoding="utf-8")
    assert main(["audit", "campaign", str(path), "--resume", "1", "--db", str(tmp_path / "c.db")]) == 2
    assert main(["audit", "campaign", "--resume", "7", "--db", str(tmp_path / "c.db")]) == 2
    assert "no campaign 7" in capsys.readouterr().err


def test_cli_unreachable_scheduler_exits_3_and_leaves_a_resumable_campaign(tmp_path, capsys):
    import socket

    import dask

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    path = tmp_path / "sites.csv"
    path.write_text("institution,url,category\nA,https://a.go.kr/,중앙\n", encoding="utf-8")
    db = tmp_path / "c.db"
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        code = main(
            ["audit", "campaign", str(path), "--scheduler", f"tcp://127.0.0.1:{port}", "--db", str(db)]
        )
    assert code == 3
    captured = capsys.readouterr().err
    assert (
        f"Cannot reach the Dask scheduler at tcp://127.0.0.1:{port}" in captured
        and "dask scheduler" in captured
    )
    assert main(["audit", "campaigns", "--json", "--db", str(db)]) == 0
    [campaign] = json.loads(capsys.readouterr().out)["data"]
    assert campaign["status"] == "interrupted" and campaign["states"]["pending"] == 1
