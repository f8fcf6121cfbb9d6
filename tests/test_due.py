"""calloff due (issue 22): what falls due on a given day, text and JSON, on the bundled example,
with the expected values worked out here from the example's own CSV and the order form's dates."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

from xlsrc.adapters.cli import main
from xlsrc.core.due import return_due

SAMPLE_CSV = Path(__file__).resolve().parents[1] / "xlsrc/edges/sample_data/sample/tracker.csv"


def _sample_rows() -> list[dict[str, str]]:
    with SAMPLE_CSV.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_a_months_return_is_due_at_the_end_of_the_next_month() -> None:
    assert return_due(dt.date(2023, 10, 1)) == dt.date(2023, 11, 30)
    assert return_due(dt.date(2024, 1, 1)) == dt.date(2024, 2, 29)  # a leap year
    assert return_due(dt.date(2024, 12, 1)) == dt.date(2025, 1, 31)


def test_due_on_the_example_after_the_term(capsys, sample: Path) -> None:
    assert main(["due", str(sample), "--today", "2025-07-15", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    # no return issued in the example: the first month is next; Oct 2023..May 2025 are past due
    assert data["next_return"] == {"month": "2023-10", "due": "2023-11-30"}
    assert data["returns_overdue"][0] == "2023-10" and data["returns_overdue"][-1] == "2025-05"
    assert len(data["returns_overdue"]) == 20
    # the example records no invoice: every month with delivery before July 2025
    delivered = sorted({r["Date"][:7] for r in _sample_rows() if r["Date"][:7] < "2025-07"})
    assert data["months_delivered_not_invoiced"] == delivered
    # advisors with no entry dated in June 2025
    june = {r["Advisor"] for r in _sample_rows() if r["Date"].startswith("2025-06")}
    assert data["advisors_without_entries_last_month"] == sorted({"RK-01", "RK-02", "RK-03"} - june)
    brk, end = data["notices"]
    assert brk["date"] == "2024-03-31" and brk["notice_by"] is None
    assert end["date"] == "2025-06-30" and end["notice_by"] == "2025-05-30"  # a month before


def test_due_text_says_the_next_return_and_its_date(capsys, sample: Path) -> None:
    assert main(["due", str(sample), "--today", "2024-02-10"]) == 0
    out = capsys.readouterr().out
    assert "Next return: October 2023, due by 30/11/2023" in out
    assert "Returns past their due date, not issued: Oct 2023, Nov 2023, Dec 2023" in out
    assert "Months delivered but not invoiced: Oct 2023, Nov 2023, Dec 2023, Jan 2024" in out
