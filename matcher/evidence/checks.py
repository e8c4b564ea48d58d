"""The eligibility checks beyond length: the state's occupation list, wages against a bar,
employer validation, and a named credential. Each returns a :class:`~matcher.evidence.rules.Check`
with its rule, value, source and vintage; missing data gives ``unknown`` with the reason."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from matcher.align.credentials import find_credentials
from matcher.align.prepared import credential_names
from matcher.evidence.labour import ALL_OCCUPATIONS, LabourData
from matcher.evidence.rules import MIN_ALIGNMENT_SCORE, Check, Status
from matcher.evidence.state_lists import OccupationList
from matcher.program import Program
from matcher.review.vocab import Decision
from matcher.settings import EmployerRule
from matcher.text.normalise import split_sentences

COUNTED = (
    f"aligned occupations with a score of at least {MIN_ALIGNMENT_SCORE} whose typical entry "
    f"education is below a bachelor's degree"
)


def _counted(occupations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The counted occupations, one per SOC code (O*NET's 47-1011.00 and 47-1011.03 share the
    SOC's wages and list entry: the better aligned stands for both)."""
    seen: set[str] = set()
    out = []
    for o in occupations:
        if o["counted"] and o["soc"] not in seen:
            seen.add(o["soc"])
            out.append(o)
    return out


def _none_counted(check_id: str, name: str, rule: str, occupations: list[dict[str, Any]], **kw: Any) -> Check:
    status = Status.FAIL if occupations else Status.UNKNOWN
    reason = (
        f"no aligned occupation is counted ({COUNTED})" if occupations else "the alignment has no occupation"
    )
    return Check(check_id, name, status, rule, [], reason=reason, **kw)


def occupation_list_check(occupations: list[dict[str, Any]], occupation_list: OccupationList) -> Check:
    rule = f"at least one of the {COUNTED} is on the state's list ({occupation_list.rule})"
    source = occupation_list.source or occupation_list.name
    details = {"list": occupation_list.to_dict(), "default_list_used": occupation_list.derived}
    counted = _counted(occupations)
    if not counted:
        return _none_counted(
            "occupation_list",
            "Occupation on the state's in-demand list",
            rule,
            occupations,
            source=source,
            vintage=occupation_list.vintage,
            details=details,
        )
    value = [
        {"soc": o["soc"], "title": o["title"], "on_list": o["on_state_list"], "list_entry": o["list_entry"]}
        for o in counted
    ]
    listed = [o for o in counted if o["on_state_list"]]
    which = "the default list derived from BLS projections" if occupation_list.derived else "the state's list"
    if listed:
        names = ", ".join(f"{o['soc']} {o['title']}" for o in listed)
        status, reason = Status.PASS, f"on {which}: {names}"
    else:
        status, reason = Status.FAIL, f"no counted occupation is on {which}"
    return Check(
        "occupation_list",
        "Occupation on the state's in-demand list",
        status,
        rule,
        value,
        source,
        occupation_list.vintage,
        reason=reason,
        details=details,
    )


def resolve_wage_bar(bar: str, state: str, labour: LabourData) -> tuple[float | None, str]:
    """(annual dollars or None, what the bar is) for the ``wage_bar`` setting: ``state-median``
    (the state's all-occupations median), ``national-median``, or an annual amount."""
    key = bar.strip().lower()
    if key in ("state-median", "state_median", ""):
        w = labour.state_wage(state, ALL_OCCUPATIONS)
        basis = f"{labour.state_name(state)} all-occupations median annual wage (OEWS {labour.oews_version})"
        return (w.annual_median if w else None), basis
    if key in ("national-median", "national_median"):
        w = labour.national_wage(ALL_OCCUPATIONS)
        return (
            w.annual_median if w else None
        ), f"U.S. all-occupations median annual wage (OEWS {labour.oews_version})"
    amount = float(re.sub(r"[$,\s]", "", key))  # validated by the settings
    return amount, f"a configured bar of ${amount:,.0f} a year"


def wage_check(occupations: list[dict[str, Any]], state: str, labour: LabourData, bar: str) -> Check:
    name = "Wage against the bar"
    source = f"BLS OEWS {labour.oews_version} state and national estimates; BLS Employment Projections"
    vintage = f"OEWS {labour.oews_version}; projections {labour.projections_version}"
    amount, basis = resolve_wage_bar(bar, state, labour)
    rule = f"a counted occupation's state median annual wage is at least {basis}"
    missing = (
        f"the OEWS {labour.oews_version} data has no rows for state {state!r}"
        if not labour.has_state(state)
        else f"no value for the bar ({basis})"
        if amount is None
        else ""
    )
    if missing:
        return Check("wage", name, Status.UNKNOWN, rule, None, source, vintage, reason=missing)
    assert amount is not None
    counted = _counted(occupations)
    if not counted:
        return _none_counted("wage", name, rule, occupations, source=source, vintage=vintage)
    value: dict[str, Any] = {"bar": {"annual": amount, "basis": basis}, "occupations": []}
    meets, known = [], 0
    for o in counted:
        sw, nw, outlook = o["state_wage"], o["national_wage"], o["outlook"] or {}
        median = sw["annual_median"] if sw else None
        note = (sw or {}).get("note") or (
            "" if sw else f"no OEWS row for {o['soc']} in {labour.state_name(state)}"
        )
        ok = None if median is None else median >= amount
        known += ok is not None
        if ok:
            meets.append(o)
        value["occupations"].append(
            {
                "soc": o["soc"],
                "title": o["title"],
                "state_median": median,
                "national_median": nw["annual_median"] if nw else None,
                "meets_bar": ok,
                "note": note,
                "employment_change_percent": outlook.get("employment_change_percent"),
                "openings_per_year": outlook.get("openings_per_year"),
            }
        )
    if meets:
        best = meets[0]  # the best-aligned counted occupation that meets the bar, not the best-paid
        status = Status.PASS
        reason = (
            f"{best['soc']} {best['title']}: ${best['state_wage']['annual_median']:,.0f} "
            f">= ${amount:,.0f} ({basis})"
        )
    elif known:
        status, reason = (
            Status.FAIL,
            f"every counted occupation's state median is below ${amount:,.0f} ({basis})",
        )
    else:
        status = Status.UNKNOWN
        reason = "no counted occupation has a published state median: " + "; ".join(
            f"{v['soc']}: {v['note']}" for v in value["occupations"]
        )
    return Check("wage", name, status, rule, value, source, vintage, reason=reason)


def _top_taught(snapshot: dict[str, Any]) -> tuple[str | None, set[tuple[str, str]]]:
    """The top reviewed occupation and its taught competencies (review subjects graded "taught";
    snapshots older than grades count every covered one)."""
    subjects = snapshot.get("subjects", [])
    top = next((s["occupation"] for s in subjects if s["kind"] == "occupation"), None)
    taught = {
        (s["occupation"], s["skill"])
        for s in subjects
        if s["kind"] == "skill"
        and s["occupation"] == top
        and (s["grade"] == "taught" if "grade" in s else s.get("covered"))
    }
    return top, taught


def employer_summaries(decisions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per employer organisation: who decided, when (first and last), and what (decisions by label)."""
    out: dict[str, dict[str, Any]] = {}
    for d in decisions:
        org = d["organisation"]["name"]
        e = out.setdefault(
            org,
            {
                "organisation": org,
                "people": [],
                "first": d["updated_at"],
                "last": d["updated_at"],
                "decisions": {},
            },
        )
        person = (d.get("updated_by") or {}).get("name")
        if person and person not in e["people"]:
            e["people"].append(person)
        e["first"], e["last"] = min(e["first"], d["updated_at"]), max(e["last"], d["updated_at"])
        label = d.get("decision_label") or d["decision"]
        e["decisions"][label] = e["decisions"].get(label, 0) + 1
    return [out[k] for k in sorted(out)]


def employer_check(
    snapshot: dict[str, Any], decisions: list[dict[str, Any]], rule: EmployerRule | None = None
) -> Check:
    """Employer validation as a sector partnership does it (``rule``, default
    :class:`~matcher.settings.EmployerRule`): enough distinct employer organisations reviewed
    the snapshot, and together decided on a large enough share of the top occupation's taught
    competencies."""
    rule = rule or EmployerRule()
    name = "Employer validation"
    rule_text = (
        f"at least {rule.min_employers} employer(s) of the partnership, from different organisations, "
        f"reviewed the alignment and together recorded a decision on at least {rule.min_share:.0%} of the "
        "top occupation's taught competencies"
    )
    source = f"skills-matcher employer reviews of alignment snapshot {snapshot['id']}"
    latest = max((d["updated_at"] for d in decisions), default=snapshot["created_at"])
    vintage = f"reviews up to {latest[:10]}"
    top, top_taught = _top_taught(snapshot)
    taught = {
        (s["occupation"], s["skill"])
        for s in snapshot.get("subjects", [])
        if s["kind"] == "skill" and s.get("covered")
    }
    required = Decision.REQUIRED_AT_HIRE.value
    required_skills = {
        (d["occupation"], d["skill"]) for d in decisions if d["skill"] and d["decision"] == required
    }
    required_occupations = sorted(
        {d["occupation"] for d in decisions if not d["skill"] and d["decision"] == required}
    )
    decided = {(d["occupation"], d["skill"]) for d in decisions if d["skill"]} & top_taught
    employers = sorted({d["organisation"]["name"] for d in decisions})
    share = len(required_skills & taught) / len(taught) if taught else None
    top_share = len(decided) / len(top_taught) if top_taught else None
    value = {
        "employers": len(employers),
        "employer_names": employers,
        "rule": rule.model_dump(),
        "top_occupation": top,
        "top_taught": len(top_taught),
        "top_taught_decided": len(decided),
        "share_of_top_taught_decided": round(top_share, 4) if top_share is not None else None,
        "skills_taught_under_review": len(taught),
        "skills_marked_required": len(required_skills & taught),
        "share_of_taught_skills_required": round(share, 4) if share is not None else None,
        "occupations_marked_required": required_occupations,
        "missing_skills_marked_required": len(required_skills - taught),
        "decisions": dict(Counter(d["decision"] for d in decisions)),
        "by_employer": employer_summaries(decisions),
    }
    pct = f"{top_share:.0%}" if top_share is not None else "n/a"
    marked = f"{len(decided)} of {len(top_taught)} taught competencies of {top} ({pct}) decided"
    if not employers:
        status, reason = Status.FAIL, "no employer has reviewed this alignment"
    elif len(employers) < rule.min_employers:
        status = Status.FAIL
        reason = (
            f"{len(employers)} employer organisation(s) reviewed ({', '.join(employers)}); "
            f"the rule needs {rule.min_employers}"
        )
    elif not top_taught:
        status, reason = Status.UNKNOWN, f"the top occupation {top} has no taught competency to validate"
    elif top_share is not None and top_share < rule.min_share:
        status = Status.FAIL
        reason = f"{len(employers)} employers reviewed; only {marked}, the rule needs {rule.min_share:.0%}"
    else:
        status = Status.PASS
        reason = (
            f"{len(employers)} employers reviewed ({', '.join(employers)}); {marked}; "
            f"{len(required_skills & taught)} taught skill(s) and {len(required_occupations)} occupation(s) "
            "marked required at hire"
        )
    return Check("employer_validation", name, status, rule_text, value, source, vintage, reason=reason)


def named_credentials(program: Program) -> list[str]:
    return list(dict.fromkeys(credential_names(program)))


# A sentence about sitting an exam or holding a certification or licence.
_EXAM_WORDS = re.compile(
    r"\b(?:exam(?:s|ination)?|certification|licen[cs](?:e|ure)|sit\s+for|eligible)\b", re.IGNORECASE
)


def exam_sentences(program: Program) -> list[str]:
    """The sentences of a program's description and outcomes that speak of an exam, a
    certification or a licence."""
    texts = [program.description, *(o.text for o in program.outcomes)]
    sentences = [t[s.start : s.end] for t in texts if t for s in split_sentences(t)]
    return [s for s in sentences if _EXAM_WORDS.search(s)]


def _clip(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def credential_check(program: Program, *, source: str, vintage: str) -> Check:
    name = "Stackable, portable credential named"
    rule = (
        "the program names an industry-recognised credential or licence; whether it is stackable and "
        "portable across employers is for the reviewer to confirm"
    )
    named = named_credentials(program)
    # Credential rules read the credential fields, the features (where ETPL records say
    # "Recognized Credential: ..."), and the sentences of the description and outcomes that
    # speak of an exam, certification or licence ("eligible to take the Pharmacy Technician
    # Certification Board Exam (PTCE)"); not the title or other sentences, which name the
    # occupation ("Certified Nursing Assistant program").
    fields = [t for t in [*program.all_credentials(), program.features] if t]
    recognised = [m.rule.name for m in find_credentials(fields)]
    said: dict[str, str] = {}  # credential -> the sentence that names it, when only a sentence does
    for sentence in exam_sentences(program):
        for m in find_credentials([sentence]):
            if m.rule.name not in recognised:
                recognised.append(m.rule.name)
                said[m.rule.name] = sentence
    value: dict[str, Any] = {"named": named, "recognised": recognised}
    if said:
        value["sentences"] = said
    if named or recognised:
        parts = [f"named: {'; '.join(named)}"] if named else []
        if recognised:
            shown = [f'{r} ("{_clip(said[r])}")' if r in said else r for r in recognised]
            parts.append(f"recognised in the text: {'; '.join(shown)}")
        return Check("credential", name, Status.PASS, rule, value, source, vintage, reason="; ".join(parts))
    generic = ", ".join(program.all_credentials()) or "none"
    return Check(
        "credential",
        name,
        Status.UNKNOWN,
        rule,
        value,
        source,
        vintage,
        reason=f"no industry credential is named (credential field: {generic})",
    )
