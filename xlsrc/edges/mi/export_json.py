"""The MI as JSON: money, days and ratios as strings (exact), dates ISO, months "YYYY-MM".

The headline keys are the workbook's defined names, exactly as `calloff totals --json` gives
them, so a program can check one against the other.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from xlsrc.core.mi.kpis import MI, MonthKPI
from xlsrc.edges.mi.output import write_text
from xlsrc.model import fmt
from xlsrc.model.money import PENNY
from xlsrc.model.terms.models import Terms


def _v(value: object) -> object:
    return value  # fmt.json_ready writes it


def _month(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def month_json(m: MonthKPI) -> dict[str, object]:
    return {
        "month": _month(m.month),
        "in_term": m.in_term,
        "reported": m.reported,
        "days": _v(m.days),
        "planned": _v(m.planned),
        "cumulative_days": _v(m.cumulative_days),
        "cumulative_planned": _v(m.cumulative_planned),
        "net": _v(m.net),
        "vat": _v(m.vat),
        "gross": _v(m.gross),
        "cumulative_net": _v(m.cumulative_net),
        "cumulative_gross": _v(m.cumulative_gross),
        "cap_used": _v(m.cap_used),
        "headroom": _v(m.headroom),
        "forecast_end": _v(m.forecast_end),
        "forecast_break": _v(m.forecast_break),
        "return_issued": _v(m.return_issued),
        "return_days_after_month_end": m.return_days_after,
        "return_versions": m.return_versions,
        "invoice": m.invoice,
        "by_area": {
            a.area: {
                "days": _v(a.days),
                "planned": _v(a.planned),
                "cumulative_days": _v(a.cumulative_days),
                "cumulative_planned": _v(a.cumulative_planned),
                "net": _v(a.net),
            }
            for a in m.areas
        },
    }


def placeholders(terms: Terms) -> list[str]:
    """Which figures still rest on placeholder pricing (shown with every £ figure)."""
    out = []
    if terms.money.day_rate_is_placeholder:
        out.append("day rate")
    if terms.allocation.days_are_placeholder:
        out.append("days allocated")
    return out


def mi_json(mi: MI) -> dict[str, object]:
    """The MI, JSON-ready (money, days and ratios as strings: fmt.json_ready)."""
    return fmt.json_object(_mi_data(mi))


def _mi_data(mi: MI) -> dict[str, object]:
    terms, t = mi.terms, mi.totals
    return {
        "contract": {
            "id": terms.contract.id,
            "reference": terms.contract.reference,
            "title": terms.contract.title,
            "supplier": terms.contract.supplier,
            "authority": terms.contract.authority,
            "protective_marking": terms.contract.protective_marking,
            "areas": mi.area_names,
            "start": _v(terms.dates.start),
            "end": _v(terms.dates.end),
            "break": _v(terms.dates.break_),
            "break_state": terms.effective.break_state,
            "contract_end": _v(terms.contract_end),
            "cap": _v(terms.cap_now.quantize(PENNY)),
            "day_rate": _v(terms.effective.rate_now.quantize(PENNY)),
            "day_rates": [
                {"from": _v(f), "rate": _v(r.quantize(PENNY))} for f, r in terms.effective.rates
            ],
            "placeholders": placeholders(terms),
            "vat_rate": _v(terms.money.vat_rate),
        },
        "as_at": _v(mi.today),
        "headline": {k: _v(v) for k, v in t.headline().items()},
        "rows_with_errors": mi.rows_with_errors,
        "by_month": [month_json(m) for m in mi.months],
        "by_area": [
            {
                "area": a.area,
                "days_allocated": _v(a.allocated),
                "planned_to_date": _v(a.planned_to_date),
                "days": _v(a.days),
                "days_remaining": _v(a.remaining),
                "net": _v(a.net),
            }
            for a in mi.areas
        ],
        "scenarios": [
            {
                "scenario": s.label,
                "ends": _v(s.ends),
                "forecast_net": _v(s.forecast),
                "headroom": _v(s.headroom),
            }
            for s in t.scenarios
        ],
        "ratings": [
            {
                "month": _month(r.month),
                "area": r.area,
                "Red": r.red,
                "Amber": r.amber,
                "Green": r.green,
                "not_rated": r.not_rated,
            }
            for r in mi.ratings
        ],
        "escalations": {
            "total": mi.escalations.total,
            "vcu_month": _month(mi.escalations.month) if mi.escalations.month else None,
            "not_sufficient": list(mi.escalations.not_sufficient),
            "risks": mi.escalations.risks,
            "asks_open": mi.escalations.asks,
        },
        "risks": {
            "threshold": mi.risks.threshold,
            "open": mi.risks.open,
            "at_or_above_threshold": mi.risks.at_or_above_threshold,
            "escalations": mi.risks.escalations,
            "by_score": {str(k): v for k, v in mi.risks.by_score.items()},
            "unscored": mi.risks.unscored,
            "open_risks": [
                {
                    "id": r.id,
                    "area": r.area,
                    "outcome": r.outcome,
                    "likelihood": r.likelihood,
                    "impact": r.impact,
                    "score": r.score,
                    "owner": r.owner,
                    "status": r.status,
                    "escalate": r.escalate,
                }
                for r in mi.risks.lines
            ],
        },
        "ehcp_monthly": [
            {
                "month": _month(e.month),
                "area": e.area,
                "issued": e.issued,
                "within_20_weeks": e.within_20_weeks,
                "pct": _v(e.pct),
                "trajectory": _v(e.trajectory),
                "versus_trajectory": e.versus_trajectory,
            }
            for e in mi.ehcp
        ],
        "sen2_annual": [
            {"year": s.year, "area": s.area, "pct": _v(s.pct), "published": s.published}
            for s in mi.sen2
        ],
        "returns": [
            {
                "month": _month(r.month),
                "version": r.version,
                "issued": _v(r.issued),
                "days_after_month_end": r.days_after_month_end,
                "rows": r.rows,
                "net": _v(r.net),
            }
            for r in mi.returns
        ],
        "invoices": [
            {
                "month": _month(i.month),
                "number": i.number,
                "row": i.row,
                "net": _v(i.net),
                "vat": _v(i.vat),
                "gross": _v(i.gross),
                "tracker_net": _v(i.tracker_net),
                "result": i.result,
                "codes": list(i.codes),
            }
            for i in mi.invoices
        ],
        "invoices_problem": mi.invoices_problem,
    }


def write_json(mi: MI, path: Path) -> None:
    text = json.dumps(mi_json(mi), indent=2, ensure_ascii=False)
    write_text(path, text + "\n")
