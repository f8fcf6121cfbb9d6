"""The docs' generated parts equal what they are generated from; rules live in one list."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.tools.make_docs import GENERATED, part
from xlsrc.model.rules import BY_CODE, RULES, SCOPES

ROOT = Path(__file__).resolve().parents[1]


def test_generated_parts_of_the_docs_are_fresh() -> None:
    stale = []
    for file, parts in GENERATED.items():
        text = (ROOT / file).read_text(encoding="utf-8")
        for name, make in parts.items():
            if part(text, name) != make().rstrip("\n"):
                stale.append(f"{file} [{name}]")
    assert not stale, f"regenerate with `python tests/tools/make_docs.py`: {stale}"


def test_rule_codes_are_unique_stable_words_with_a_scope_and_a_sentence() -> None:
    assert len(BY_CODE) == len(RULES)
    for rule in RULES:
        assert rule.code == rule.code.upper() and " " not in rule.code, rule.code
        assert rule.scope in SCOPES and rule.severity in ("error", "warning")
        assert rule.summary[0].isupper() and rule.summary.endswith("."), rule.code


def _code_arguments(tree: ast.AST) -> list[tuple[int, ast.expr]]:
    """The `code` argument of every Issue(...) and Difference(...) call in a module."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", getattr(node.func, "attr", ""))
        position = {"Issue": 4, "Difference": 0}.get(name)
        if position is None:
            continue
        args = [k.value for k in node.keywords if k.arg == "code"]
        args += node.args[position : position + 1]
        found += [(node.lineno, a) for a in args]
    return found


def test_no_rule_code_is_written_outside_the_rules_module() -> None:
    """A code typed as a literal elsewhere would be a second list: take it from
    xlsrc.model.rules."""
    literal = []
    for path in sorted((ROOT / "xlsrc").rglob("*.py")):
        if path == ROOT / "xlsrc" / "model" / "rules.py":
            continue
        source = path.read_text(encoding="utf-8")
        for line, arg in _code_arguments(ast.parse(source)):
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and arg.value:
                literal.append(f"{path.relative_to(ROOT)}:{line} {arg.value}")
        for code in BY_CODE:
            if f'"{code}"' in source:
                literal.append(f"{path.relative_to(ROOT)} repeats {code}")
    assert not literal


def test_every_rule_is_raised_somewhere() -> None:
    """A rule nothing raises is a promise the docs make and the code does not keep."""
    import xlsrc.model.rules as rules

    names = {rule.code: name for name, rule in vars(rules).items() if rule in RULES}
    sources = "\n".join(
        p.read_text(encoding="utf-8")
        for p in (ROOT / "xlsrc").rglob("*.py")
        if p != ROOT / "xlsrc" / "model" / "rules.py"
    )
    assert set(names) == set(BY_CODE)
    assert [code for code, name in names.items() if name not in sources] == []


def test_the_readme_points_to_the_one_rules_table() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/rules.md" in readme
    assert "| Code | Severity |" not in readme and "| code | the invoice fails when |" not in readme
