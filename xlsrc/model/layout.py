"""Where things live in the workbook: the contract between the sheet builders and the readers.

Anything a reader needs to find (a sheet, a table, a header row, a column, a named term) is
named here once. Plain data: builders, readers, writers and the core all import it, and it
imports nothing but the terms model.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from xlsrc.model.terms.models import Terms

# Sheets, in the order they appear.
GUIDE = "Guide"
CONTRACT = "Contract"
TRACKER = "Tracker"
ANNEXA = "AnnexA"
EVIDENCE = "Evidence"
PLANS = "Plans"
REPORT = "Report"
RISKS = "Risks"
INVOICES = "Invoices"
EHCP = "EHCP"
VCU = "VCU"
BUDGET = "Budget"
CHECKS = "Checks"
ISSUES = "Issues"
AUDIT = "Audit"
LISTS = "Lists"
SHEET_ORDER = (
    GUIDE,
    CONTRACT,
    TRACKER,
    ANNEXA,
    EVIDENCE,
    PLANS,
    EHCP,
    VCU,
    REPORT,
    RISKS,
    INVOICES,
    BUDGET,
    CHECKS,
    ISSUES,
    AUDIT,
    LISTS,
)
RETURN_PREFIX = "Return "  # monthly return sheets: "Return 2024-03", "Return 2024-03 v2"
DRAFT_PREFIX = "Draft "  # a return marked DRAFT, saved in a file of its own: "Draft 2024-03"

# Excel Tables (their displayName).
TRACKER_TABLE = "Tracker"
ANNEXA_TABLE = "AnnexA"
RISKS_TABLE = "Risks"
INVOICES_TABLE = "Invoices"
ISSUES_TABLE = "Issues"
EHCP_TABLE = "EHCPMonthly"
SEN2_TABLE = "SEN2Annual"
VCU_TABLE = "VCU"
AUDIT_TABLE = "Audit"
EVIDENCE_TABLE = "EvidenceLog"  # per month: evidence and agreed next steps per measure
PLANS_TABLE = "Plans"  # the local area's improvement plans: actions and milestones
AREA_REPORT_TABLE = "AreaReport"  # per month and area: summary judgement, narrative...
KEY_DATES_TABLE = "KeyDates"  # next month's plan: dates and planned days
ASKS_TABLE = "Asks"  # escalations and asks of the Department
SIGNOFF_TABLE = "SignOff"  # per month: prepared / approved, invoice and PO numbers
AREAS_TABLE = "Areas"
ADVISORS_TABLE = "Advisors"
ACTIVITIES_TABLE = "Activities"
MEASURES_TABLE = "Measures"
VARIANTS_TABLE = "MeasureVariants"
OUTCOMES_TABLE = "Outcomes"
DECISIONS_TABLE = "Decisions"
RATES_TABLE = "Rates"
# Decisions table: header -> the Decision field it holds (xlsrc.model.terms.decisions).
DECISION_COLUMNS: dict[str, str] = {
    "Decided": "decided",
    "Decision": "kind",
    "Takes effect": "effective",
    "Months": "months",
    "Days per month": "days_per_month",
    "Day rate": "rate",
    "Area": "area",
    "Days allocated": "days",
    "Decided by (role)": "by",
    "Notice given": "notice",
    "Note": "note",
    "New cap": "cap",  # a cap variation's new maximum contract value (last: added later)
}
RATE_HEADERS = ("From", "Day rate")
# How many Decisions / Rates rows Validate last found broken: a value Validate writes (only when
# it changes), read by the Checks' CheckContractRows.
DECISION_ROW_ERRORS = "DecisionRowErrors"
WORDING_TABLE = "OutcomeWording"
RAG_TABLE = "RAGKey"
POWERS_TABLE = "Powers"  # who may do what: power -> the roles holding it
POWER_HEADERS = ("Power", "Held by (roles)")

# Every table on an input sheet has its header on this row: rows 1-3 hold the title and help.
HEADER_ROW = 4
FIRST_DATA_ROW = HEADER_ROW + 1

# Default number of pre-formatted Tracker rows. Excel cannot grow a Table on a protected
# sheet, so the builder makes room up front; the Python writer grows it when needed.
TRACKER_CAPACITY = 400
RISKS_CAPACITY = 40
INVOICES_CAPACITY = 40
EVIDENCE_CAPACITY = 600
PLANS_CAPACITY = 150
KEY_DATES_CAPACITY = 150
ASKS_CAPACITY = 60

# Validation-list names on the hidden Lists sheet.
LIST_NAMES = (
    "AreaList",
    "AdvisorList",
    "ActivityList",
    "OutcomeList",
    "DaysList",
    "RAGList",
    "YesNoList",
    "ScoreList",
    "RiskStatusList",
    "OwnerRoleList",
    "RiskAreaList",
    "RecommendationList",
    "MeasureList",
    "PlanStatusList",
    "EventList",
    "DecisionKindList",
    "MonthsList",
)
RECOMMENDATIONS = ("Sufficient", "Not sufficient", "At risk")
ALL_AREAS = "All areas"

RAG = ("Red", "Amber", "Green")
YES_NO = ("Yes", "No")
RISK_STATUSES = ("Open", "Monitoring", "Escalated", "Closed")
PLAN_STATUSES = ("Not started", "On track", "At risk", "Slipped", "Done")
INVOICE_STATUSES = ("Raised", "Paid", "Credited")  # a credit note is a negative line
PLAN_DONE, PLAN_SLIPPED = "Done", "Slipped"
EVENTS = ("SIB", "Deep dive", "Six-monthly stocktake", "DfE review", "VCU meeting", "Other")

# Headline figures on the Budget sheet, each a workbook-level defined name.
BUDGET_NAMES = (
    "ContractEnd",
    "LatestEnd",
    "TotalDays",
    "TotalNet",
    "TotalVAT",
    "TotalGross",
    "Headroom",
    "CapUsedPct",
    "AlertBand",
    "DaysLeft",
    "AsOfMonth",
    "MonthsElapsed",
    "RunRate",
    "NetToBreak",
    "ForecastBreak",
    "ForecastEnd",
)

# AnnexA: the fixed columns, then one rating column per month headed "Oct 2023" (text).
ANNEXA_FIXED = (
    "Area",
    "Outcome",
    "Kind",
    "Outcome as the order form states it",
    "Measure",
    "Success measure",
)
MONTH_HEADER_FORMAT = "%b %Y"  # "Oct 2023": table headers must be text


def month_header(month: dt.date) -> str:
    return month.strftime(MONTH_HEADER_FORMAT)


# Audit: the change log's columns and the actions Python records.
AUDIT_HEADERS = (
    "When",
    "Action",
    "Month",
    "Version",
    "Rows",
    "Net",
    "Fingerprint",
    "Tool",
    "Details",
    # Added after the first workbooks were built (issue 20): at the end, so an older Audit
    # table (its columns a prefix of these) is still written to, without them.
    "Who",
    "Digest",
)
AUDIT_BUILT = "Workbook built"
RETURN_ISSUED = "Return issued"
INTERIM_ISSUED = "Interim return issued"
ROWS_FILLED = "Rows added (fill)"
ROWS_IMPORTED = "Rows imported"
DECISION_RECORDED = "Decision recorded"
REPAIRED = "Repaired by validate"
LOCK_REMOVED = "Lock removed (unlock --force)"
INVOICE_RECORDED = "Invoice recorded"
PROGRESS_RECORDED = "Progress recorded"  # the demo's Annex A, report inputs and sign-offs

# Issues: what `calloff validate` found, one row per problem.
ISSUES_HEADERS = ("Severity", "Code", "Sheet", "Row", "Column", "Value", "Message", "Go to")
ISSUES_SUMMARY_CELL = "A3"


# Contract: each scalar term is a named input cell.
@dataclass(frozen=True)
class TermField:
    name: str  # defined name
    path: tuple[str, str]  # where it lives in Terms (section, attribute)
    label: str
    kind: str | None = None  # date, int, days, money, percent: the builder's number format
    note: str = ""


CONTRACT_TERMS: tuple[TermField, ...] = (
    TermField("ContractId", ("contract", "id"), "Contract number (Jaggaer)"),
    TermField("ContractReference", ("contract", "reference"), "Reference"),
    TermField("ContractTitle", ("contract", "title"), "Title"),
    TermField("ContractForm", ("contract", "form"), "Form"),
    TermField("Authority", ("contract", "authority"), "Authority"),
    TermField("ServiceAddress", ("contract", "service_address"), "Service address"),
    TermField("Supplier", ("contract", "supplier"), "Supplier"),
    TermField("InvoiceAddress", ("contract", "invoice_address"), "Invoice address"),
    TermField(
        "ProtectiveMarking",
        ("contract", "protective_marking"),
        "Protective marking",
        note="Printed at the top of every page.",
    ),
    TermField("OrderDate", ("dates", "order"), "Order date", "date"),
    TermField("StartDate", ("dates", "start"), "Service commencement", "date"),
    TermField("EndDate", ("dates", "end"), "Completion date (before any extension)", "date"),
    TermField("BreakDate", ("dates", "break_"), "Break date (Department may terminate)", "date"),
    TermField(
        "ExtensionMaxMonths",
        ("extension", "max_months"),
        "Extension allowed (months, max)",
        "int",
    ),
    TermField(
        "ExtensionNoticeMonths",
        ("extension", "notice_months"),
        "Notice of extension (months)",
        "int",
    ),
    TermField("Cap", ("money", "cap"), "Maximum contract value (excl. VAT)", "money"),
    TermField("VATRate", ("money", "vat_rate"), "VAT rate", "percent"),
    TermField(
        "VATRounding",
        ("money", "vat_rounding"),
        "VAT rounding rule",
        note="per-invoice-half-up: VAT on each month's net, to the penny, halves up.",
    ),
    TermField(
        "DayRate",
        ("money", "day_rate"),
        "Day rate from the start (excl. VAT)",
        "money",
        "Later rates: the Rates table below, each with a decision.",
    ),
    TermField(
        "RiskThreshold",
        ("reporting", "risk_score_threshold"),
        "Risk score shown in returns (1-25)",
        "int",
        "Risks at or above this score, or flagged for VCU, go in the monthly return.",
    ),
    TermField(
        "InterimReportDays",
        ("reporting", "interim_report_days"),
        "Days to the next report when progress is not sufficient",
        "int",
        "A return recommending 'Not sufficient' says an interim report is due this many days "
        "after it is prepared (calloff return --interim DATE).",
    ),
    TermField(
        "NamesMayBeShown",
        ("confidentiality", "names_may_be_shown"),
        "Returns may name people?",
        note="No unless agreed: names are confidential.",
    ),
    TermField(
        "DayRateIsPlaceholder",
        ("money", "day_rate_is_placeholder"),
        "Day rate still a placeholder?",
        note="Set No once the agreed rate is entered.",
    ),
    TermField(
        "DaysArePlaceholder",
        ("allocation", "days_are_placeholder"),
        "Days allocated still placeholders?",
        note="Set No once agreed per area.",
    ),
)
YES_NO_TERMS = (
    "NamesMayBeShown",
    "DayRateIsPlaceholder",
    "DaysArePlaceholder",
)


def contract_cell_value(terms: Terms, field: TermField) -> object:
    """What the Contract sheet shows for a term: its value, Yes/No for a flag."""
    section, attr = field.path
    value = getattr(getattr(terms, section), attr)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return value


def contract_snapshot(terms: Terms) -> dict[str, str]:
    """Each named term of the Contract sheet as text (numbers normalised), for comparison."""
    out = {}
    for field in CONTRACT_TERMS:
        value = contract_cell_value(terms, field)
        if isinstance(value, Decimal):
            value = format(value.normalize(), "f")
        out[field.name] = "" if value is None else str(value)
    out[RATES_KEY] = "; ".join(rate_line_text(line.from_, line.rate) for line in terms.day_rates)
    out[ALLOCATIONS_KEY] = allocations_text(terms)
    return out


# The areas' days allocated, in the snapshot: one key, changed only by an allocation decision.
ALLOCATIONS_KEY = "Allocations"


def allocations_text(terms: Terms) -> str:
    """'OX 60; PO 40': each area's days allocated, in the Areas table's order."""
    return "; ".join(f"{a.short} {format(a.days_allocated.normalize(), 'f')}" for a in terms.areas)


def parse_allocations(text: str) -> dict[str, str]:
    """allocations_text back to {area short: days as text}; unreadable parts are left out."""
    pairs = (part.rsplit(" ", 1) for part in text.split("; ") if " " in part)
    return {short: days for short, days in pairs}


# The rate card after the starting rate, in the snapshot (tamper evidence): one key.
RATES_KEY = "Rates"


def rate_line_text(start: dt.date, rate: Decimal) -> str:
    return f"{start.isoformat()} {format(rate.normalize(), 'f')}"
