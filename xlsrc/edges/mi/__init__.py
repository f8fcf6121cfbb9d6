"""Management information on request: one contract's KPIs month by month.

kpis.py computes them from plain data (pure); plan.py holds the days-planned rule;
export_xlsx.py, export_csv.py and export_json.py write them. xlsrc.actions.mi reads the
workbook and calls these.
"""
