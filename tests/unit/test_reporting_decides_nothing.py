"""A rule is decided once, by the service that owns the fact (issue 14, part 1).

The domain services decide what follows from a fact (a clock's due date, whether a cancellation was late, a KPI's
value and status bands, an action's state) and publish it; reporting compares what it is told with an as-of date.
So reporting imports no domain rule module, and its code does no working-day or due-date arithmetic, keeps no
action lifecycle table and computes no KPI value.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REPORTING = ROOT / "services" / "reporting"
SOURCES = sorted(REPORTING.rglob("*.py"))
# what makes a due date or counts working days: the domain services' own business, on the kit's calendar
DATE_ARITHMETIC = {"add_working_days", "working_days_between", "next_working_day_from", "add_months", "is_working_day",
                   "bank_holidays"}
RULE_MODULES = ("shared.clocks", "shared.strategy_status", "shared.training_rules")


def _imports(path: Path) -> list[tuple[str, set[str]]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found += [(alias.name, set()) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.module, {alias.name for alias in node.names}))
    return found


def test_the_domain_rule_modules_live_in_their_services_not_in_the_kit():
    assert not [m for m in RULE_MODULES if (ROOT / (m.replace(".", "/") + ".py")).exists()]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(REPORTING)))
def test_reporting_imports_no_domain_rule_and_no_date_arithmetic(path):
    for module, names in _imports(path):
        assert not module.startswith(RULE_MODULES), module
        assert not module.startswith(("services.strategy", "services.reviews", "services.training")), module
        assert not names & DATE_ARITHMETIC, (module, names & DATE_ARITHMETIC)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(REPORTING)))
def test_reporting_keeps_no_lifecycle_table_and_computes_no_kpi_or_deadline(path):
    text = path.read_text()
    for pattern in (r"add_working_days|working_days_between|is_working_day|next_working_day", r"add_months", r"timedelta\(", r"STEP_DATE|STEP_FIELD", r"kpi_value\(",
                    r"refresher_due\(", r"cancellation_cutoff|is_late\(", r"expected_value\(", r"\bSCALE\b"):
        assert not re.search(pattern, text), f"{path.relative_to(ROOT)}: {pattern}"
