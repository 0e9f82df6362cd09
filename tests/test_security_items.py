"""SECURITY.md's items are a marker, `@pytest.mark.security(n)`: every item that had tests when the marker
replaced the numbers in file names still has at least one test marked with it.

Read from the test modules themselves (module `pytestmark` and test decorators), so the check holds
whichever tests a run selects.
"""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).parent
# The items with tests (of 1 to 24): 1 to 11 and 13 each had a file of their own; 11 and 12 for support
# workers (tests/delegation/test_access.py); 21, safe times and channels (dispatch rules); 22, discreet
# wording (message tests).
ITEMS_WITH_TESTS = frozenset({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 21, 22})


def _security_numbers(node: ast.AST) -> set[int]:
    """n of every `pytest.mark.security(n)` in an expression."""
    found = set()
    for call in ast.walk(node):
        if (
            isinstance(call, ast.Call)
            and ast.unparse(call.func) == "pytest.mark.security"
            and len(call.args) == 1
            and isinstance(call.args[0], ast.Constant)
            and isinstance(call.args[0].value, int)
        ):
            found.add(call.args[0].value)
    return found


def marked_items() -> dict[int, set[str]]:
    """Each item number marked, and the tests (module or function) marked with it."""
    marked: dict[int, set[str]] = {}
    for path in sorted(TESTS.rglob("test_*.py")):
        module = ast.parse(path.read_text(encoding="utf-8"))
        where = str(path.relative_to(TESTS))
        tests = [
            node
            for node in module.body
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
        ]
        for node in module.body:
            if isinstance(node, ast.Assign) and any(ast.unparse(t) == "pytestmark" for t in node.targets):
                for number in _security_numbers(node.value):
                    marked.setdefault(number, set()).update(f"{where}::{t.name}" for t in tests)
        for test in tests:
            for decorator in test.decorator_list:
                for number in _security_numbers(decorator):
                    marked.setdefault(number, set()).add(f"{where}::{test.name}")
    return marked


def test_every_security_item_that_had_tests_still_has_them() -> None:
    marked = {number for number, tests in marked_items().items() if tests}
    missing = sorted(ITEMS_WITH_TESTS - marked)
    assert not missing, f"SECURITY.md items with no test marked @pytest.mark.security(n) any more: {missing}"


def test_marks_name_items_of_security_md() -> None:
    assert all(1 <= number <= 24 for number in marked_items()), sorted(marked_items())
