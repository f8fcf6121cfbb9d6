"""The Excel adapter: what the workbook's buttons run, through xlwings.

A thin layer over the same core as the `calloff` command line. `book.XlBook` reads the
workbook open in Excel through its ranges into the plain data the readers take; `write`
writes results back with range writes only; `entry` has one entry point per button and the
one boundary that turns a person's or a file's problem into a message in the workbook.
Nothing here rewrites the file under Excel: Excel saves it, as for any edit.
"""
