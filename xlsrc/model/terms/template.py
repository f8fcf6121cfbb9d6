"""`calloff new-contract`: a terms file for a new call-off, every key with a comment saying
what it holds (xlsrc.model.terms.reference.DESCRIPTIONS) and a value to replace. The file
loads as it is (a test builds a workbook from it), so a person can change one thing at a time.
"""

from __future__ import annotations

from xlsrc.model.terms.reference import describe

# (table header, or "" for top-level keys (before any table), [(key, value as TOML)]).
_SECTIONS: list[tuple[str, list[tuple[str, str]]]] = [
    ("", [
        ("activities", '["Meeting", "Review of evidence", "Workshop"]'),
        ("risk_owner_roles", '["Contract manager", "Supplier lead adviser"]'),
    ]),
    ("contract", [
        ("id", '"{id}"'), ("reference", '"REPLACE: the order form reference"'),
        ("title", '"REPLACE: the service title"'),
        ("form", '"REPLACE: e.g. DfE DPS order form"'),
        ("authority", '"REPLACE: the buyer"'), ("service_address", '""'),
        ("invoice_address", '""'), ("supplier", '"REPLACE: the supplier\'s legal name"'),
        ("protective_marking", '"OFFICIAL"'),
    ]),
    ("dates", [
        ("order", "2026-01-05"), ("start", "2026-01-05"), ("end", "2026-12-31"),
        ("break", "2026-06-30"),
    ]),
    ("extension", [("max_months", "6"), ("notice_months", "1")]),
    ("money", [
        ("currency", '"GBP"'), ("cap", '"50000.00"'), ("vat_rate", '"0.20"'),
        ("vat_rounding", '"per-invoice-half-up"'), ("day_rate", '"600.00"'),
        ("day_rate_is_placeholder", "true"),
    ]),
    ("allocation", [("days_are_placeholder", "true")]),
    ("alerts", [("cap_bands", '["0.5", "0.75", "0.9", "1"]')]),
    ("confidentiality", [("names_may_be_shown", "false")]),
    ("reporting", [("risk_score_threshold", "12"), ("interim_report_days", "14")]),
    ("powers", [
        ("decide-break", '["Contract manager"]'), ("terminate", '["Contract manager"]'),
        ("extend", '["Contract manager"]'), ("change-days-per-month", '["Contract manager"]'),
        ("change-day-rate", '["Contract manager"]'), ("vary-cap", '["Contract manager"]'),
        ("change-allocation", '["Contract manager"]'),
        ("prepare-return", '["Supplier lead adviser"]'),
        ("approve-return", '["Contract manager"]'), ("record-invoice", '["Contract manager"]'),
    ]),
    ("[areas]", [
        ("code", '"A1"'), ("name", '"REPLACE: the area\'s full name"'),
        ("short", '"Area one"'), ("days_allocated", '"40"'),
    ]),
    ("[advisors]", [("id", '"AD-01"'), ("role", '"Lead adviser"')]),
    ("[measures]", [("id", '"SM-1"'), ("text", '"REPLACE: the success measure"')]),
    ("[outcomes]", [
        ("id", '"A1-0"'), ("areas", '["A1"]'), ("kind", '"overarching"'),
        ("text", '"REPLACE: a short title"'), ("wording", '["REPLACE: the order form\'s words"]'),
        ("measures", '["SM-1"]'),
    ]),
    ("[rag]", [("rating", '"Red"'), ("meaning", '"Not met, or an escalating risk."')]),
    ("[rag]", [("rating", '"Amber"'), ("meaning", '"Partly met: progress is slower."')]),
    ("[rag]", [("rating", '"Green"'), ("meaning", '"On track."')]),
]  # fmt: skip

# Keys shown commented out: optional, and with no sensible value for a new contract.
_COMMENTED = [
    ("outcomes[].measure_variant", 'measure_variant = "NAME"   # a [measure_variants.NAME]'),
    ("measure_variants", '[measure_variants.NAME]  # then: SM-1 = "another wording"'),
    ("day_rates", '[[day_rates]]  # then: from = 2026-04-01 and rate = "650.00"'),
    ("decisions", "[[decisions]]  # or record them with calloff decide (docs/decisions.md)"),
]


def new_terms_text(contract_id: str) -> str:
    """A commented terms file for `contract_id`, valid as written."""
    out = [
        f"# Terms of {contract_id}, written by `calloff new-contract`.",
        "# Replace every REPLACE and every value from your order form; docs/terms.md lists",
        "# every key. Then: calloff build --terms THIS-FILE",
        "",
    ]
    for header, items in _SECTIONS:
        many = header.startswith("[")
        name = header.strip("[]")
        if header:
            out.append(f"# {describe(name)}")
            out.append(f"[[{name}]]" if many else f"[{name}]")
        prefix = f"{name}[]." if many else (f"{name}." if name else "")
        for key, value in items:
            out.append(f"{key} = {value.replace('{id}', contract_id)}  # {describe(prefix + key)}")
        out.append("")
    out.append("# Optional, shown here so nothing is hidden:")
    out += [f"# {line}" for _, line in _COMMENTED]
    return "\n".join(out) + "\n"


def mentioned_keys() -> set[str]:
    """Every key the template writes or shows commented out (a test compares with the model)."""
    found: set[str] = set()
    for header, items in _SECTIONS:
        many = header.startswith("[")
        name = header.strip("[]")
        if name:
            found.add(name)
        prefix = f"{name}[]." if many else (f"{name}." if name else "")
        found |= {prefix + key for key, _ in items}
    return found | {key for key, _ in _COMMENTED}
