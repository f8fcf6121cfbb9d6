"""A second contract in minutes (issue 22): every key of the terms model has words and is in
docs/terms.md; `calloff new-contract` writes a commented file that builds as written and
shows every key."""

from __future__ import annotations

from pathlib import Path

from xlsrc.adapters.cli import main
from xlsrc.model.terms import load_terms
from xlsrc.model.terms.reference import DESCRIPTIONS, keys
from xlsrc.model.terms.template import mentioned_keys, new_terms_text

ROOT = Path(__file__).resolve().parents[1]


def test_every_key_of_the_model_has_words_and_nothing_else_does() -> None:
    paths = [k.path for k in keys()]
    assert len(paths) == len(set(paths)) > 60
    assert sorted(p for p in paths if not DESCRIPTIONS.get(p)) == []
    assert sorted(set(DESCRIPTIONS) - set(paths)) == []


def test_every_key_is_in_docs_terms_md() -> None:
    text = (ROOT / "docs" / "terms.md").read_text(encoding="utf-8")
    assert [k.path for k in keys() if f"| `{k.path}` |" not in text] == []


def test_the_new_contract_file_shows_every_key() -> None:
    """Each key is written, or shown commented out under its table (decisions, rate lines)."""
    shown = mentioned_keys()
    missing = [k.path for k in keys() if k.path not in shown and k.path.split("[]")[0] not in shown]
    assert missing == []


def test_new_contract_writes_a_file_that_builds(tmp_path, capsys) -> None:
    path = tmp_path / "CON_99999.toml"
    assert main(["new-contract", "CON_99999", "--out", str(path)]) == 0
    assert path.read_text(encoding="utf-8") == new_terms_text("CON_99999")
    terms = load_terms(path)
    assert terms.contract.id == "CON_99999"
    out = tmp_path / "CON_99999.xlsx"
    assert main(["build", "--terms", str(path), "--out", str(out)]) == 0 and out.exists()
    # an existing file is never written over without --force; a bad ID is refused
    capsys.readouterr()
    assert main(["new-contract", "CON_99999", "--out", str(path)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert main(["new-contract", "bad id!", "--out", str(tmp_path / "x.toml")]) == 2
    assert "letters, digits" in capsys.readouterr().err
