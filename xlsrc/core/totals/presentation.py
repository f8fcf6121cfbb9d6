"""Totals for people (a text table) and for programs (JSON with the defined names as keys)."""

from __future__ import annotations

from xlsrc.core.totals.breakdowns import BreakdownLine
from xlsrc.core.totals.budget import Totals
from xlsrc.model import fmt


def totals_json(totals: Totals) -> dict[str, object]:
    """JSON-ready totals, keys the defined names (money "52650.00", days "81.0": fmt.json_ready)."""
    data: dict[str, object] = dict(totals.headline())
    data["by_month"] = [
        {
            "month": m.month.strftime("%Y-%m"),
            "in_term": m.in_term,
            "days": m.days,
            "net": m.net,
            "vat": m.vat,
            "gross": m.gross,
            "cumulative_net": m.cumulative_net,
            "cumulative_gross": m.cumulative_gross,
            "days_by_area": dict(m.days_by_area),
            "net_by_area": dict(m.net_by_area),
        }
        for m in totals.months
    ]
    data["by_area"] = [dict(vars(a)) for a in totals.areas]
    data["scenarios"] = [
        {
            "scenario": s.label,
            "ends": s.ends,
            "forecast_net": s.forecast,
            "headroom": s.headroom,
        }
        for s in totals.scenarios
    ]
    data["by_advisor"] = _lines_json(totals.advisors)
    data["by_activity"] = _lines_json(totals.activities)
    data["by_outcome"] = _lines_json(totals.outcomes)
    return fmt.json_object(data)


def _lines_json(lines: list[BreakdownLine]) -> list[dict[str, object]]:
    return [{"name": b.name, "days": b.days, "net": b.net} for b in lines]


def totals_text(totals: Totals, contract_id: str) -> str:
    t = totals
    as_of = t.AsOfMonth.strftime("%b %Y") if t.AsOfMonth else "no delivery yet"
    lines = [
        f"{contract_id}: spend against the cap (latest month with delivery: {as_of})",
        f"  Days delivered          {t.TotalDays:>14.1f}",
        f"  Spend to date (net)     {fmt.money(t.TotalNet):>14}",
        f"  VAT                     {fmt.money(t.TotalVAT):>14}",
        f"  Spend incl. VAT         {fmt.money(t.TotalGross):>14}",
        f"  Headroom to cap         {fmt.money(t.Headroom):>14}",
        f"  Cap used                {t.CapUsedPct * 100:>13.2f}%   {t.AlertBand}",
        f"  Days left at day rate   {t.DaysLeft:>14.1f}",
        f"  Run-rate per month      {fmt.money(t.RunRate):>14}   over {t.MonthsElapsed} month(s)",
        f"  Forecast at break       {fmt.money(t.ForecastBreak):>14}",
        f"  Forecast at end         {fmt.money(t.ForecastEnd):>14}   "
        f"(contract end {t.ContractEnd:%d/%m/%Y})",
        "",
        "  Area            allocated     used   remaining            net",
    ]
    for a in t.areas:
        lines.append(
            f"  {a.area:<14}{a.days_allocated:>11.1f}{a.days:>9.1f}{a.days_remaining:>12.1f}"
            f"{fmt.money(a.net):>15}"
        )
    lines += ["", "  Scenario                          ends        forecast net      headroom"]
    for s in t.scenarios:
        forecast, headroom = fmt.money(s.forecast), fmt.money(s.headroom)
        lines.append(f"  {s.label:<32}{s.ends:%d/%m/%Y}{forecast:>16}{headroom:>14}")
    for title, breakdown in (
        ("Advisor", t.advisors),
        ("Activity", t.activities),
        ("Outcome (shared days split evenly)", t.outcomes),
    ):
        lines += ["", *_lines_text(title, breakdown)]
    return "\n".join(lines)


def _lines_text(title: str, breakdown: list[BreakdownLine]) -> list[str]:
    """One line per name with any delivery; names with none are left out to stay compact."""
    used = [b for b in breakdown if b.days or b.net]
    rows = [f"  {b.name[:36]:<36}{b.days:>8.1f}{fmt.money(b.net):>15}" for b in used]
    return [f"  {title:<36}{'days':>8}{'net':>15}", *(rows or ["  (no delivery yet)"])]
