"""The faces (web, API, command line) read what the domains' read models built and call
their services: none imports a domain's models, so none can assemble its own view of a
letter, a home or a person."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import dear

PACKAGE = Path(dear.__file__).parent
FACES = ("web", "api", "cli")
# Where a face may still name a model: authentication hands Django the person it found.
ALLOWED = {("api/auth.py", "dear.accounts.models")}


def _model_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found += [name for name in names if name.startswith("dear.") and ".models" in name]
    return sorted(set(found))


def _face_modules() -> list[Path]:
    return sorted(path for face in FACES for path in (PACKAGE / face).rglob("*.py"))


@pytest.mark.parametrize("path", _face_modules(), ids=lambda path: str(path.relative_to(PACKAGE)))
def test_no_face_imports_a_domains_models(path):
    where = str(path.relative_to(PACKAGE))
    allowed = tuple(module for face, module in ALLOWED if face == where)
    imports = [name for name in _model_imports(path) if not (allowed and name.startswith(allowed))]
    assert imports == []


def test_the_check_would_see_a_models_import(tmp_path):
    module = tmp_path / "view.py"
    module.write_text("from dear.letters.models import Letter\nimport dear.homes.models\n")
    assert _model_imports(module) == [
        "dear.homes.models",
        "dear.letters.models",
        "dear.letters.models.Letter",
    ]
