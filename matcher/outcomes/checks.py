"""The outcome tests of Workforce Pell: completion, job placement within 180 days, and
value-added earnings at least the tuition and fees (HEA section 481(b)(3), added by the One Big
Beautiful Bill Act, Public Law 119-21, section 83002). Each check reads the program's imported
figures (``matcher outcomes import``) and says ``unknown, needs: ...`` when they are missing."""

from __future__ import annotations

from typing import Any

from matcher.evidence.rules import Check, Status
from matcher.settings import OutcomeRule

STATUTE = "HEA section 481(b)(3) as added by Public Law 119-21 (2025), section 83002"
HOW = "import the state's ETPL performance data or provider-reported figures with 'matcher outcomes import'"


def _where(outcome: dict[str, Any]) -> tuple[str, str]:
    source = f"{outcome['source']}; file {outcome['file']}, line {outcome['line']}"
    vintage = f"period {outcome['period']} (imported {outcome['imported_at'][:10]})"
    return source, vintage


def _needs(check_id: str, name: str, rule: str, needs: str, outcome: dict[str, Any] | None) -> Check:
    source, vintage = (
        _where(outcome) if outcome else ("no outcome data imported for this program", "no reporting period")
    )
    return Check(
        check_id, name, Status.UNKNOWN, rule, None, source, vintage, reason=f"unknown, needs: {needs}"
    )


def _rate_check(
    check_id: str,
    name: str,
    rule: str,
    key: str,
    counts: tuple[str, str],
    bar: float,
    outcome: dict[str, Any] | None,
) -> Check:
    rate = (outcome or {}).get(key)
    if rate is None:
        what = name.lower()
        needs = (
            f"the program's {what} ({HOW})" if outcome is None else f"a {what} for period {outcome['period']}"
        )
        return _needs(check_id, name, rule, needs, outcome)
    assert outcome is not None
    num, den = (outcome.get(c) for c in counts)
    value = {"rate": round(rate, 4), "bar": bar, counts[0]: num, counts[1]: den, "period": outcome["period"]}
    of = f" ({num} of {den})" if num is not None and den is not None else ""
    ok = rate >= bar
    reason = f"{rate:.1%}{of} {'>=' if ok else '<'} {bar:.0%} in period {outcome['period']}"
    source, vintage = _where(outcome)
    return Check(
        check_id, name, Status.PASS if ok else Status.FAIL, rule, value, source, vintage, reason=reason
    )


def completion_check(outcome: dict[str, Any] | None, rule: OutcomeRule) -> Check:
    text = (
        f"at least {rule.min_completion:.0%} of the program's students complete it within 150% of its "
        f"normal time ({STATUTE})"
    )
    return _rate_check(
        "completion",
        "Completion rate",
        text,
        "completion_rate",
        ("completers", "enrolled"),
        rule.min_completion,
        outcome,
    )


def placement_check(outcome: dict[str, Any] | None, rule: OutcomeRule) -> Check:
    text = (
        f"at least {rule.min_placement:.0%} of completers are employed within 180 days of completing "
        f"({STATUTE})"
    )
    return _rate_check(
        "placement",
        "Job placement rate",
        text,
        "placement_rate",
        ("placed", "completers"),
        rule.min_placement,
        outcome,
    )


def earnings_bar(rule: OutcomeRule) -> tuple[float, str]:
    """(annual dollars subtracted from median earnings, what they are)."""
    if rule.earnings_bar is not None:
        return rule.earnings_bar, f"the state's configured bar of ${rule.earnings_bar:,.0f}"
    bar = rule.poverty_multiple * rule.poverty_guideline
    return bar, (
        f"{rule.poverty_multiple:.0%} of the {rule.poverty_year} HHS poverty guideline for one person "
        f"(${rule.poverty_guideline:,.0f}) = ${bar:,.0f}"
    )


def earnings_check(
    outcome: dict[str, Any] | None, tuition: tuple[float | None, str], rule: OutcomeRule
) -> Check:
    """Value-added earnings (median annual earnings of completers, divided by the regional price
    parity / 100 when the file gives one, minus the bar) against the tuition and fees."""
    bar, basis = earnings_bar(rule)
    formula = f"value-added earnings = median annual earnings of completers - {basis}"
    text = f"{formula}; it must be at least the program's tuition and fees ({STATUTE})"
    if rule.earnings_bar is not None:
        text = f"{formula}; it must be at least the program's tuition and fees (the state's rule)"
    name = "Value-added earnings against tuition and fees"
    amount, tuition_source = tuition
    median = (outcome or {}).get("median_earnings")
    needs = []
    if median is None:
        needs.append(
            "the median annual earnings of completers"
            + (f" for period {outcome['period']}" if outcome else f" ({HOW})")
        )
    if amount is None:
        needs.append(
            "the program's tuition and fees (field tuition_and_fees of the program, or a tuition column)"
        )
    if needs:
        return _needs("value_added_earnings", name, text, "; ".join(needs), outcome)
    assert outcome is not None and amount is not None and median is not None
    parity = outcome.get("price_parity")
    adjusted = median / parity * 100 if parity else median
    value_added = adjusted - bar
    value = {
        "median_earnings": median,
        "earnings_period": outcome.get("earnings_period") or outcome["period"],
        "price_parity": parity,
        "adjusted_earnings": round(adjusted, 2),
        "bar": round(bar, 2),
        "bar_basis": basis,
        "value_added_earnings": round(value_added, 2),
        "tuition_and_fees": amount,
        "tuition_source": tuition_source,
    }
    adj = f" / {parity:g} x 100 = ${adjusted:,.0f}" if parity else ""
    ok = value_added >= amount
    reason = (
        f"${median:,.0f}{adj} - ${bar:,.0f} = ${value_added:,.0f} {'>=' if ok else '<'} tuition and fees "
        f"${amount:,.0f}"
    )
    source, vintage = _where(outcome)
    return Check(
        "value_added_earnings",
        name,
        Status.PASS if ok else Status.FAIL,
        text,
        value,
        f"{source}; tuition: {tuition_source}",
        vintage,
        reason=reason,
    )


def program_tuition(
    program_tuition: float | None, where: str, outcome: dict[str, Any] | None
) -> tuple[float | None, str]:
    """The tuition and fees the earnings check compares with: the program record's, else the
    figure the outcome file reported."""
    if program_tuition is not None:
        return program_tuition, f"{where}, field tuition_and_fees"
    if outcome and outcome.get("tuition_and_fees") is not None:
        return outcome["tuition_and_fees"], f"{outcome['file']}, line {outcome['line']}"
    return None, ""


def outcome_checks(
    outcome: dict[str, Any] | None, tuition: tuple[float | None, str], rule: OutcomeRule
) -> list[Check]:
    return [
        completion_check(outcome, rule),
        placement_check(outcome, rule),
        earnings_check(outcome, tuition, rule),
    ]
