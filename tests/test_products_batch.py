"""``products:`` items of a batch manifest run as Dask tasks (a real local
cluster of two workers): one ``products watch`` run per platform, stored by
the worker; a source that cannot be read fails its item, the others go on."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from privwatch.batch import dask_client, load_manifest, run_batch
from privwatch.errors import PrivwatchError
from privwatch.store import Store
from privwatch.store.products import listed_by_platform, runs, sources
from tests.conftest import FIXTURES

CHECK = FIXTURES / "products_check"


def _manifest(folder: Path, *, broken: bool = False) -> Path:
    (folder / "pages").mkdir()
    (folder / "lists").mkdir()
    shutil.copy(CHECK / "hanbit-tube.html", folder / "pages" / "tube.html")
    shutil.copy(CHECK / "market.csv", folder / "pages" / "market.csv")
    for name in ("consumer24.json", "kca-overseas.csv"):
        shutil.copy(FIXTURES / "hazards" / name, folder / "lists" / name)
    missing = "\n      - pages/gone.html" if broken else ""
    text = f"""
platforms:
  - {{name: 11번가, country: KR, foreign: false}}
  - {{name: AliExpress, country: SG, foreign: true}}
products:
  - platform: 11번가
    listings: [pages/tube.html]
    hazards: [lists/consumer24.json, lists/kca-overseas.csv]
  - platform: AliExpress
    listings:
      - pages/market.csv{missing}
    hazards: [lists/consumer24.json, lists/kca-overseas.csv]
"""
    path = folder / "market.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_products_items_run_on_the_workers(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'store.db'}"
    manifest = load_manifest(_manifest(tmp_path, broken=True))
    assert manifest.products[0].listings == [str(tmp_path / "pages" / "tube.html")]
    with dask_client(workers=2) as client:
        report = run_batch(manifest, db_url, client)
        statuses = {r.task.platform: r.status for r in report.results}
        assert statuses == {"11번가": "done", "AliExpress": "failed"}
        failed = next(r for r in report.results if r.status == "failed")
        assert failed.error and "1 of 2 listing source(s)" in failed.error
        with Store(db_url) as store:
            assert len(runs(store)) == 2
            assert len(sources(store)) == 3
            listed = {
                (r.platform, r.hazard_record_id) for r in listed_by_platform(store)
            }
            assert ("11번가", "2026110001") in listed
            assert ("AliExpress", "KCA-2026-0457") in listed  # the readable source
            assert [f.source for f in store.failures()] == ["products:AliExpress"]
        again = run_batch(manifest, db_url, client)  # a run is an observation
        assert sorted(r.task.platform for r in again.results) == [
            "11번가",
            "AliExpress",
        ]
    with Store(db_url) as store:
        assert len(runs(store)) == 4


def test_a_products_item_without_hazards_is_a_bad_manifest(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "products:\n  - {platform: X, listings: [a.html], hazards: []}\n",
        encoding="utf-8",
    )
    with pytest.raises(PrivwatchError) as info:
        load_manifest(path)
    assert info.value.key == "batch.bad_manifest"
