"""Order form section 4 for returns: no contact details, no unpublished DSG figures, and no
names unless the terms allow them. A breach stops the return and names the cell.

Names are found by their form (a title such as Mr, Mrs, Ms, Dr or Cllr before a capitalised
word): the check cannot know every name, so people are asked to use roles and advisor IDs.
"""

from __future__ import annotations

from xlsrc.core.validate.privacy import DSG_FIGURE, EMAIL, TITLED_NAME, UK_PHONE
from xlsrc.model.errors import UserDataError
from xlsrc.model.records import Text


class ConfidentialityBreach(UserDataError):
    pass


def findings(text: str, names_allowed: bool) -> list[str]:
    found = []
    if m := EMAIL.search(text):
        found.append(f"an e-mail address ({m.group()})")
    if m := UK_PHONE.search(text):
        found.append(f"a phone number ({m.group()})")
    if m := DSG_FIGURE.search(text):
        found.append(f"a DSG figure ({m.group()[:40]}), which may be unpublished")
    if not names_allowed and (m := TITLED_NAME.search(text)):
        found.append(f"a person's name ({m.group()})")
    return found


def check(texts: list[Text], names_allowed: bool, what: str) -> None:
    """Raise with every breach and its cell; nothing is written when any is found."""
    problems = [
        f"{t.where}: {', '.join(f)}" for t in texts if (f := findings(t.value, names_allowed))
    ]
    if problems:
        raise ConfidentialityBreach(
            f"{what} stopped: confidential information (order form section 4) in "
            + "; ".join(problems)
            + ". Remove it (use roles and advisor IDs), then build the return again."
        )
