"""Services meet only through events: no service imports another (what they share lives in shared/)."""

import ast
from pathlib import Path

import pytest

SERVICES = Path(__file__).resolve().parents[2] / "services"
NAMES = sorted(p.name for p in SERVICES.iterdir() if (p / "__init__.py").exists())


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


@pytest.mark.parametrize("service", NAMES)
def test_a_service_imports_no_other_service(service):
    others = [name for name in NAMES if name != service]
    crossings = sorted(f"{path.relative_to(SERVICES)}: {module}"
                       for path in (SERVICES / service).rglob("*.py") for module in imported_modules(path)
                       if any(module == f"services.{o}" or module.startswith(f"services.{o}.") for o in others))
    assert not crossings, crossings
