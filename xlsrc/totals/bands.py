"""The cap alert band: one wording, used by the Budget formula and by Python."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

OVER_CAP = "OVER CAP"


def band_labels(bands: list[Decimal]) -> tuple[str, list[str]]:
    """(label below the first band, label at or above each band)."""
    below = f"Below {_pct(bands[0])} of cap"
    return below, [f"{_pct(b)} of cap or more" for b in bands]


def alert_band(used: Decimal, bands: list[Decimal], over_cap: bool) -> str:
    """`used` is CapUsedPct (rounded to 4 places); `over_cap` compares the money itself, so a
    penny over the cap is OVER CAP even though the rounded ratio reads 100.00%."""
    below, labels = band_labels(bands)
    if over_cap:
        return OVER_CAP
    label = below
    for band, text in zip(bands, labels, strict=True):
        if used >= band:
            label = text
    return label


def _pct(fraction: Decimal) -> str:
    """Whole percent, as the workbook's TEXT(band,"0%") shows it."""
    return f"{(fraction * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)}%"
