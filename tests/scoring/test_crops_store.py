"""Element crops in the audit store (SQLite file and PostgreSQL) and in the review checklist."""

from __future__ import annotations

import io

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from openpyxl import load_workbook
from PIL import Image
from scoring_builders import finding, page

from a11y_audit.models import ElementCrop
from a11y_audit.review import export_checklist
from a11y_audit.store import VERSION_TABLE, AuditStore

BASE = "http://127.0.0.1:8000"


def _jpeg(width: int, height: int, colour: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "JPEG", quality=60)
    return buffer.getvalue()


def test_crops_are_stored_per_page_and_item_and_shown_beside_their_finding(store, add_run, tmp_path):
    home = page(
        f"{BASE}/",
        [
            finding("image-alt", "violation", "1.1.1", "#a"),
            finding("image-alt", "violation", "1.1.1", "#b"),
            finding("label", "violation", "3.3.2", "#q"),
        ],
        **{"1_1_1": "fail", "3_3_2": "fail"},
    )
    home.crops = [
        ElementCrop("1.1.1", "image-alt", "#b", _jpeg(136, 96, "red")),
        ElementCrop("3.3.2", "label", "#q", _jpeg(228, 46, "blue")),
    ]
    other = page(f"{BASE}/b", [finding("image-alt", "violation", "1.1.1", "#c")], **{"1_1_1": "fail"})
    run = add_run([home, other])
    crops = store.crops(run)
    assert sorted(crops) == [(f"{BASE}/", "desktop", "1.1.1"), (f"{BASE}/", "desktop", "3.3.2")]
    assert crops[(f"{BASE}/", "desktop", "1.1.1")].selector == "#b"
    assert crops[(f"{BASE}/", "desktop", "1.1.1")].image == home.crops[0].image  # the bytes, unchanged
    assert store.page_results(run)[0].crops == []  # page results never load the images

    out = export_checklist(store, run, tmp_path / "checklist.xlsx")
    evidence = load_workbook(out)["evidence"]
    rows = {(r[1], r[6]): n for n, r in enumerate(evidence.iter_rows(min_row=2, values_only=True), start=2)}
    placed = {img.anchor._from.row + 1: (img.width, img.height) for img in evidence._images}
    # #b's row, not #a's (the first finding of the item): the crop shows #b.
    assert placed == {rows[(f"{BASE}/", "#b")]: (136, 96), rows[(f"{BASE}/", "#q")]: (228, 46)}


def test_deleting_a_run_deletes_its_crops(store, add_run):
    one = page(f"{BASE}/", [finding("image-alt", "violation", "1.1.1", "#a")], **{"1_1_1": "fail"})
    one.crops = [ElementCrop("1.1.1", "image-alt", "#a", _jpeg(20, 20, "red"))]
    run = add_run([one])
    with store.engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.execute(sa.text("pragma foreign_keys=on"))
        conn.execute(sa.text("delete from audit_runs where id = :id"), {"id": run})
        assert conn.execute(sa.text("select count(*) from audit_crops")).scalar() == 0


def test_migration_0006_adds_the_crops_table_to_a_store_at_0005(db_url):
    from importlib import resources

    engine = sa.create_engine(db_url)
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("a11y_audit").joinpath("migrations")))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "0005")
    assert "audit_crops" not in sa.inspect(engine).get_table_names()
    AuditStore(db_url).close()  # opening upgrades to head
    assert "audit_crops" in sa.inspect(engine).get_table_names()
    with engine.connect() as conn:
        assert conn.execute(sa.text(f"select version_num from {VERSION_TABLE}")).scalar() != "0005"
    engine.dispose()


def test_a_run_on_both_devices_shows_each_crop_beside_its_own_devices_finding(store, tmp_path):
    from a11y_audit.crawl.frontier import Decision, url_hash, url_key

    desktop = page(
        f"{BASE}/",
        [finding("image-alt", "violation", "1.1.1", "#logo")],
        **{"1_1_1": "fail"},
    )
    desktop.crops = [ElementCrop("1.1.1", "image-alt", "#logo", _jpeg(136, 96, "red"))]
    phone = page(
        f"{BASE}/",
        [
            finding("image-alt", "violation", "1.1.1", "#logo"),
            finding("target-size", "violation", "2.1.3", "#menu"),
        ],
        **{"1_1_1": "fail"},
    )
    phone.device = "mobile"
    # The phone's crop of the same element is another picture; for 2.1.3 only the phone has one.
    phone.crops = [
        ElementCrop("1.1.1", "image-alt", "#logo", _jpeg(60, 40, "blue")),
        ElementCrop("2.1.3", "target-size", "#menu", _jpeg(50, 30, "green")),
    ]
    run = store.create_run([desktop.url], {}, "test")
    key = url_key(desktop.url)
    store.add_decisions(run, [Decision(desktop.url, key, url_hash(key), 0)])
    item = store.queued(run)[0]
    store.record_page(run, item, desktop)
    store.record_page(run, item, phone)
    store.finish_run(run, "finished", axe_version="4.12.1")
    crops = store.crops(run)
    assert crops[(f"{BASE}/", "desktop", "1.1.1")].image == desktop.crops[0].image
    assert crops[(f"{BASE}/", "mobile", "1.1.1")].image == phone.crops[0].image

    out = export_checklist(store, run, tmp_path / "checklist.xlsx")
    evidence = load_workbook(out)["evidence"]
    rows = {(r[1], r[6]): n for n, r in enumerate(evidence.iter_rows(min_row=2, values_only=True), start=2)}
    placed = {img.anchor._from.row + 1: (img.width, img.height) for img in evidence._images}
    assert placed == {
        rows[(f"{BASE}/", "#logo")]: (136, 96),  # the desktop's crop, beside the desktop's finding
        rows[(f"{BASE}/ [mobile]", "#menu")]: (50, 30),  # only the phone had one: beside its finding
    }
