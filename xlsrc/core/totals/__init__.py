"""Python's own totals of the figures the Budget sheet computes with formulas."""

from xlsrc.core.totals.budget import Totals, compute_totals, totals_as_at

__all__ = ["Totals", "compute_totals", "totals_as_at"]
