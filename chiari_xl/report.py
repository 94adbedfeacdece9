"""The JSON report of a check: objectives with their three amounts, and the findings."""

from __future__ import annotations

import json
from decimal import Decimal

import pandas as pd

from chiari_xl import __version__
from chiari_xl.findings import Finding, counts
from chiari_xl.model.params import category_label
from chiari_xl.model.frames import records


def _num(value):
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() and value.as_tuple().exponent >= 0 else float(value)
    return value


def build_report(plan, df: pd.DataFrame, findings: list[Finding], output: str | None) -> dict:
    objectives = []
    for row in records(df):
        objectives.append({
            "n": row["n"], "sector": row["pool"], "tipologia": row["tipologia"],
            "category": category_label(row["category"]) if row["category"] else None,
            "n_dip": "tutto il personale" if row["all_staff"] else _num(row["n_dip"]),
            "peso": _num(row["peso"]), "coeff": _num(row["coeff"]), "total_coeff": _num(row["total_coeff"]),
            "peso_rule": _num(row["peso_rule"]), "coeff_rule": _num(row["coeff_rule"]),
            "total_rule": _num(row["total_rule"]),
            "amount_published": _money(row["amount"]),
            "amount_from_written": _money(row["amount_from_written"]),
            "amount_recomputed": _money(row["amount_recomputed"]),
        })
    return {
        "tool": f"chiari-xl {__version__}",
        "input": {"path": str(plan.path), "sha256": plan.sha256},
        "output": output,
        "rounding": plan.params.rounding,
        "parameters": {"provenance": plan.params.provenance, "inferred": list(plan.params.inferred),
                       "defaults": list(plan.params.defaults_used), "to_confirm": plan.params.to_confirm},
        "counts": counts(findings),
        "objectives": objectives,
        "findings": [f.as_dict() for f in findings],
    }


def _money(value):
    return None if value is None else float(value)


def write(report: dict, path) -> None:
    """The report as indented UTF-8 JSON, streamed to `path` (a messy 10,000-objective plan has
    a 14 MB report: building it as one string first cost 75 MB of peak memory)."""
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(report, fh, ensure_ascii=False, indent=2)


def dumps(report: dict) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2)
