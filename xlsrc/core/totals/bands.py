"""The cap alert band: one wording, used by the Budget formula and by Python."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

OVER_CAP = "OVER CAP"
# Added to the band when spend is within the cap but the forecast to the end in force (with
# the days per month decided for an extension, at the rate now) is over it.
FORECAST_OVER = "; forecast over cap by the end"


def band_labels(bands: list[Decimal]) -> tuple[str, list[str]]:
    """(label below the first band, label at or above each band)."""
    below = f"Below {_pct(bands[0])} of cap"
    return below, [f"{_pct(b)} of cap or more" for b in bands]


def alert_band(
    used: Decimal, bands: list[Decimal], over_cap: bool, forecast_over: bool = False
) -> str:
    """`used` is CapUsedPct (rounded to 4 places); `over_cap` compares the money itself, so a
    penny over the cap is OVER CAP even though the rounded ratio reads 100.00%;
    `forecast_over`: ForecastEnd > Cap (the band then says so)."""
    below, labels = band_labels(bands)
    if over_cap:
        return OVER_CAP
    label = below
    for band, text in zip(bands, labels, strict=True):
        if used >= band:
            label = text
    return label + (FORECAST_OVER if forecast_over else "")


def _pct(fraction: Decimal) -> str:
    """Whole percent, as the workbook's TEXT(band,"0%") shows it."""
    return f"{(fraction * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)}%"
