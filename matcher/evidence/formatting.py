"""Plain-text renderings shared by the HTML and PDF packets (one wording in both)."""

from __future__ import annotations

from typing import Any

STATUS_LABELS = {"pass": "PASS", "fail": "FAIL", "unknown": "UNKNOWN"}


def money(value: float | None) -> str:
    return "n/a" if value is None else f"${value:,.0f}"


def percent(value: float | None, *, scale: float = 1.0, digits: int = 0) -> str:
    return "n/a" if value is None else f"{value * scale:.{digits}f}%"


def when(value: str | None) -> str:
    return (value or "")[:16].replace("T", " ")


def value_text(check: dict[str, Any]) -> str:
    """The value a check used, in words."""
    v, cid = check.get("value"), check["id"]
    if v is None or v == []:
        return "not stated" if cid.startswith("length") else "none"
    if cid == "length_hours":
        if v.get("stated_as") == "clock hours":
            return f"{v['clock_hours']:g} clock hours"
        return f"{v['credit_hours']:g} credit hours = {v['clock_hours']:g} clock hours"
    if cid == "length_weeks":
        return f"{v['weeks']:g} weeks"
    if cid == "occupation_list":
        return "; ".join(
            f"{o['soc']} {o['title']}: {'on the list' if o['on_list'] else 'not on it'}" for o in v
        )
    if cid == "wage":
        bar = f"bar {money(v['bar']['annual'])}"
        occs = "; ".join(f"{o['soc']} {o['title']}: {money(o['state_median'])}" for o in v["occupations"])
        return f"{bar}; {occs}"
    if cid == "employer_validation":
        # the value the rule tests first: decisions on the top occupation's taught competencies
        decided = percent(v.get("share_of_top_taught_decided"), scale=100)
        share = percent(v["share_of_taught_skills_required"], scale=100)
        return (
            f"{v['employers']} employer(s); {v.get('top_taught_decided', 0)} of {v.get('top_taught', 0)} "
            f"taught competencies of the top occupation decided ({decided}); "
            f"{v['skills_marked_required']} of {v['skills_taught_under_review']} taught skills marked "
            f"required ({share}); occupations required: "
            f"{', '.join(v['occupations_marked_required']) or 'none'}"
        )
    if cid in ("completion", "placement"):
        rate, bar = percent(v["rate"], scale=100, digits=1), percent(v["bar"], scale=100)
        return f"{rate} (bar {bar}), period {v['period']}"
    if cid == "value_added_earnings":
        return (
            f"median earnings {money(v['median_earnings'])} ({v['earnings_period']}); value added "
            f"{money(v['value_added_earnings'])} against tuition and fees {money(v['tuition_and_fees'])}"
        )
    if cid == "credential":
        return ", ".join(dict.fromkeys(v["named"] + v["recognised"])) or "none named"
    return str(v)


def outlook_text(outlook: dict[str, Any] | None) -> str:
    if not outlook:
        return "n/a"
    change = outlook.get("employment_change_percent")
    openings = outlook.get("openings_per_year")
    parts = [f"{change:+.1f}% ({outlook['period']})" if change is not None else "growth n/a"]
    if openings is not None:
        parts.append(f"{openings:,} openings/yr")
    return ", ".join(parts)
