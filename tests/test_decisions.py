"""Decisions as dated records: the effective term derived from them, and the rules they obey."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from xlsrc.model.errors import TermsError
from xlsrc.model.terms.effective import CONTINUED, NOT_YET_DECIDED, TERMINATED
from xlsrc.model.terms.loader import terms_from_mapping
from xlsrc.model.terms.models import Terms

D = dt.date
ROLE = "DfE contract manager"


def with_decisions(terms: Terms, *decisions: dict, day_rates: list | None = None) -> Terms:
    raw = terms.model_dump(mode="python", by_alias=True)
    raw["decisions"] = [{"by": ROLE, **d} for d in decisions]
    if day_rates is not None:
        raw["day_rates"] = day_rates
    return terms_from_mapping(raw)


def refused(terms: Terms, *decisions: dict, day_rates: list | None = None) -> str:
    with pytest.raises(TermsError) as err:
        with_decisions(terms, *decisions, day_rates=day_rates)
    return str(err.value)


def test_no_decision_means_not_yet_decided(terms):
    eff = terms.effective
    assert eff.break_state == NOT_YET_DECIDED
    assert eff.end == D(2025, 3, 31) and eff.extension_months == 0 and not eff.ended
    assert eff.latest_end == D(2026, 3, 31)
    due = eff.falling_due(D(2024, 2, 1))
    assert [d.date for d in due] == [D(2024, 3, 31)]  # the break, shown from 31 Jan 2024
    assert eff.falling_due(D(2024, 1, 30)) == []
    end_due = eff.falling_due(D(2025, 2, 1))[-1]
    assert end_due.date == D(2025, 3, 31) and end_due.notice_by == D(2025, 2, 28)


def test_termination_at_the_break_ends_the_term_there(terms):
    t = with_decisions(terms, {"decided": D(2024, 2, 20), "kind": "terminate-at-break"})
    eff = t.effective
    assert eff.break_state == TERMINATED and eff.end == D(2024, 3, 31) and eff.ended
    assert eff.latest_end == D(2024, 3, 31) and t.contract_end == D(2024, 3, 31)
    assert eff.due == ()


def test_early_end_and_extension_with_days_per_month(terms):
    cont = {"decided": D(2024, 3, 1), "kind": "Continue past the break"}  # the sheet's words
    early = with_decisions(
        terms, cont, {"decided": D(2024, 10, 1), "kind": "end-early", "effective": D(2024, 11, 15)}
    )
    assert early.effective.break_state == CONTINUED
    assert early.contract_end == D(2024, 11, 15) and early.effective.ended
    ext = with_decisions(
        terms,
        cont,
        {
            "decided": D(2025, 2, 10),
            "kind": "extend",
            "months": 3,
            "days_per_month": Decimal(4),
            "notice": D(2025, 2, 10),
            "effective": D(2025, 4, 1),
        },
    )
    eff = ext.effective
    assert eff.end == D(2025, 6, 30) and eff.extension_months == 3
    assert eff.days_per_month_on(D(2025, 3, 31)) is None
    assert eff.days_per_month_on(D(2025, 4, 1)) == 4


def test_rates_by_date_apply_from_their_date_only(terms):
    t = with_decisions(
        terms,
        {
            "decided": D(2024, 3, 1),
            "kind": "day-rate",
            "effective": D(2024, 4, 1),
            "rate": Decimal("700.00"),
        },
        day_rates=[{"from": D(2024, 4, 1), "rate": Decimal("700.00")}],
    )
    eff = t.effective
    assert eff.rate_on(D(2024, 3, 31)) == Decimal("650.00")
    assert eff.rate_on(D(2024, 4, 1)) == Decimal("700.00") == eff.rate_now


def test_a_rate_card_from_the_start_sets_the_starting_rate(terms):
    raw = terms.model_dump(mode="python", by_alias=True)
    del raw["money"]["day_rate"]
    raw["day_rates"] = [
        {"from": D(2023, 10, 12), "rate": "600.00"},
        {"from": D(2024, 4, 1), "rate": "640.00"},
    ]
    t = terms_from_mapping(raw)
    assert t.money.day_rate == Decimal("600.00")
    assert [r for _, r in t.effective.rates] == [Decimal("600.00"), Decimal("640.00")]


@pytest.mark.parametrize(
    ("decisions", "expected"),
    [
        (
            [{"decided": D(2025, 2, 1), "kind": "extend", "months": 13, "notice": D(2025, 2, 1)}],
            "decisions[0].months: 13 more month(s) makes 13; the extension may be at most 12",
        ),
        (
            [
                {"decided": D(2025, 2, 1), "kind": "extend", "months": 8, "notice": D(2025, 2, 1)},
                {"decided": D(2025, 9, 1), "kind": "extend", "months": 5, "notice": D(2025, 9, 1)},
            ],
            "decisions[1].months: 5 more month(s) makes 13",
        ),
        (
            [{"decided": D(2025, 3, 10), "kind": "extend", "months": 2, "notice": D(2025, 3, 10)}],
            "decisions[0].notice: notice of an extension is due 1 month(s) before the end it "
            "changes (31/03/2025): by 28/02/2025; given 10/03/2025",
        ),
        (
            [{"decided": D(2025, 2, 1), "kind": "extend", "months": 1.5, "notice": D(2025, 2, 1)}],
            "decisions.0.months: Input should be a valid integer",
        ),
        (
            [{"decided": D(2025, 2, 1), "kind": "extend", "months": 2}],
            "a 'Extend' decision needs notice",
        ),
        (
            [{"decided": D(2024, 2, 1), "kind": "continue", "by": "Jane Smith"}],
            "decisions[0].by: 'Jane Smith' is not one of the contract's roles",
        ),
        (
            [
                {"decided": D(2024, 2, 1), "kind": "terminate-at-break"},
                {"decided": D(2024, 2, 2), "kind": "continue"},
            ],
            "decisions[1].kind: the break was already decided"
            " (decisions[0]: Terminate at the break, decided 01/02/2024)",
        ),
        (
            [
                {"decided": D(2024, 2, 1), "kind": "terminate-at-break"},
                {"decided": D(2024, 2, 2), "kind": "extend", "months": 1, "notice": D(2024, 2, 2)},
            ],
            "decisions[1].kind: the contract ended on 31/03/2024"
            " (decisions[0]: Terminate at the break, decided 01/02/2024)",
        ),
        (
            [{"decided": D(2024, 2, 1), "kind": "end-early", "effective": D(2025, 6, 1)}],
            "decisions[0].effective: an early end must be before the current end, 31/03/2025",
        ),
        (
            [
                {
                    "decided": D(2024, 2, 1),
                    "kind": "day-rate",
                    "effective": D(2024, 4, 1),
                    "rate": Decimal(700),
                }
            ],
            "decisions[0].rate: the rate card has no line from 01/04/2024 at 700",
        ),
    ],
)
def test_a_broken_rule_names_the_decision_and_field(terms, decisions, expected):
    assert expected in refused(terms, *decisions)


def test_rate_lines_must_be_in_date_order(terms):
    message = refused(
        terms,
        day_rates=[
            {"from": D(2024, 6, 1), "rate": "700.00"},
            {"from": D(2024, 4, 1), "rate": "710.00"},
        ],
    )
    assert "day_rates[1].from: rate lines must be in date order" in message


def test_old_keys_say_what_to_write_instead(terms):
    raw = terms.model_dump(mode="python", by_alias=True)
    raw["extension"]["agreed_months"] = 3
    with pytest.raises(
        TermsError,
        match=r"extension.agreed_months is no longer a term: record a "
        r'\[\[decisions\]\] entry with kind = "extend"',
    ):
        terms_from_mapping(raw)
