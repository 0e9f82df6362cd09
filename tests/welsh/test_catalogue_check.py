"""`make lint` refuses the Welsh catalogue (scripts/check_translations.py) when a message the code uses
is untranslated, fuzzy, missing from the catalogue, or translated with placeholders other than its
English original's; it passes the catalogue as committed."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "check_translations.py"
PO = ROOT / "portal" / "translations" / "cy" / "LC_MESSAGES" / "messages.po"


def _checker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_translations", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def checker() -> ModuleType:
    return _checker()


@pytest.fixture(scope="module")
def used(checker: ModuleType) -> set[tuple[str, str | None]]:
    return checker.used_messages()


def _edited(tmp_path: Path, old: str, new: str) -> Path:
    text = PO.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    edited = tmp_path / "messages.po"
    edited.write_text(text.replace(old, new), encoding="utf-8")
    return edited


def _problems(checker: ModuleType, used: set[tuple[str, str | None]], po: Path) -> list[str]:
    from babel.messages.pofile import read_po

    with open(po, "rb") as source:
        return list(checker.check(read_po(source, locale="cy"), used))


def test_the_committed_catalogue_passes(checker: ModuleType, used: set[tuple[str, str | None]]) -> None:
    assert _problems(checker, used, PO) == []


def test_an_untranslated_message_fails(
    checker: ModuleType, used: set[tuple[str, str | None]], tmp_path: Path
) -> None:
    po = _edited(tmp_path, 'msgstr "Cyfrinair wedi newid"', 'msgstr ""')
    assert _problems(checker, used, po) == ["untranslated: 'Password changed'"]


def test_a_fuzzy_message_fails(
    checker: ModuleType, used: set[tuple[str, str | None]], tmp_path: Path
) -> None:
    po = _edited(tmp_path, 'msgid "Password changed"', '#, fuzzy\nmsgid "Password changed"')
    assert _problems(checker, used, po) == [
        "fuzzy (check it, then remove the fuzzy flag): 'Password changed'"
    ]


def test_a_translation_whose_placeholders_differ_fails(
    checker: ModuleType, used: set[tuple[str, str | None]], tmp_path: Path
) -> None:
    renamed = _edited(tmp_path, 'msgstr "Pawb (%(n)d)"', 'msgstr "Pawb (%(num)d)"')
    [problem] = _problems(checker, used, renamed)
    assert problem.startswith("placeholders ['%(num)d'] differ from the English ['%(n)d']")
    braces = _edited(tmp_path, "Y cyhuddiadau yw: {charges}.", "Y cyhuddiadau yw: {charge}.")
    assert len(_problems(checker, used, braces)) == 1


def test_a_message_missing_from_the_catalogue_fails(
    checker: ModuleType, used: set[tuple[str, str | None]], tmp_path: Path
) -> None:
    po = _edited(tmp_path, 'msgid "Password changed"\nmsgstr "Cyfrinair wedi newid"\n', "")
    assert _problems(checker, used, po) == [
        "not in the catalogue (run make translations): 'Password changed'"
    ]


def test_the_script_exits_non_zero_for_make(tmp_path: Path) -> None:
    broken = _edited(tmp_path, 'msgstr "Cyfrinair wedi newid"', 'msgstr ""')
    shutil.copy(broken, tmp_path / "copy.po")
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--po", str(tmp_path / "copy.po")],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 1
    assert "untranslated: 'Password changed'" in result.stdout


def test_a_message_inside_an_f_string_fails(checker: ModuleType, tmp_path: Path) -> None:
    """pybabel extract cannot see a call inside an f-string, so its words would never be translated."""
    (tmp_path / "portal").mkdir()
    (tmp_path / "notifications").mkdir()
    (tmp_path / "portal" / "words.py").write_text(
        'from flask_babel import gettext\n\nHEADING = f"# {gettext(\'What you can do\')}"\nOK = gettext("Fine")\n',
        encoding="utf-8",
    )
    assert checker.hidden_in_f_strings(tmp_path) == [
        "a message in an f-string is never extracted (take it out): portal/words.py:3"
    ]
    assert checker.hidden_in_f_strings(ROOT) == []
