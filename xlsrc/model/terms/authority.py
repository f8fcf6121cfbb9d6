"""Who may do what: the powers the order form gives each role, as declared data.

A terms file's `[powers]` names, for each power, the roles holding it (the order form: the
Department alone continues or terminates at the break, ends early, extends and varies the
contract; the supplier reports; the Department accepts). `role_may` is the one question every
command asks (`decide`, the Decisions table through validate, a return's sign-off); the code
holds no answer of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, Protocol, get_args


class Terms(Protocol):
    """What the authority reads of a contract's terms (xlsrc.model.terms.models.Terms has it)."""

    @property
    def powers(self) -> Mapping[str, list[str]]: ...


Power = Literal[
    "decide-break",
    "terminate",
    "extend",
    "change-days-per-month",
    "change-day-rate",
    "vary-cap",
    "change-allocation",
    "prepare-return",
    "approve-return",
    "record-invoice",
]
POWERS: tuple[str, ...] = get_args(Power)

# What each power lets a role do, in words for a person (messages, the Contract sheet).
POWER_LABELS: dict[str, str] = {
    "decide-break": "decide the break (continue or terminate at it)",
    "terminate": "end the contract early",
    "extend": "extend the contract",
    "change-days-per-month": "change the call-off days per month",
    "change-day-rate": "change the day rate",
    "vary-cap": "vary the cap (maximum contract value)",
    "change-allocation": "change an area's allocation",
    "prepare-return": "prepare a monthly return",
    "approve-return": "approve a monthly return",
    "record-invoice": "record an invoice",
}
POWER_BY_LABEL: dict[str, str] = {label.lower(): p for p, label in POWER_LABELS.items()}

# The power each kind of decision needs.
KIND_POWER: dict[str, str] = {
    "continue": "decide-break",
    "terminate-at-break": "decide-break",
    "end-early": "terminate",
    "extend": "extend",
    "days-per-month": "change-days-per-month",
    "day-rate": "change-day-rate",
    "vary-cap": "vary-cap",
    "allocation": "change-allocation",
}


def holders(terms: Terms, power: str) -> list[str]:
    """The roles holding `power`, as the terms list them."""
    return list(terms.powers.get(power, []))


def role_may(terms: Terms, role: str, power: str) -> bool:
    """Whether `role` holds `power` under the terms (role names compared exactly, after
    trimming: they are chosen from a list, never typed as names)."""
    if power not in POWERS:
        raise ValueError(f"{power!r} is not a power; the powers are {', '.join(POWERS)}")
    return role.strip() in holders(terms, power)


def refusal(terms: Terms, role: str, power: str) -> str:
    """Why `role` may not use `power`, naming the role(s) that may."""
    who = holders(terms, power)
    named = " or ".join(who) if who else "no role (the terms give it to nobody)"
    return f"{role} may not {POWER_LABELS[power]}: under the terms only {named} may"
