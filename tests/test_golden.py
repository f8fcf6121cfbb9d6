"""Golden files: the committed workbook and sample are exactly what the code makes today.

To refresh deliberately: `calloff build` (workbook), `python tests/tools/make_sample.py`
(sample), `UPDATE_GOLDEN=1 pytest tests/test_golden.py` (totals JSON).
"""

from __future__ import annotations

import json
import os

from tests.conftest import REPO
from tests.tools import make_sample
from xlsrc.actions.build import build
from xlsrc.actions.totals import workbook_totals
from xlsrc.core.totals.presentation import totals_json
from xlsrc.edges.workbook.compare import differing_parts

COMMITTED = REPO / "workbook" / "CON_22889.xlsx"
GOLDEN_TOTALS = REPO / "tests" / "golden" / "sample_totals.json"


def test_committed_workbook_equals_a_fresh_build(tmp_path):
    fresh = build(out=tmp_path / "CON_22889.xlsx")
    assert differing_parts(COMMITTED, fresh) == [], "run `calloff build` and commit workbook/"


def test_compare_sees_a_real_difference(tmp_path, terms):
    fresh = build(out=tmp_path / "a.xlsx")
    from xlsrc.edges.fileio.atomic import save_workbook
    from xlsrc.edges.fileio.tracker_writer import load_for_edit, set_named_value

    wb = load_for_edit(fresh)
    set_named_value(wb, "DayRate", 700)
    save_workbook(wb, tmp_path / "b.xlsx")
    assert differing_parts(fresh, tmp_path / "b.xlsx")


def test_committed_sample_is_what_the_generator_makes():
    folder = REPO / "xlsrc" / "edges" / "sample_data" / "sample"
    assert (folder / "tracker.csv").read_text("utf-8") == make_sample.render()
    assert (folder / "sample.toml").read_text("utf-8") == make_sample.render_manifest()
    for name, rows in make_sample.make_progress().items():
        assert (folder / f"{name}.csv").read_text("utf-8") == make_sample.render_csv(rows), name


def test_sample_totals_match_the_golden_file(sample):
    data = totals_json(workbook_totals(sample).totals)
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN_TOTALS.write_text(json.dumps(data, indent=1) + "\n", "utf-8")
    assert data == json.loads(GOLDEN_TOTALS.read_text("utf-8"))
