"""Contract terms are data: the bundled file loads, and a bad file names the field."""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

from xlsrc.adapters.cli import main
from xlsrc.edges.fileio.reader import open_book
from xlsrc.edges.fileio.terms_reader import read_terms
from xlsrc.model.errors import TermsError
from xlsrc.model.terms import default_terms_path, load_terms


def test_bundled_terms_hold_the_order_form_facts(terms):
    assert terms.contract.id == "CON_22889"
    assert terms.contract.supplier == "Red Kite Solutions (SEN) Ltd"
    assert terms.money.cap == Decimal("58500")
    assert str(terms.dates.start) == "2023-10-12" and str(terms.dates.end) == "2025-03-31"
    assert str(terms.dates.break_) == "2024-03-31"
    assert terms.extension.max_months == 12 and terms.extension.notice_months == 1
    assert terms.money.day_rate_is_placeholder and terms.allocation.days_are_placeholder
    ox = [o.id for o in terms.outcomes_for("OX")]
    assert ox == ["OX-0", *(f"OX-PA{i}" for i in range(1, 6)), *(f"OX-AI{i}" for i in range(1, 5))]
    assert [o.id for o in terms.outcomes_for("PO")] == ["PM-1"]
    assert [o.id for o in terms.outcomes_for("ME")] == ["PM-1"]
    assert {m.id for m in terms.measures} == {
        "SM-A",
        "SM-B",
        "SM-C",
        "SM-D",
        "SM-E",
        "SM-T1",
        "SM-T2",
        "SM-T3",
        "SM-T4",
    }
    ai4 = next(o for o in terms.outcomes if o.id == "OX-AI4")
    assert "SM-E" in ai4.measures
    assert "APA" not in terms.measure_text(ai4, "SM-A")  # the form drops APA for OX-AI*


def raw_terms() -> dict:
    return tomllib.loads(default_terms_path().read_text("utf-8"))


def write_toml(path: Path, data: dict) -> Path:
    """A tiny TOML writer for the shapes our terms use (tables, arrays of tables)."""

    def value(v):
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, str):
            return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
        if isinstance(v, list):
            return "[" + ", ".join(value(x) for x in v) + "]"
        return str(v)

    lines = []
    for key, v in data.items():
        if not isinstance(v, dict | list) or (
            isinstance(v, list) and v and not isinstance(v[0], dict)
        ):
            lines.append(f"{key} = {value(v)}")
    for key, v in data.items():
        if isinstance(v, dict):
            nested = {k: x for k, x in v.items() if isinstance(x, dict)}
            lines.append(f"[{key}]")
            lines += [f'"{k}" = {value(x)}' for k, x in v.items() if not isinstance(x, dict)]
            for k, x in nested.items():
                lines.append(f"[{key}.{k}]")
                lines += [f'"{kk}" = {value(xx)}' for kk, xx in x.items()]
        elif isinstance(v, list) and v and isinstance(v[0], dict):
            for item in v:
                lines.append(f"[[{key}]]")
                lines += [f'"{k}" = {value(x)}' for k, x in item.items()]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def test_toml_round_trip_helper_is_faithful(tmp_path):
    assert load_terms(write_toml(tmp_path / "t.toml", raw_terms())) == load_terms()


def _missing_cap(d):
    del d["money"]["cap"]


def _end_before_start(d):
    d["dates"]["end"] = d["dates"]["start"].replace(year=2022)


def _negative_rate(d):
    d["money"]["day_rate"] = "-650.00"


def _unknown_area(d):
    d["outcomes"][0]["areas"] = ["XX"]


def _fractional_pence(d):
    d["money"]["cap"] = "58500.005"


def _too_long_extension(d):
    d["decisions"] = [
        {
            "decided": "2025-01-10",
            "kind": "extend",
            "months": 13,
            "by": "DfE contract manager",
            "notice": "2025-01-10",
        }
    ]


def _duplicate_outcome(d):
    d["outcomes"][1]["id"] = d["outcomes"][0]["id"]


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (_missing_cap, "money.cap is missing: add it"),
        (_end_before_start, "dates: end (2022-10-12) is before start (2023-10-12)"),
        (_negative_rate, "money.day_rate: must be more than 0"),
        (_unknown_area, "outcomes[0] (OX-0).areas: unknown area 'XX'"),
        (_fractional_pence, "money.cap: must be in whole pence"),
        (_too_long_extension, "decisions[0].months: 13 more month(s) makes 13; the extension"),
        (_duplicate_outcome, "outcomes: 'OX-0' appears twice"),
    ],
)
def test_bad_terms_name_the_field(tmp_path, mutate, expected):
    data = raw_terms()
    mutate(data)
    path = write_toml(tmp_path / "bad.toml", data)
    with pytest.raises(TermsError) as err:
        load_terms(path)
    assert expected in str(err.value)
    assert str(path) in str(err.value)


def test_a_terms_file_with_several_problems_reports_them_all_with_line_and_fix(tmp_path):
    """Issue 22: every problem at once, each with its key, its line and what to do; never
    pydantic's own text or Python's reprs."""
    text = default_terms_path().read_text(encoding="utf-8")
    text = text.replace("start = 2023-10-12", "start = 2023-10-12T10:00:00", 1)
    text = text.replace("\ncap = ", '\ncap = "lots"\nold_cap = ', 1)
    text = text.replace("[[advisors]]\n", '[[advisors]]\nname = "Jo"\n', 1)
    text = text.replace('kind = "', "kind = 7 # ", 1)
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    with pytest.raises(TermsError) as err:
        load_terms(path)
    message = str(err.value)
    problems = message.splitlines()[1:]
    assert message.splitlines()[0].endswith("5 problem(s) in the contract terms:")
    for key, value in (
        ("dates.start", "start = 2023-10-12T10:00:00"),
        ("money.cap", 'cap = "lots"'),
        ("advisors[1].name", 'name = "Jo"'),
        ("outcomes[1].kind", "kind = 7"),
    ):
        (line,) = [p for p in problems if f" {key}" in p]
        number = int(line.split("line ", 1)[1].split(",", 1)[0])
        assert lines[number - 1].startswith(value), (key, lines[number - 1])
        assert ": " in line.split(key, 1)[1]  # what to do follows
    for internal in ("Input should", "Value error", "datetime.datetime", "Decimal(", "pydantic"):
        assert internal not in message


def test_cli_reports_bad_terms_without_traceback(tmp_path, capsys):
    data = raw_terms()
    _unknown_area(data)
    path = write_toml(tmp_path / "bad.toml", data)
    code = main(["build", "--terms", str(path), "--out", str(tmp_path / "x.xlsx")])
    err = capsys.readouterr().err
    assert code == 2
    assert "unknown area 'XX'" in err and "Traceback" not in err
    assert not (tmp_path / "x.xlsx").exists()


def test_not_toml_and_missing_file(tmp_path):
    junk = tmp_path / "junk.toml"
    junk.write_text("this is = = not toml", "utf-8")
    with pytest.raises(TermsError, match="not valid TOML"):
        load_terms(junk)
    with pytest.raises(TermsError, match="not found"):
        load_terms(tmp_path / "nope.toml")


def test_another_contract_works_from_its_own_terms_file(tmp_path):
    """The next call-off on the DPS: two areas, different cap and rate, no break."""
    data = raw_terms()
    data["contract"]["id"] = "CON_99999"
    data["money"]["cap"] = "30000.00"
    data["money"]["day_rate"] = "700.00"
    data["dates"].pop("break")
    data["areas"] = data["areas"][1:]
    data["outcomes"] = [o for o in data["outcomes"] if o["id"] == "PM-1"]
    path = write_toml(tmp_path / "CON_99999.toml", data)
    out = tmp_path / "CON_99999.xlsx"
    assert main(["build", "--terms", str(path), "--out", str(out)]) == 0
    back = read_terms(open_book(out))
    assert back.contract.id == "CON_99999" and back.money.cap == Decimal("30000")
    assert [a.short for a in back.areas] == ["Portsmouth", "Medway"]


def test_workbook_contract_sheet_round_trips_to_the_same_terms(built, terms):
    assert read_terms(open_book(built)) == terms
