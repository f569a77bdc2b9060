"""The layers' import rules (docs/architecture.md): the dialects reach the data only through the
domain and the event projections, never the store; the domain names no dialect."""

from __future__ import annotations

import ast
from pathlib import Path

import coursegate

PACKAGE = Path(coursegate.__file__).parent


def _imports(folder: str) -> dict[str, set[str]]:
    """Module path -> the coursegate modules it imports."""
    found: dict[str, set[str]] = {}
    for path in sorted((PACKAGE / folder).rglob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
            elif isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
        found[str(path.relative_to(PACKAGE))] = {n for n in names if n.startswith("coursegate.")}
    return found


def _offenders(folder: str, forbidden: str) -> list[str]:
    return sorted(
        f"{module} imports {name}"
        for module, names in _imports(folder).items()
        for name in names
        if name == forbidden or name.startswith(forbidden + ".")
    )


def test_dialects_do_not_import_the_store() -> None:
    assert _imports("dialects")  # the walk found the routes
    assert _offenders("dialects", "coursegate.store") == []


def test_the_domain_names_no_dialect() -> None:
    assert _offenders("domain", "coursegate.dialects") == []
