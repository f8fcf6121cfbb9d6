"""Where things live in the workbook: the contract between the sheet builders and the readers.

Anything a reader needs to find (a sheet, a table, a header row) is named here once.
"""

from __future__ import annotations

# Sheets, in the order they appear.
GUIDE = "Guide"
CONTRACT = "Contract"
TRACKER = "Tracker"
ANNEXA = "AnnexA"
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
    EHCP,
    VCU,
    RISKS,
    INVOICES,
    BUDGET,
    CHECKS,
    ISSUES,
    AUDIT,
    LISTS,
)
RETURN_PREFIX = "Return "  # monthly return sheets: "Return 2024-03", "Return 2024-03 v2"

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
AREAS_TABLE = "Areas"
ADVISORS_TABLE = "Advisors"
ACTIVITIES_TABLE = "Activities"
MEASURES_TABLE = "Measures"
VARIANTS_TABLE = "MeasureVariants"
OUTCOMES_TABLE = "Outcomes"
DECISIONS_TABLE = "Decisions"
RATES_TABLE = "Rates"

# Every table on an input sheet has its header on this row: rows 1-3 hold the title and help.
HEADER_ROW = 4
FIRST_DATA_ROW = HEADER_ROW + 1

# Default number of pre-formatted Tracker rows. Excel cannot grow a Table on a protected
# sheet, so the builder makes room up front; the Python writer grows it when needed.
TRACKER_CAPACITY = 400
RISKS_CAPACITY = 40
INVOICES_CAPACITY = 40

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
    "DecisionKindList",
)
RECOMMENDATIONS = ("Sufficient", "Not sufficient", "At risk")
ALL_AREAS = "All areas"

RAG = ("Red", "Amber", "Green")
YES_NO = ("Yes", "No")
RISK_STATUSES = ("Open", "Monitoring", "Escalated", "Closed")

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
