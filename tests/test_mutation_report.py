"""scripts/mutation_report.py reads mutmut's mutant names and diffs as the report needs, and every
reason in docs/mutation_reasons.tsv is well formed (the report refuses the file otherwise)."""

from __future__ import annotations

from conftest import ROOT, script


def report_module():
    return script("mutation_report")


def test_mutant_names_give_the_function_they_mutate():
    mod = report_module()
    assert mod.function_of("chiari_xl.model.allocation.x_allocate__mutmut_12", "chiari_xl/model/allocation.py") \
        == "allocate"
    assert mod.function_of("chiari_xl.model.staff.xǁStaffCountǁdescribe__mutmut_3", "chiari_xl/model/staff.py") \
        == "StaffCount.describe"
    assert mod.function_of("chiari_xl.checks.amounts.x__pools__mutmut_31", "chiari_xl/checks/amounts.py") \
        == "_pools"


def test_a_diff_gives_the_line_changed_and_what_it_became():
    diff = "--- a.py\n+++ a.py\n@@ -1,3 +1,3 @@\n def f(x):\n-    return x >= 0\n+    return x > 0\n"
    assert report_module().changed_lines(diff) == ("return x >= 0", "return x > 0")


def test_every_reason_names_a_mutated_module_function_and_a_kind():
    mod = report_module()
    reasons = mod.load_reasons()
    assert reasons
    sources = "".join((ROOT / m).read_text(encoding="utf-8") for m in mod.MODULES)
    for (function, mutated), (kind, why) in reasons.items():
        assert f"def {function.split('.')[-1]}(" in sources, function
        assert kind in ("equivalent", "acceptable") and why.strip() and mutated.strip()


def test_a_run_says_whether_it_reproduced_the_committed_figures():
    mod = report_module()
    committed = mod.figures((ROOT / "docs" / "mutation.md").read_text(encoding="utf-8"))
    assert "chiari_xl/model/allocation.py" in committed and all(len(v) == 5 for v in committed.values())
    assert mod.compare_figures(committed, dict(committed)).startswith("Figures reproduced")
    changed = {**committed, "chiari_xl/text.py": ["90", "85", "4", "0", "1"]}
    said = mod.compare_figures(committed, changed)
    assert said.startswith("Figures differ") and "chiari_xl/text.py" in said and "allocation" not in said
