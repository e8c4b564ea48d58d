"""Linked-data descriptions of credentials and programs (JSON-LD):

- **CTDL** (Credential Engine's Credential Transparency Description Language, as published in
  the Credential Registry): ``ceterms:Certificate`` and the other credential classes,
  ``ceterms:LearningOpportunityProfile``, ``ceterms:LearningProgram``, ``ceterms:Course``;
  single resources or a ``@graph`` whose nodes refer to each other by ``@id``.
- **schema.org**: ``EducationalOccupationalProgram`` (and ``WorkBasedProgram``), ``Course``.

Mapping (prefixes and full IRIs are ignored; language maps prefer English):

=========================  =====================================================  ==============
Program field              CTDL                                                   schema.org
=========================  =====================================================  ==============
title, description         ceterms:name, ceterms:description                      name, description
provider                   ceterms:offeredBy / ownedBy (name of the organisation)  provider
credential                 the credential's name, or one it prepares for          educationalCredentialAwarded
clock hours / weeks        estimatedDuration (exact/max/min ISO 8601 duration),   timeToComplete,
                           creditValue in clock hours                             timeRequired
occupations (SOC codes)    occupationType → CredentialAlignmentObject codedNotation occupationalCategory
cip                        instructionalProgramType codedNotation                 identifier (CIP)
outcomes                   teaches; requires → targetCompetency                   teaches, competencyRequired
courses                    requires/hasPart → targetLearningOpportunity (Course,  hasCourse, hasPart
                           LearningOpportunityProfile): name, codedNotation,
                           description, teaches, estimatedDuration
=========================  =====================================================  ==============
"""

from __future__ import annotations

import json
import re
from typing import Any

from matcher.errors import BadInputError
from matcher.program import MAX_COURSES, Program, SourceRef, program_from_dict
from matcher.readers import Reader, decode_text, register
from matcher.readers import fields as F

_PREFIXES = (
    "ceterms:",
    "ceasn:",
    "schema:",
    "sdo:",
    "qdata:",
    "http://purl.org/ctdl/terms/",
    "https://purl.org/ctdl/terms/",
    "http://schema.org/",
    "https://schema.org/",
)
_LANG = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
_CREDENTIAL_TYPE = re.compile(
    r"(Certificate|Certification|Credential|Degree|Diploma|License|Badge|Doctorate|"
    r"GeneralEducationDevelopment|MicroCredential)$"
)
_PROGRAM_TYPES = {"EducationalOccupationalProgram", "WorkBasedProgram", "LearningProgram"}
_LEARNING_TYPES = {"LearningOpportunityProfile", "LearningProgram", "Course", "CourseInstance"}
MAX_NODES = 20_000
MAX_DEPTH = 4


def is_jsonld(data: Any) -> bool:
    """Does this parsed JSON look like JSON-LD (``@context``, ``@type`` or ``@graph``)?"""
    if isinstance(data, dict):
        return any(k in data for k in ("@context", "@graph", "@type")) or isinstance(
            data.get("decoded_resource"), dict
        )
    return isinstance(data, list) and bool(data) and all(isinstance(d, dict) and "@type" in d for d in data)


def _local(name: str) -> str:
    for p in _PREFIXES:
        if name.startswith(p):
            return name[len(p) :]
    return name


def _types(node: Any) -> list[str]:
    if not isinstance(node, dict):
        return []
    t = node.get("@type") or node.get("type") or []
    return [_local(x) for x in (t if isinstance(t, list) else [t]) if isinstance(x, str)]


def _norm(node: Any) -> Any:
    """Strip vocabulary prefixes from keys, recursively."""
    if isinstance(node, dict):
        return {(_local(k) if not k.startswith("@") else k): _norm(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_norm(v) for v in node]
    return node


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def text(value: Any) -> str:
    """A plain string from a string, ``{"@value"}``, a language map or a list of those."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, list):
        return next((t for t in (text(v) for v in value) if t), "")
    if isinstance(value, dict):
        if "@value" in value:
            return text(value["@value"])
        keys = [k for k in value if isinstance(k, str)]
        if keys and all(_LANG.match(k) for k in keys):
            for pref in ("en-US", "en-us", "en", "en-GB"):
                if pref in value:
                    return text(value[pref])
            return text(value[keys[0]])
        for key in ("name", "targetNodeName", "codeValue", "value"):
            if key in value:
                return text(value[key])
    return ""


class _Graph:
    def __init__(self, nodes: list[dict[str, Any]]) -> None:
        self.nodes = nodes
        self.by_id: dict[str, dict[str, Any]] = {}
        count = 0
        stack: list[Any] = list(nodes)
        while stack:
            n = stack.pop()
            count += 1
            if count > MAX_NODES:
                raise BadInputError(f"the JSON-LD document has more than {MAX_NODES:,} nodes")
            if isinstance(n, dict):
                if isinstance(n.get("@id"), str) and len(n) > 1:
                    self.by_id.setdefault(n["@id"], n)
                stack.extend(n.values())
            elif isinstance(n, list):
                stack.extend(n)

    def resolve(self, ref: Any) -> dict[str, Any] | None:
        if isinstance(ref, str):
            return self.by_id.get(ref)
        if isinstance(ref, dict):
            if set(ref) <= {"@id", "@type"} and isinstance(ref.get("@id"), str):
                return self.by_id.get(ref["@id"], ref)
            return ref
        return None

    def all(self, node: dict[str, Any], *keys: str) -> list[dict[str, Any]]:
        out = []
        for key in keys:
            for ref in _as_list(node.get(key)):
                r = self.resolve(ref)
                if r is not None:
                    out.append(r)
        return out


def _main_node(nodes: list[dict[str, Any]]) -> dict[str, Any]:
    typed = [n for n in nodes if _types(n)]
    for test in (
        lambda ts: any(t in _PROGRAM_TYPES or _CREDENTIAL_TYPE.search(t) for t in ts),
        lambda ts: any(t in _LEARNING_TYPES for t in ts),
    ):
        for n in typed:
            if test(_types(n)) and text(n.get("name")):
                return n
    if typed:
        return typed[0]
    raise BadInputError("the JSON-LD document has no typed resource (@type) to read a program from")


def _duration(node: dict[str, Any], graph: _Graph) -> tuple[float | None, float | None]:
    """(weeks, hours) from estimatedDuration / timeToComplete / timeRequired / creditValue."""
    weeks = hours = None
    for key in ("timeToComplete", "timeRequired"):
        w, h = F.iso_duration(text(node.get(key)))
        weeks, hours = weeks or w, hours or h
    for profile in graph.all(node, "estimatedDuration"):
        for key in ("exactDuration", "maximumDuration", "minimumDuration"):
            w, h = F.iso_duration(text(profile.get(key)))
            weeks, hours = weeks or w, hours or h
    for value in graph.all(node, "creditValue"):
        units = " ".join(
            json.dumps(value.get(k, "")) for k in ("creditUnitType", "creditHourType", "unitText")
        )
        amount = F.parse_number(
            text(value.get("value") or value.get("creditHourValue") or value.get("creditUnitValue"))
        )
        if amount is not None and "ClockHour" in units.replace(" ", ""):
            hours = hours or amount
    return weeks, hours


def _alignment_codes(nodes: list[dict[str, Any]]) -> list[str]:
    out = []
    for n in nodes:
        out.append(text(n.get("codedNotation")) or text(n.get("codeValue")) or text(n.get("termCode")))
    return [o for o in out if o]


def _competencies(graph: _Graph, node: dict[str, Any], *keys: str) -> list[str]:
    out = []
    for c in graph.all(node, *keys):
        name = text(c.get("targetNodeName")) or text(c.get("name"))
        desc = text(c.get("targetNodeDescription")) or text(c.get("description"))
        if name and desc and desc != name:
            out.append(f"{name}: {desc}")
        elif name or desc:
            out.append(name or desc)
    for raw in _as_list(node.get("teaches")) + _as_list(node.get("competencyRequired")):
        if isinstance(raw, str) and not raw.startswith(("http://", "https://", "_:")):
            out.append(raw)
    return list(dict.fromkeys(o for o in out if o))


def _condition_targets(graph: _Graph, node: dict[str, Any], key: str) -> list[dict[str, Any]]:
    out = []
    for cond in graph.all(node, "requires", "recommends"):
        out += graph.all(cond, key)
    return out


def _learning(n: dict[str, Any]) -> bool:
    return any(t in _LEARNING_TYPES for t in _types(n))


def _collect_courses(graph: _Graph, node: dict[str, Any], seen: set[int], depth: int = 0) -> list[dict]:
    refs = graph.all(node, "hasCourse", "hasPart") + _condition_targets(
        graph, node, "targetLearningOpportunity"
    )
    out: list[dict[str, Any]] = []
    for r in refs:
        if id(r) in seen or not (_learning(r) or "courseCode" in r or "codedNotation" in r):
            continue
        seen.add(id(r))
        parts = _collect_courses(graph, r, seen, depth + 1) if depth < MAX_DEPTH else []
        out += parts if parts else [r]
    return out


def _course(graph: _Graph, n: dict[str, Any], filename: str) -> dict[str, Any]:
    code = text(n.get("codedNotation")) or text(n.get("courseCode")) or None
    title = text(n.get("name"))
    label = code or title or None
    _, hours = _duration(n, graph)
    return {
        "code": code,
        "title": title,
        "description": text(n.get("description")),
        "hours": hours,
        "outcomes": [
            {"text": t, "source": SourceRef(file=filename, course=label, field="outcome")}
            for t in _competencies(graph, n, "teaches", "competencyRequired")
            + _competencies(graph, _first_condition(graph, n), "targetCompetency")
        ],
        "source": SourceRef(file=filename),
    }


def _first_condition(graph: _Graph, n: dict[str, Any]) -> dict[str, Any]:
    """All ``requires`` conditions merged into one node (for their target competencies)."""
    merged: dict[str, Any] = {"targetCompetency": []}
    for cond in graph.all(n, "requires"):
        merged["targetCompetency"] += _as_list(cond.get("targetCompetency"))
    return merged


def _names(graph: _Graph, refs: list[dict[str, Any]]) -> list[str]:
    return [t for t in (text(r.get("name")) or text(r.get("credentialCategory")) for r in refs) if t]


def _identifier_cip(graph: _Graph, node: dict[str, Any]) -> str | None:
    for ident in graph.all(node, "identifier", "programType", "about"):
        scheme = " ".join(
            text(ident.get(k)) for k in ("propertyID", "inCodeSet", "name", "identifierTypeName")
        )
        if "cip" in scheme.lower() or "instructional program" in scheme.lower():
            cip = F.parse_cip(text(ident.get("value")) or text(ident.get("codeValue")) or text(ident))
            if cip:
                return cip
    return None


def program_from_jsonld(data: Any, filename: str) -> Program:
    """Read a program from a parsed JSON-LD document (CTDL or schema.org)."""
    if isinstance(data, dict) and isinstance(data.get("decoded_resource"), dict):
        data = data["decoded_resource"]  # a Credential Registry envelope
    data = _norm(data)
    if isinstance(data, dict) and isinstance(data.get("@graph"), list):
        nodes = [n for n in data["@graph"] if isinstance(n, dict)]
    elif isinstance(data, list):
        nodes = [n for n in data if isinstance(n, dict)]
    elif isinstance(data, dict):
        nodes = [data]
    else:
        raise BadInputError(f"{filename}: a JSON-LD document must be an object or a list of objects")
    graph = _Graph(nodes)
    main = _main_node(nodes)
    types = _types(main)
    is_credential = any(_CREDENTIAL_TYPE.search(t) for t in types) and not any(
        t in _LEARNING_TYPES for t in types
    )

    weeks, hours = _duration(main, graph)
    providers = _names(graph, graph.all(main, "offeredBy", "provider", "ownedBy"))
    credentials: list[str] = []
    if is_credential:
        credentials.append(text(main.get("name")))
    credentials += _names(
        graph,
        graph.all(main, "educationalCredentialAwarded", "occupationalCredentialAwarded")
        + [
            t
            for key in ("isPreparationFor", "isRequiredFor", "isAdvancedStandingFor")
            for cond in graph.all(main, key)
            for t in graph.all(cond, "targetCredential")
        ],
    )
    credentials += [
        v
        for key in ("educationalCredentialAwarded", "occupationalCredentialAwarded")
        for v in _as_list(main.get(key))
        if isinstance(v, str) and not v.startswith(("http://", "https://"))
    ]
    occupations = []
    for occ in graph.all(main, "occupationType", "alternativeOccupationType", "occupationalCategory"):
        occupations += F.parse_socs(" ".join(_alignment_codes([occ])))
    occupations += [
        s for v in _as_list(main.get("occupationalCategory")) if isinstance(v, str) for s in F.parse_socs(v)
    ]
    cips = [F.parse_cip(c) for c in _alignment_codes(graph.all(main, "instructionalProgramType"))]
    cip = next((c for c in cips if c), None) or _identifier_cip(graph, main)

    seen: set[int] = {id(main)}
    course_nodes = _collect_courses(graph, main, seen)
    if not course_nodes:  # a graph that lists its courses without linking them
        course_nodes = [n for n in nodes if n is not main and _learning(n)]
    courses = [_course(graph, n, filename) for n in course_nodes[:MAX_COURSES]]
    outcomes = _competencies(graph, main, "teaches", "competencyRequired") + _competencies(
        graph, _first_condition(graph, main), "targetCompetency"
    )
    prerequisites = [
        text(p.get("description")) or text(p.get("name")) for p in graph.all(main, "programPrerequisites")
    ] + [v for v in _as_list(main.get("programPrerequisites")) if isinstance(v, str)]
    modes = [text(m) for m in _as_list(main.get("educationalProgramMode"))]
    features = f"Program mode: {', '.join(m for m in modes if m)}." if any(modes) else ""
    credit_hours = F.parse_number(text(main.get("numberOfCredits")))

    record = {
        "title": text(main.get("name")),
        "provider": providers[0] if providers else None,
        "description": text(main.get("description")),
        "features": features,
        "prerequisites": "\n".join(p for p in prerequisites if p),
        "credential": credentials[0] if credentials and credentials[0] else None,
        "credentials": list(dict.fromkeys(c for c in credentials[1:] if c)),
        "clock_hours": hours,
        "credit_hours": credit_hours,
        "weeks": weeks,
        "cip": cip,
        "occupations": list(dict.fromkeys(occupations)),
        "outcomes": [{"text": t, "source": SourceRef(file=filename, field="outcome")} for t in outcomes],
        "courses": courses,
    }
    if record["clock_hours"] is None and courses and all(c["hours"] is not None for c in courses):
        record["clock_hours"] = sum(c["hours"] for c in courses)
    return program_from_dict(record, source_file=filename)


def _read_jsonld(content: bytes, filename: str) -> Program:
    try:
        data = json.loads(decode_text(content))
    except json.JSONDecodeError as exc:
        raise BadInputError(
            f"{filename}: malformed JSON-LD at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    return program_from_jsonld(data, filename)


register(Reader("jsonld", (".jsonld",), _read_jsonld))
