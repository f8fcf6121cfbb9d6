Attribute VB_Name = "CalloffButtons"
' The workbook's buttons. Each runs one Python entry point (xlsrc/adapters/xl/entry.py) through
' xlwings' RunPython, which finds Python through the xlwings.conf sheet.
' This file is the source: `calloff build --macros` builds it into workbook/*.xlsm.
' Edit it here, never in the workbook.
Option Explicit

' Tracker sheet, button "Validate": check every entry, list problems on the Issues sheet.
Public Sub ValidateTracker()
    RunPython "import xlsrc.adapters.xl.entry as e; e.validate()"
End Sub

' Tracker sheet, button "Import trackers": merge advisors' tracker files into this one.
Public Sub ImportTrackers()
    RunPython "import xlsrc.adapters.xl.entry as e; e.import_trackers()"
End Sub

' Budget sheet, button "Totals": Python's totals beside the workbook's own formulas.
Public Sub ShowTotals()
    RunPython "import xlsrc.adapters.xl.entry as e; e.totals()"
End Sub

' Guide sheet, button "Build return": the monthly return sheet for a month.
Public Sub BuildReturn()
    RunPython "import xlsrc.adapters.xl.entry as e; e.build_return()"
End Sub

' Invoices sheet, button "Check invoice": an invoice against the Tracker, to the penny.
Public Sub CheckInvoice()
    RunPython "import xlsrc.adapters.xl.entry as e; e.check_invoice()"
End Sub

' Invoices sheet, button "Record invoice": the invoice typed on the selected row goes on the
' register once it agrees with the Tracker to the penny.
Public Sub RecordInvoice()
    RunPython "import xlsrc.adapters.xl.entry as e; e.record_invoice()"
End Sub
