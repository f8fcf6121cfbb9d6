"""Tracker validation: every rule a Tracker row must obey, with all problems collected.

`validate_rows` takes rows as read from a worksheet and returns the entries that could be read
plus one `Issue` per problem. Rule codes and their meaning: `xlsrc.model.rules` (`ROW_RULES` are
the ones checked here).
"""

from xlsrc.core.validate.run import ValidationResult, validate_rows
from xlsrc.model.rules import ROW_RULES, Rule

__all__ = ["ROW_RULES", "Rule", "ValidationResult", "validate_rows"]
