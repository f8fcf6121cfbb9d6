"""Two workbooks compared as openpyxl opens them: every sheet's cells (values, styles), row
heights, merged cells, hyperlinks, tables, defined names, data validations and conditional
formats. The differences, in words (none: the same)."""

from __future__ import annotations

from copy import copy
from pathlib import Path

from openpyxl import load_workbook


def differences(a: Path, b: Path) -> list[str]:
    wa, wb = load_workbook(a), load_workbook(b)
    out: list[str] = []
    if wa.sheetnames != wb.sheetnames:
        return [f"sheets {wa.sheetnames} != {wb.sheetnames}"]
    if _names(wa) != _names(wb):
        out.append(f"defined names {_names(wa)} != {_names(wb)}")
    for name in wa.sheetnames:
        sa, sb = wa[name], wb[name]
        for key in sorted(set(sa._cells) | set(sb._cells)):
            ca, cb = sa.cell(*key), sb.cell(*key)
            if (ca.value, ca.data_type) != (cb.value, cb.data_type):
                out.append(f"{name}!{ca.coordinate}: {ca.value!r} != {cb.value!r}")
            for part in ("font", "fill", "border", "alignment", "protection", "number_format"):
                if copy(getattr(ca, part)) != copy(getattr(cb, part)):
                    out.append(f"{name}!{ca.coordinate} {part} differs")
            if ca.quotePrefix != cb.quotePrefix:
                out.append(f"{name}!{ca.coordinate} quotePrefix differs")
            la, lb = ca.hyperlink, cb.hyperlink
            if (la and (la.location, la.target)) != (lb and (lb.location, lb.target)):
                out.append(f"{name}!{ca.coordinate} link differs")
        ha = {r: d.height for r, d in sa.row_dimensions.items() if d.height}
        hb = {r: d.height for r, d in sb.row_dimensions.items() if d.height}
        if ha != hb:
            out.append(f"{name} row heights differ: {set(ha.items()) ^ set(hb.items())}")
        if sorted(map(str, sa.merged_cells.ranges)) != sorted(map(str, sb.merged_cells.ranges)):
            out.append(f"{name} merged cells differ")
        ta = {t.displayName: (t.ref, t.autoFilter and t.autoFilter.ref) for t in sa.tables.values()}
        tb = {t.displayName: (t.ref, t.autoFilter and t.autoFilter.ref) for t in sb.tables.values()}
        if ta != tb:
            out.append(f"{name} tables {ta} != {tb}")
        va = sorted((str(v.sqref), v.type, v.formula1) for v in sa.data_validations.dataValidation)
        vb = sorted((str(v.sqref), v.type, v.formula1) for v in sb.data_validations.dataValidation)
        if va != vb:
            out.append(f"{name} data validations differ")
        fa = sorted(str(r.sqref) for r in sa.conditional_formatting)
        fb = sorted(str(r.sqref) for r in sb.conditional_formatting)
        if fa != fb:
            out.append(f"{name} conditional formats differ")
        if sa.print_area != sb.print_area or sa.freeze_panes != sb.freeze_panes:
            out.append(f"{name} print area or panes differ")
    return out


def _names(wb: object) -> dict[str, str]:
    return {n: d.attr_text for n, d in wb.defined_names.items()}  # type: ignore[attr-defined]
