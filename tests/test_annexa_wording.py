"""Annex A as the order form states it: every outcome paragraph and success measure in the
terms file is found, word for word, in the order form's Annex A (an OCR whose two columns are
interleaved, so a paragraph's words are looked for in order within a short window), and each
success measure equals the clean reading in CON_22889-terms.md exactly."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from xlsrc.model.terms.models import Terms

GOLDEN = Path(__file__).parent / "golden"
ORDER_FORM = (GOLDEN / "order-form-annex-a.txt").read_text(encoding="utf-8")

# The clean reading's success measures (shared/contract/CON_22889-terms.md, "verbatim").
MEASURES_VERBATIM = {
    "SM-A": "APA and six-monthly deep dives are well informed by clear advice on lines of "
    "enquiry, where progress has been made and what next steps should be.",
    "SM-B": "Evidence from SIB, APA deep dives and six-monthly stocktakes highlight "
    "increasingly effective oversight being held across all local area partners.",
    "SM-C": "Agreed next steps for further improvement are in place.",
    "SM-D": "Where there are escalating risks, the need for rapid intervention is "
    "highlighted, whether that be departmental or additional support from the SEND Advisor "
    "put in place.",
    "SM-E": "There is a strong working relationship between the DfE SEND adviser and NHSE "
    "SEND adviser.",
    "SM-T1": "VCU is regularly updated with specific progress on EHCP timeliness/adherence to "
    "statutory requirements.",
    "SM-T2": "The Local Area is supported to review, improve and implement its plans for "
    "improving performance, drawing upon best practice from the sector.",
    "SM-T3": "Agreed next steps for further improvement are in place and there is assurance "
    "that there is effective oversight/governance in place.",
    "SM-T4": "Where there are escalating risks, the need for rapid intervention is "
    "highlighted, whether that be departmental or additional support from the SEND Adviser "
    "put in place.",
}
MEASURES_BY_OUTCOME = {
    **{o: ["SM-A", "SM-B", "SM-C", "SM-D"] for o in ("OX-0", "OX-PA1", "OX-PA2", "OX-PA3")},
    **{o: ["SM-A", "SM-B", "SM-C", "SM-D"] for o in ("OX-PA4", "OX-PA5", "OX-AI1")},
    **{o: ["SM-A", "SM-B", "SM-C", "SM-D"] for o in ("OX-AI2", "OX-AI3")},
    "OX-AI4": ["SM-A", "SM-B", "SM-C", "SM-E", "SM-D"],
    "PM-1": ["SM-T1", "SM-T2", "SM-T3", "SM-T4"],
}


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


FORM_WORDS = words(ORDER_FORM)


def in_order_form(text: str) -> bool:
    """Every word of `text`, in order, within a window of the order form no more than three
    times its length (the OCR interleaves the outcome and measure columns)."""
    want = words(text)
    limit = 3 * len(want) + 12
    for start, word in enumerate(FORM_WORDS):
        if word != want[0]:
            continue
        i, pos = 1, start + 1
        while i < len(want) and pos < min(len(FORM_WORDS), start + limit):
            if FORM_WORDS[pos] == want[i]:
                i += 1
            pos += 1
        if i == len(want):
            return True
    return False


def test_the_window_search_can_fail():
    assert in_order_form(MEASURES_VERBATIM["SM-T1"])
    assert not in_order_form(MEASURES_VERBATIM["SM-T1"][:-1] + " (final EHC plan within 20 weeks).")
    assert not in_order_form("Leaders in Medway show evidence that they are improving")


def _outcomes(terms: Terms):
    return [(o, p) for o in terms.outcomes for p in o.wording]


def test_every_outcome_paragraph_is_the_order_forms(terms):
    missing = [(o.id, p[:60]) for o, p in _outcomes(terms) if not in_order_form(p)]
    assert not missing
    assert all(o.wording for o in terms.outcomes)
    assert len(_outcomes(terms)) == 2 + 9 * 3 + 3


def test_every_success_measure_is_the_order_forms_word_for_word(terms):
    for outcome in terms.outcomes:
        assert outcome.measures == MEASURES_BY_OUTCOME[outcome.id], outcome.id
        for mid in outcome.measures:
            text = terms.measure_text(outcome, mid)
            assert in_order_form(text), (outcome.id, mid)
            if outcome.measure_variant is None:
                assert text == MEASURES_VERBATIM[mid], (outcome.id, mid)


def test_the_areas_for_improvement_leave_apa_out(terms):
    for outcome in terms.outcomes:
        text = terms.measure_text(outcome, "SM-A") if "SM-A" in outcome.measures else ""
        assert ("APA" in text) == (outcome.kind == "priority action" or outcome.id == "OX-0")


@pytest.mark.parametrize("oid", ["OX-PA2", "OX-PA3", "OX-AI1", "OX-AI2", "OX-AI3"])
def test_the_forms_own_slips_are_kept(terms, oid):
    outcome = next(o for o in terms.outcomes if o.id == oid)
    assert "in relation this significant" in outcome.wording[1]
