"""`make lint`: every message the code and templates use has a Welsh translation that is neither missing
nor fuzzy, and whose placeholders are exactly those of its English original.

The messages are extracted afresh (babel.cfg, the same keywords as `make translations`), so a new English
string the catalogue does not have yet fails too: run `make translations` and translate what it adds.

    python scripts/check_translations.py [--po path/to/messages.po]

Exit status 0 when all is well; 1 with one line per problem otherwise.
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "portal" / "translations" / "cy" / "LC_MESSAGES" / "messages.po"
#: As BABEL_KEYWORDS in the Makefile.
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "lazy_ngettext": (1, 2)}
#: %(name)s, %(n)d, %s, %% and {name} (str.format, the event wording's fields).
PLACEHOLDER = re.compile(
    r"%(?:\([A-Za-z_][A-Za-z0-9_]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifr%]|\{[A-Za-z_][A-Za-z0-9_]*\}"
)


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def used_messages(root: Path = ROOT) -> set[tuple[str, str | None]]:
    """(msgid, context) of every message the code and templates use."""
    with open(root / "babel.cfg", encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found: set[tuple[str, str | None]] = set()
    for _filename, _lineno, message, _comments, context in extract_from_dir(
        str(root), method_map, options_map, keywords=KEYWORDS
    ):
        msgid = message if isinstance(message, str) else message[0]
        if msgid:
            found.add((msgid, context))
    return found


def hidden_in_f_strings(root: Path = ROOT) -> list[str]:
    """Translation calls inside f-strings (f"# {gettext('What you can do')}"): pybabel extract never sees
    them, so they would stay English in every language."""
    found = []
    for folder in ("portal", "notifications"):
        for path in sorted((root / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for node in ast.walk(tree):
                if not isinstance(node, ast.JoinedStr):
                    continue
                for inner in ast.walk(node):
                    if isinstance(inner, ast.Call) and getattr(inner.func, "id", None) in KEYWORDS:
                        where = f"{path.relative_to(root)}:{inner.lineno}"
                        found.append(f"a message in an f-string is never extracted (take it out): {where}")
    return found


def _forms(message: Message) -> list[str]:
    return list(message.string) if isinstance(message.string, (list, tuple)) else [message.string or ""]


def problems_with(message: Message) -> Iterable[str]:
    """What is wrong with one catalogue entry (nothing when it is translated correctly)."""
    english = [message.id] if isinstance(message.id, str) else list(message.id)
    label = repr(english[0][:70])
    forms = _forms(message)
    if not all(form.strip() for form in forms):
        yield f"untranslated: {label}"
        return
    if message.fuzzy:
        yield f"fuzzy (check it, then remove the fuzzy flag): {label}"
    expected = placeholders(english[-1])
    plural = len(english) > 1
    for form in forms:
        found = placeholders(form)
        # A plural form may leave the number out (as English "one day" might); nothing else may differ.
        if found != expected and not (plural and set(found) | {"%(num)d"} == set(expected) | {"%(num)d"}):
            yield f"placeholders {found} differ from the English {expected}: {label}"
            return


def check(catalog: Catalog, used: set[tuple[str, str | None]]) -> list[str]:
    by_key = {((m.id if isinstance(m.id, str) else m.id[0]), m.context): m for m in catalog if m.id}
    problems = [
        f"not in the catalogue (run make translations): {msgid[:70]!r}"
        for msgid, ctx in sorted(used, key=lambda key: key[0])
        if (msgid, ctx) not in by_key
    ]
    for key in sorted(used & by_key.keys(), key=lambda key: key[0]):
        problems.extend(problems_with(by_key[key]))
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--po", type=Path, default=PO)
    args = parser.parse_args(argv)
    with open(args.po, "rb") as po:
        catalog = read_po(po, locale="cy")
    problems = hidden_in_f_strings() + check(catalog, used_messages())
    for problem in problems:
        print(f"{args.po.relative_to(ROOT) if args.po.is_relative_to(ROOT) else args.po}: {problem}")
    if problems:
        print(f"{len(problems)} problem(s) in the Welsh catalogue", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
