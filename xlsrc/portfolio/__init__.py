"""The roll-up across many call-offs: read.py reads each contract workbook (in worker
processes), summary.py holds the rules (master check in Python, risk level, order), write.py
writes the summary workbook. xlsrc.actions.portfolio runs them."""
