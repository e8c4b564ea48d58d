"""Linked-data descriptions of credentials and programs (JSON-LD):

- **CTDL** (Credential Engine's Credential Transparency Description Language, as published in
  the Credential Registry): ``ceterms:Certificate`` and the other credential classes,
  ``ceterms:LearningOpportunityProfile``, ``ceterms:LearningProgram``, ``ceterms:Course``,
  ``ceterms:AssessmentProfile``; single resources, lists, Registry envelopes, or a ``@graph``
  whose nodes refer to each other by ``@id``.
- **schema.org**: ``EducationalOccupationalProgram`` (and ``WorkBasedProgram``), ``Course``.

A document that holds several unrelated records (a list of Registry records, a ``@graph`` of
programs that do not refer to each other) yields one program per record: records are grouped
by the references between them (a credential and the courses it requires are one program).
A graph with one credential or program and courses it does not link is still one program.

Mapping (prefixes and full IRIs are ignored; language maps prefer English). Every outcome keeps
the property it was read from in its source (``SourceRef.path``):

=========================  =====================================================  ==============
Program field              CTDL                                                   schema.org
=========================  =====================================================  ==============
title, description         name (less a catalog code in parentheses at its end),  name, description
                           description
provider                   offeredBy / ownedBy (name of the organisation)          provider
credential                 the credential's name, or one it prepares for          educationalCredentialAwarded
clock / credit hours       creditValue (ClockHour, SemesterHour, QuarterHour x     numberOfCredits,
                           2/3, CEU x 10 contact hours), estimatedDuration          timeRequired
weeks                      estimatedDuration (exact/max/min ISO 8601 duration;     timeToComplete
                           its description), deliveryTypeDescription
occupations (SOC codes)    occupationType: codedNotation, a code in targetNode,   occupationalCategory
                           or the referenced node's code; isPreparationFor →
                           targetOccupation (an Occupation's occupationType);
                           names without a code go to occupation_names
cip                        instructionalProgramType (same)                        identifier (CIP)
outcomes                   subject, keyword, teaches, assesses, requires →       teaches, about, keywords,
                           targetCompetency, condition profiles' descriptions     competencyRequired,
                           and conditions (competency lists)                      syllabusSections
courses                    hasPart, requires → targetLearningOpportunity and     hasCourse, hasPart
                           targetAssessment (assessments are read as courses)
prerequisites              entryCondition; requires profiles about admission      programPrerequisites,
                           (age, diploma, work experience asked for)              coursePrerequisites
tuition_and_fees (USD)     estimatedCost: the aggregate cost profile, or the sum  offers (price or
                           of the program's own costs (not lodging, renewal)      priceSpecification)
=========================  =====================================================  ==============

Bad input: more than :data:`MAX_NODES` nodes, values nested deeper than :data:`MAX_NESTING`,
more than :data:`~matcher.program.MAX_COURSES` courses in one program, and cycles among the
parts a program is made of (a course that, through its parts, contains itself) are refused with
a message naming the problem.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from matcher.errors import BadInputError, TooLargeError
from matcher.program import MAX_COURSES, Program, SourceRef, program_from_dict
from matcher.readers import MAX_PROGRAMS, Reader, decode_text, register
from matcher.readers import fields as F
from matcher.readers.duration import weeks_spanned

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
    r"GeneralEducationDevelopment|MicroCredential|QualityAssuranceCredential)$"
)
_PROGRAM_TYPES = {"EducationalOccupationalProgram", "WorkBasedProgram", "LearningProgram"}
_LEARNING_TYPES = {"LearningOpportunityProfile", "LearningProgram", "Course", "CourseInstance"}
_ASSESSMENT_TYPES = {"AssessmentProfile"}
_COURSE_ONLY = {"Course", "CourseInstance"}
_PREREQUISITE = re.compile(
    r"\b(?:prerequisite|admission|admitted|enrol|entry|eligib|applicant|apply|high\s+school|diploma|GED|"
    r"years?\s+(?:of\s+age|old)|age\s+\d|18\s+or\s+older|background\s+check|drug\s+screen|"
    r"(?:work(?:ing)?|prior|previous|professional|industry|field)\s+experience|"
    r"years?\s+of\s+(?:\w+\s+){0,3}experience)",
    re.I,
)
_SPLIT_LIST = re.compile(r"\r?\n+|\s*[•▪●]\s*|(?<=[.;])\s+(?=\d+[.)]\s)")
MAX_NODES = 20_000  # objects in one document
MAX_DEPTH = 4  # levels of parts within parts that are flattened into courses
MAX_NESTING = 64  # JSON arrays/objects inside each other


# -- plain values ----------------------------------------------------------------------------------


def is_jsonld(data: Any) -> bool:
    """Does this parsed JSON look like JSON-LD (``@context``, ``@type`` or ``@graph``)?"""
    if isinstance(data, dict):
        return any(k in data for k in ("@context", "@graph", "@type")) or isinstance(
            data.get("decoded_resource"), dict
        )
    return (
        isinstance(data, list)
        and all(isinstance(d, dict) for d in data)
        and any("@type" in d or "@graph" in d or isinstance(d.get("decoded_resource"), dict) for d in data)
    )


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


def check_nesting(data: Any, filename: str) -> None:
    """Refuse values nested deeper than :data:`MAX_NESTING` (iteratively: no recursion limit)."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_NESTING:
            raise BadInputError(
                f"{filename}: the JSON is nested more than {MAX_NESTING} levels deep (lists or objects "
                "inside each other); a program description is never that deep",
                details={"limit_nesting": MAX_NESTING},
            )
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values() if isinstance(v, dict | list))
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value if isinstance(v, dict | list))


def _norm(node: Any) -> Any:
    """Strip vocabulary prefixes from keys, recursively (depth is bounded by check_nesting)."""
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


def texts(value: Any) -> list[str]:
    """Every string of a string, a list or a language map of lists (``keyword`` values)."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if isinstance(value, list):
        return [t for v in value for t in texts(v)]
    if isinstance(value, dict):
        keys = [k for k in value if isinstance(k, str)]
        if keys and all(_LANG.match(k) for k in keys):
            for pref in ("en-US", "en-us", "en", "en-GB", keys[0]):
                if pref in value:
                    return texts(value[pref])
        t = text(value)
        return [t] if t else []
    return []


def _is_iri(value: str) -> bool:
    return value.startswith(("http://", "https://", "_:", "urn:"))


# -- the graph -------------------------------------------------------------------------------------


class _Graph:
    def __init__(self, nodes: list[dict[str, Any]], filename: str) -> None:
        self.nodes = nodes
        self.by_id: dict[str, dict[str, Any]] = {}
        count = 0
        stack: list[Any] = list(nodes)
        while stack:
            n = stack.pop()
            if isinstance(n, dict):
                count += 1
            if count > MAX_NODES:
                raise TooLargeError(
                    f"{filename}: the JSON-LD document has more than {MAX_NODES:,} nodes",
                    details={"limit_nodes": MAX_NODES},
                )
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


def _candidate(n: Any) -> bool:
    ts = _types(n)
    return any(
        t in _PROGRAM_TYPES or t in _LEARNING_TYPES or t in _ASSESSMENT_TYPES or _CREDENTIAL_TYPE.search(t)
        for t in ts
    )


def _rank(n: dict[str, Any]) -> int:
    ts = _types(n)
    if any(t in _PROGRAM_TYPES or _CREDENTIAL_TYPE.search(t) for t in ts):
        return 0
    if any(t in _LEARNING_TYPES - _COURSE_ONLY for t in ts):
        return 1
    if any(t in _COURSE_ONLY for t in ts):
        return 2
    return 3


# The references that make records parts of one program (a record, its courses, the assessments
# and credentials it requires). "Prepares for", "advanced standing for" and organisations do not.
_PART_KEYS = (
    "hasPart",
    "hasCourse",
    "isPartOf",
    "hasCourseInstance",
    "requires",
    "recommends",
    "corequisite",
)
_TARGET_KEYS = ("targetLearningOpportunity", "targetAssessment", "targetCredential")


def _conditions(graph: _Graph, node: dict[str, Any], *keys: str) -> list[dict[str, Any]]:
    """The condition profiles of ``node`` under ``keys``, with the alternatives each one offers
    (``alternativeCondition``: "either these courses or those"), a few levels deep."""
    out: list[dict[str, Any]] = []
    level = graph.all(node, *keys)
    for _ in range(4):
        out += level
        level = [
            a for c in level for a in graph.all(c, "alternativeCondition") if not any(a is o for o in out)
        ]
    return out


def _references(node: dict[str, Any], tops: dict[str, int]) -> set[int]:
    """Top-level records ``node`` names as its parts (directly or in its condition profiles)."""
    found: set[int] = set()
    stack: list[Any] = [node.get(k) for k in _PART_KEYS]
    seen = 0
    while stack and seen < 50_000:
        seen += 1
        v = stack.pop()
        if isinstance(v, str):
            if v in tops:
                found.add(tops[v])
        elif isinstance(v, list):
            stack.extend(v)
        elif isinstance(v, dict):
            ref = v.get("@id")
            if isinstance(ref, str) and ref in tops:
                found.add(tops[ref])
            elif not isinstance(ref, str) or ref.startswith("_:") or len(v) > 1:
                stack.extend(v.get(k) for k in (*_TARGET_KEYS, "alternativeCondition"))  # a condition
    return found


def _groups(graph: _Graph, nodes: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Top-level records grouped by the references between them; each group is one program."""
    cands = [n for n in nodes if _candidate(n)]
    if not cands:
        return []
    tops = {n["@id"]: i for i, n in enumerate(cands) if isinstance(n.get("@id"), str)}
    parent = list(range(len(cands)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, n in enumerate(cands):
        for j in _references(n, tops):
            parent[find(i)] = find(j)
    groups: dict[int, list[dict[str, Any]]] = {}
    for i, n in enumerate(cands):
        groups.setdefault(find(i), []).append(n)
    out = list(groups.values())
    # A graph of one credential or program and courses it does not link: one program.
    heads = [g for g in out if min(_rank(n) for n in g) == 0]
    rest = [g for g in out if g not in heads]
    if len(heads) == 1 and rest and all(len(g) == 1 and _rank(g[0]) == 2 for g in rest):
        return [heads[0] + [n for g in rest for n in g]]
    return out


def _node_id(node: dict[str, Any]) -> str | None:
    """A node's ``@id`` when it is a string (a list or object there is no identifier)."""
    value = node.get("@id")
    return value if isinstance(value, str) else None


def _main(group: list[dict[str, Any]], graph: _Graph) -> dict[str, Any]:
    """The record a group is about: the best-ranked one no other record of the group contains."""
    ids = {_node_id(n) for n in group} - {None}
    contained: set[str] = set()
    for n in group:
        for part in graph.all(n, "hasPart", "hasCourse") + [
            t
            for cond in _conditions(graph, n, "requires", "recommends")
            for t in graph.all(cond, "targetLearningOpportunity", "targetAssessment", "targetCredential")
        ]:
            pid = _node_id(part)
            if pid is not None and pid in ids and part is not n:
                contained.add(pid)
    free = [n for n in group if _node_id(n) is None or _node_id(n) not in contained] or group
    return min(free, key=lambda n: (_rank(n), 0 if text(n.get("name")) else 1, group.index(n)))


# -- fields ----------------------------------------------------------------------------------------


def _program_duration(value: str) -> tuple[float | None, float | None]:
    """An ISO 8601 duration as a program's length: under an hour ("PT3M", written for "P3M",
    three months) is no program's length and is not read."""
    w, h = F.iso_duration(value)
    return w, (h if h is None or h >= 1 else None)


def _duration(node: dict[str, Any], graph: _Graph) -> tuple[float | None, float | None, str]:
    """(weeks, hours, what was read) from estimatedDuration / timeToComplete / timeRequired."""
    weeks = hours = None
    read = []
    for key in ("timeToComplete", "timeRequired"):
        value = text(node.get(key))
        w, h = _program_duration(value)
        if w or h:
            weeks, hours = weeks or w, hours or h
            read.append(f"{key} {value}")
    for profile in graph.all(node, "estimatedDuration"):
        for key in ("exactDuration", "maximumDuration", "minimumDuration"):
            value = text(profile.get(key))
            w, h = _program_duration(value)
            if w or h:
                if weeks is None and hours is None:
                    read.append(f"estimatedDuration {key} {value}")
                weeks, hours = weeks or w, hours or h
    return weeks, hours, "; ".join(read)


_CODE_SUFFIX = re.compile(r"\s*\(([^()]{2,40})\)\s*$")
_CATALOG_CODE = re.compile(r"^[A-Z][A-Z0-9]{1,15}[_-]\d{4,8}$")  # "BSACC_202503": program and catalog


def _name(node: dict[str, Any]) -> str:
    """A record's name without the publisher's internal code in parentheses at its end
    ("Bachelor of Science, Accounting (BSACC_202503)", the code also its ``alternateName`` or
    ``codedNotation``, or shaped like a catalog code)."""
    name = text(node.get("name"))
    m = _CODE_SUFFIX.search(name)
    if not m or m.start() == 0:
        return name
    code = m.group(1).strip()
    others = {t.casefold() for key in ("alternateName", "codedNotation") for t in texts(node.get(key))}
    if code.casefold() in others or _CATALOG_CODE.match(code):
        return name[: m.start()].rstrip(" ,-–")
    return name


def _duration_descriptions(node: dict[str, Any], graph: _Graph) -> list[str]:
    out = [text(p.get("description")) for p in graph.all(node, "estimatedDuration")]
    out.append(text(node.get("deliveryTypeDescription")))
    return [o for o in out if o]


_CREDIT_UNITS = {
    "clockhour": ("clock_hours", 1.0),
    "contacthour": ("clock_hours", 1.0),
    "continuingeducationunit": ("clock_hours", 10.0),
    "semesterhour": ("credit_hours", 1.0),
    "semestercredit": ("credit_hours", 1.0),
    "credithour": ("credit_hours", 1.0),
    "degreecredit": ("credit_hours", 1.0),
    "quarterhour": ("credit_hours", 2 / 3),
    "quartercredit": ("credit_hours", 2 / 3),
}


def _credits(node: dict[str, Any], graph: _Graph) -> dict[str, tuple[float, str]]:
    """``{"clock_hours": (120, "120 ClockHour"), "credit_hours": (...)}`` from creditValue and
    numberOfCredits."""
    out: dict[str, tuple[float, str]] = {}
    for value in graph.all(node, "creditValue"):
        amount = F.parse_number(
            text(value.get("value"))
            or text(value.get("maxValue"))
            or text(value.get("creditHourValue"))
            or text(value.get("creditUnitValue"))
        )
        units = " ".join(
            v if isinstance(v, str) else text(v.get("targetNode")) or text(v.get("targetNodeName")) or text(v)
            for k in ("creditUnitType", "creditHourType", "unitText")
            for v in _as_list(value.get(k))
            if isinstance(v, str | dict)
        )
        key = re.sub(r"[^a-z]", "", units.lower())
        if amount is None:
            continue
        for unit, (fld, factor) in _CREDIT_UNITS.items():
            if unit in key or (unit == "clockhour" and "clock" in key):
                out.setdefault(fld, (round(amount * factor, 2), f"creditValue {amount:g} {units.strip()}"))
                break
        else:
            if "credit" in key or "hour" in key or not key:
                out.setdefault(
                    "credit_hours", (amount, f"creditValue {amount:g} {units.strip() or 'credits'}")
                )
    n = node.get("numberOfCredits")
    amount = F.parse_number(text(n.get("value")) if isinstance(n, dict) else text(n))
    if amount is not None:
        out.setdefault("credit_hours", (amount, f"numberOfCredits {amount:g}"))
    return out


# A cost profile's type (``directCostType``: ``costType:Tuition``, "Aggregate Cost") as letters.
_NOT_PROGRAM_COST = re.compile(
    r"roomorresidency|roomandboard|meals|travel|reexamination|rescheduling|renewal|optionalcharges|"
    r"enrollmentdeposit|latefee|"
    r"recertif|international|outofstate|nonresident",
)
_USD = re.compile(r"^(?:|usd|us\$|\$|usdollars?|unitedstatesdollars?|dollars?)$")


def _cost_type(profile: dict[str, Any]) -> str:
    kinds = [
        text(t.get("targetNode")) or text(t.get("targetNodeName")) if isinstance(t, dict) else text(t)
        for t in _as_list(profile.get("directCostType")) + _as_list(profile.get("category"))
    ]
    return re.sub(r"[^a-z]", "", " ".join([*kinds, text(profile.get("name"))]).lower())


def _cost(node: dict[str, Any], graph: _Graph) -> tuple[float, str] | None:
    """The program's published cost in US dollars, with what was read: CTDL ``estimatedCost``
    (an aggregate cost profile, or else the sum of the program's own costs: tuition, fees,
    books, supplies) or schema.org ``offers`` (the first priced offer that is not room and board).
    Costs in another currency, without a price, or of renewal, travel or lodging are not read."""
    priced: list[tuple[str, float, str]] = []  # (cost type, price, what was read)
    for profile in graph.all(node, "estimatedCost", "offers"):
        spec = graph.resolve(profile.get("priceSpecification")) or {}
        price = F.parse_number(
            text(profile.get("price")) or text(spec.get("price")) or text(profile.get("lowPrice"))
        )
        currency = text(profile.get("currency")) or text(profile.get("priceCurrency"))
        currency = currency or text(spec.get("priceCurrency"))
        if price is None or price < 0 or not _USD.match(re.sub(r"[\s.]", "", currency.lower())):
            continue
        kind = _cost_type(profile)
        if _NOT_PROGRAM_COST.search(kind):
            continue
        key = "offers" if "offers" in node and "estimatedCost" not in node else "estimatedCost"
        label = text(profile.get("name")) or text(profile.get("category")) or kind
        priced.append((kind, price, f"{key} {label + ' ' if label else ''}{price:,.2f} USD"))
    if not priced:
        return None
    for kind, price, read in priced:
        if "aggregate" in kind or "totalcost" in kind:
            return price, read
    kinds = [k for k, _, _ in priced]
    if "offers" in node or len(set(kinds)) < len(kinds):  # alternatives, not parts of one sum
        return priced[0][1], priced[0][2]
    total = round(sum(p for _, p, _ in priced), 2)
    if len(priced) == 1:
        return total, priced[0][2]
    return total, "estimatedCost " + " + ".join(r.split(" ", 1)[1] for _, _, r in priced)


_SOC_URL = re.compile(r"(\d{2}-\d{4}(?:\.\d{2})?)")


def _alignment(graph: _Graph, refs: list[dict[str, Any]]) -> tuple[list[str], list[str]]:
    """(codes, names without a code) of CredentialAlignmentObjects, CategoryCodes, or the nodes
    they reference in the graph."""
    codes, names = [], []
    for ref in refs:
        node = ref
        target = ref.get("targetNode")
        if (
            isinstance(target, str | dict)
            and (resolved := graph.resolve(target)) is not None
            and resolved is not ref
        ):
            node = {**resolved, **{k: v for k, v in ref.items() if k != "targetNode"}}
        code = text(node.get("codedNotation")) or text(node.get("codeValue")) or text(node.get("termCode"))
        if not code:
            for key in ("targetNode", "@id", "url", "sameAs"):
                m = _SOC_URL.search(text(node.get(key)) if not isinstance(node.get(key), str) else node[key])
                if m:
                    code = m.group(1)
                    break
        name = text(node.get("targetNodeName")) or text(node.get("name")) or text(node.get("prefLabel"))
        if code:
            codes.append(code)
        elif name:
            names.append(name)
    return codes, names


def _competency(c: dict[str, Any]) -> str:
    name = (
        text(c.get("targetNodeName"))
        or text(c.get("name"))
        or text(c.get("competencyText"))
        or text(c.get("competencyLabel"))
        or text(c.get("prefLabel"))
    )
    desc = text(c.get("targetNodeDescription")) or text(c.get("description"))
    if name and desc and desc != name:
        return f"{name}: {desc}"
    return name or desc


_PLACEHOLDER = re.compile(r"^\*{2,}.*\*{2,}$")


# Lines of a condition profile's list that are no competency: its generic headings, the sentence
# that introduces the list ("... demonstrated competence in the following areas:"), and the
# publisher's accreditation statement that badge criteria end with.
_LIST_HEADING = re.compile(
    r"^(?:credential\s+details?|details|description|overview|criteria|requirements|summary)$", re.I
)
_ACCREDITATION = re.compile(
    r"^(?:\w+\s+){0,3}accreditations?$|\bis\s+(?:regionally\s+)?accredited\s+by\b", re.I
)


def _split_list(value: str) -> list[str]:
    """A condition profile's competency list, one per line or bullet (placeholders such as
    "*** Condition PROFILE DESCRIPTION MISSING ***", generic headings, the sentence introducing
    the list and an accreditation statement at its end left out)."""
    parts = [p.strip(" \t-•*·") for p in _SPLIT_LIST.split(value) if not _PLACEHOLDER.match(p.strip())]
    out: list[str] = []
    for p in parts:
        if _ACCREDITATION.search(p):
            break
        if len(p) > 2 and not _LIST_HEADING.match(p) and not (p.endswith(":") and len(parts) > 1):
            out.append(p)
    return out


class _Reader:
    """Reads one group of records (a program) out of a graph."""

    def __init__(self, graph: _Graph, filename: str) -> None:
        self.graph = graph
        self.filename = filename
        self._path_nodes: list[dict[str, Any]] = []  # the chain of parts being read (cycles)

    def ref(self, path: str, course: str | None = None, field: str = "outcome") -> SourceRef:
        return SourceRef(file=self.filename, course=course, field=field, path=path)

    def outcomes(self, node: dict[str, Any], course: str | None = None) -> tuple[list[dict], list[str]]:
        """(outcomes with their property, prerequisite texts) of a program, course or assessment."""
        g = self.graph
        out: list[tuple[str, str]] = []
        prerequisites: list[str] = []
        for key in ("teaches", "assesses", "competencyRequired", "subject", "about", "syllabusSections"):
            for c in g.all(node, key):
                t = _competency(c)
                if t:
                    out.append((t, key))
            for raw in _as_list(node.get(key)):
                if isinstance(raw, str) and not _is_iri(raw):
                    out.append((raw.strip(), key))
        for key in ("keyword", "keywords"):
            for k in texts(node.get(key)):
                parts = [p.strip() for p in k.split(",")] if key == "keywords" else [k]
                out += [(p, key) for p in parts if p]
        for key in ("requires", "recommends", "corequisite"):
            for cond in g.all(node, key):
                for c in g.all(cond, "targetCompetency"):
                    t = _competency(c)
                    if t:
                        out.append((t, f"{key} > targetCompetency"))
                desc = text(cond.get("description"))
                name = text(cond.get("name"))
                conditions = texts(cond.get("condition"))
                about_entry = _PREREQUISITE.search(f"{name} {desc} {' '.join(conditions[:3])}")
                if about_entry:
                    prerequisites += [t for t in [desc, *conditions] if t]
                    continue
                for t in _split_list(desc) if desc else []:
                    out.append((t, f"{key} > description"))
                out += [(t, f"{key} > condition") for t in conditions]
        for cond in g.all(node, "entryCondition"):
            prerequisites += [t for t in [text(cond.get("description")), *texts(cond.get("condition"))] if t]
        for key in ("programPrerequisites", "coursePrerequisites"):
            prerequisites += [
                text(p.get("description")) or text(p.get("name")) or _category(p) for p in g.all(node, key)
            ]
            prerequisites += [v for v in _as_list(node.get(key)) if isinstance(v, str)]
        seen: set[str] = set()
        result = []
        for t, path in out:
            if t and t.casefold() not in seen:
                seen.add(t.casefold())
                result.append({"text": t, "source": self.ref(path, course)})
        return result, [p for p in prerequisites if p]

    def parts(self, node: dict[str, Any], path: list[str], seen: set[int], depth: int = 0) -> list[dict]:
        """Courses and assessments ``node`` is made of, parts of parts flattened; a cycle is
        refused."""
        g = self.graph
        refs = g.all(node, "hasCourse", "hasPart") + [
            t
            for cond in _conditions(g, node, "requires")
            for t in g.all(cond, "targetLearningOpportunity", "targetAssessment")
        ]
        out: list[dict[str, Any]] = []
        for r in refs:
            name = text(r.get("name")) or str(r.get("@id") or "a part")
            if any(r is p for p in self._path_nodes):
                chain = " → ".join([*path, name])
                raise BadInputError(
                    f"{self.filename}: the records refer to each other in a cycle ({chain}); "
                    "a course cannot contain itself",
                    details={"cycle": [*path, name]},
                )
            if id(r) in seen or not (
                any(t in _LEARNING_TYPES or t in _ASSESSMENT_TYPES for t in _types(r))
                or "courseCode" in r
                or "codedNotation" in r
            ):
                continue
            seen.add(id(r))
            self._path_nodes.append(r)
            sub = self.parts(r, [*path, name], seen, depth + 1) if depth < MAX_DEPTH else []
            self._path_nodes.pop()
            out += sub if sub else [r]
            if len(out) > MAX_COURSES:
                raise TooLargeError(
                    f"{self.filename}: a program lists more than {MAX_COURSES} courses; "
                    f"the limit is {MAX_COURSES}",
                    details={"limit_courses": MAX_COURSES},
                )
        return out

    def course(self, n: dict[str, Any]) -> dict[str, Any]:
        code = text(n.get("codedNotation")) or text(n.get("courseCode")) or None
        title = text(n.get("name"))
        label = code or title or None
        _, hours, _ = _duration(n, self.graph)
        credits = _credits(n, self.graph)
        if hours is None and "clock_hours" in credits:
            hours = credits["clock_hours"][0]
        outcomes, _ = self.outcomes(n, label)
        is_assessment = any(t in _ASSESSMENT_TYPES for t in _types(n))
        description = text(n.get("description"))
        if is_assessment and not description:
            description = text(n.get("assessmentMethodDescription"))
        return {
            "code": code,
            "title": title,
            "description": description,
            "hours": hours,
            "outcomes": outcomes,
            "source": SourceRef(file=self.filename, path="AssessmentProfile" if is_assessment else None),
        }

    def program(self, main: dict[str, Any], members: list[dict[str, Any]]) -> Program:
        g = self.graph
        types = _types(main)
        is_credential = any(_CREDENTIAL_TYPE.search(t) for t in types) and not any(
            t in _LEARNING_TYPES for t in types
        )
        weeks, hours, duration_read = _duration(main, g)
        if weeks is None:
            weeks, duration_read = _dated_weeks(main, g) or (None, duration_read)
        credits = _credits(main, g)
        read_from: dict[str, Any] = {}
        src = SourceRef(file=self.filename)
        if duration_read:
            if weeks is not None:
                read_from["weeks"] = {"text": duration_read, "source": src}
            if hours is not None:
                read_from["clock_hours"] = {"text": duration_read, "source": src}
        if hours is None and "clock_hours" in credits:
            hours = credits["clock_hours"][0]
            read_from["clock_hours"] = {"text": credits["clock_hours"][1], "source": src}
        credit_hours = credits["credit_hours"][0] if "credit_hours" in credits else None
        cost = _cost(main, g)
        if cost is not None:
            read_from["tuition_and_fees"] = {"text": cost[1], "source": src}
        if credit_hours is not None:
            read_from["credit_hours"] = {"text": credits["credit_hours"][1], "source": src}
        providers = [
            t for t in (text(r.get("name")) for r in g.all(main, "offeredBy", "provider", "ownedBy")) if t
        ]
        credentials: list[str] = [_name(main)] if is_credential else []
        awarded = g.all(main, "educationalCredentialAwarded", "occupationalCredentialAwarded") + [
            t
            for key in ("isPreparationFor", "isRequiredFor", "isAdvancedStandingFor")
            for cond in g.all(main, key)
            for t in g.all(cond, "targetCredential")
        ]
        credentials += [
            t for t in (text(r.get("name")) or text(r.get("credentialCategory")) for r in awarded) if t
        ]
        credentials += [
            v
            for key in ("educationalCredentialAwarded", "occupationalCredentialAwarded")
            for v in _as_list(main.get(key))
            if isinstance(v, str) and not _is_iri(v)
        ]
        occ_refs = g.all(main, "occupationType", "alternativeOccupationType", "occupationalCategory")
        occ_refs += [o for r in g.all(main, "relevantOccupation") for o in g.all(r, "occupationalCategory")]
        # Occupations it prepares for (ceterms:Occupation records, coded by their occupationType)
        for occupation in [
            o for cond in g.all(main, "isPreparationFor") for o in g.all(cond, "targetOccupation")
        ] + g.all(main, "targetOccupation"):
            occ_refs += g.all(occupation, "occupationType") or [occupation]
        occ_codes, occ_names = _alignment(g, occ_refs)
        occupations = [s for c in occ_codes for s in F.parse_socs(c)]
        occupations += [
            s
            for v in _as_list(main.get("occupationalCategory"))
            if isinstance(v, str)
            for s in F.parse_socs(v)
        ]
        occ_names += [
            v
            for v in _as_list(main.get("occupationalCategory"))
            if isinstance(v, str) and not F.parse_socs(v)
        ]
        cip_codes, cip_names = _alignment(g, g.all(main, "instructionalProgramType"))
        cip = next((c for c in (F.parse_cip(c) for c in cip_codes) if c), None) or _identifier_cip(g, main)
        if cip is None and cip_names:
            read_from["cip"] = {
                "text": f"instructionalProgramType named without a code: {cip_names[0]}",
                "source": src,
            }

        seen: set[int] = {id(main)}
        self._path_nodes = [main]
        course_nodes = self.parts(main, [text(main.get("name")) or "the program"], seen)
        course_nodes += [
            n for n in members if n is not main and id(n) not in seen and _rank(n) <= 2 and _candidate(n)
        ]
        if len(course_nodes) > MAX_COURSES:
            raise TooLargeError(
                f"{self.filename}: a program lists {len(course_nodes):,} courses; the limit is {MAX_COURSES}",
                details={"limit_courses": MAX_COURSES},
            )
        # a part known by its identifier alone (a reference to a record not in the document)
        courses = [
            c for c in (self.course(n) for n in course_nodes) if c["title"] or c["code"] or c["description"]
        ]
        outcomes, prerequisites = self.outcomes(main)
        modes = [text(m) for m in _as_list(main.get("educationalProgramMode"))]
        modes += [text(m) for i in g.all(main, "hasCourseInstance") for m in _as_list(i.get("courseMode"))]
        modes = list(dict.fromkeys(m for m in modes if m))
        features = [f"Program mode: {', '.join(modes)}." if modes else ""]
        features += [f"Duration: {d}" for d in _duration_descriptions(main, g)]
        schedule = _schedule(main)
        if schedule:
            read_from["schedule"] = {"text": f"dayOfWeek / timeOfDay: {schedule}", "source": src}
        record = {
            "id": text(main.get("ctid")) or (main.get("@id") if isinstance(main.get("@id"), str) else None),
            "title": _name(main) or _untitled(text(main.get("description")), read_from, src),
            "provider": providers[0] if providers else None,
            "description": text(main.get("description")),
            "features": "\n".join(f for f in features if f),
            "prerequisites": "\n".join(dict.fromkeys(prerequisites)),
            "credential": credentials[0] if credentials and credentials[0] else None,
            "credentials": list(dict.fromkeys(c for c in credentials[1:] if c)),
            "clock_hours": hours,
            "credit_hours": credit_hours,
            "weeks": weeks,
            "tuition_and_fees": cost[0] if cost is not None else None,
            "schedule": schedule,
            "cip": cip,
            "occupations": list(dict.fromkeys(occupations)),
            "occupation_names": list(dict.fromkeys(occ_names)),
            "outcomes": outcomes,
            "courses": courses,
            "read_from": read_from,
        }
        if record["clock_hours"] is None and courses and all(c["hours"] is not None for c in courses):
            record["clock_hours"] = sum(c["hours"] for c in courses)
        return program_from_dict(record, source_file=self.filename)


def _dated_weeks(node: dict[str, Any], graph: _Graph) -> tuple[float, str] | None:
    """Weeks between a program's (or its first dated course instance's) ``startDate`` and
    ``endDate`` ("2019-02-15" to "2019-03-21": 5 weeks; see
    :func:`~matcher.readers.duration.weeks_spanned`), with what was read; None without both."""
    for n in [node, *graph.all(node, "hasCourseInstance")]:
        start, end = text(n.get("startDate"))[:10], text(n.get("endDate"))[:10]
        try:
            first, last = date.fromisoformat(start), date.fromisoformat(end)
        except ValueError:
            continue
        if 0 < (last - first).days <= 731:  # longer is a window the program is offered in, not its length
            return weeks_spanned(first, last), f"startDate {start} to endDate {end}"
    return None


def _untitled(description: str, read_from: dict[str, Any], src: SourceRef) -> str:
    """A record without a name is titled by the first words of its description (as a text file
    by its first line), and says so in ``read_from``."""
    words = description.split()
    if not words:
        return ""
    first = re.split(r"(?<=[.!?])\s", " ".join(words[:12]), maxsplit=1)[0]
    title = first if len(words) <= 12 or first != " ".join(words[:12]) else first + " …"
    read_from["title"] = {"text": "no name: the first words of the description", "source": src}
    return title


def _category(node: dict[str, Any]) -> str:
    """A credential's category as words: ``HighSchool`` -> "High School", "High school diploma"."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", text(node.get("credentialCategory")))


def _schedule(node: dict[str, Any]) -> str | None:
    """schema.org ``dayOfWeek`` and ``timeOfDay`` ("Monday, Wednesday; Evening"), or None."""
    days = [text(d).rsplit("/", 1)[-1] for d in _as_list(node.get("dayOfWeek"))]
    times = [text(t) for t in _as_list(node.get("timeOfDay"))]
    parts = [", ".join(d for d in days if d), ", ".join(t for t in times if t)]
    return "; ".join(p for p in parts if p) or None


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


def _unwrap(data: Any) -> Any:
    """Registry envelopes (``decoded_resource``), alone or in a list, become their resources."""
    if isinstance(data, dict) and isinstance(data.get("decoded_resource"), dict):
        return data["decoded_resource"]
    if isinstance(data, list):
        return [_unwrap(d) for d in data]
    return data


def _top_nodes(data: Any, filename: str) -> list[dict[str, Any]]:
    """The records of a document: a ``@graph``, a list (of records or graphs) or one record."""
    if isinstance(data, dict) and isinstance(data.get("@graph"), list):
        return [n for n in data["@graph"] if isinstance(n, dict)]
    if isinstance(data, list):
        out: list[dict[str, Any]] = []
        for item in data:
            if isinstance(item, dict) and isinstance(item.get("@graph"), list):
                out += [n for n in item["@graph"] if isinstance(n, dict)]
            elif isinstance(item, dict):
                out.append(item)
        return out
    if isinstance(data, dict):
        return [data]
    raise BadInputError(f"{filename}: a JSON-LD document must be an object or a list of objects")


def programs_from_jsonld(data: Any, filename: str, *, require: bool = True) -> list[Program]:
    """Every program of a parsed JSON-LD document (CTDL or schema.org), in document order."""
    check_nesting(data, filename)
    data = _norm(_unwrap(data))
    nodes = _top_nodes(data, filename)
    graph = _Graph(nodes, filename)
    groups = _groups(graph, nodes)
    if not groups:
        typed = [n for n in nodes if _types(n)]
        if not typed or not require:
            raise BadInputError(
                f"{filename}: the JSON-LD document has no typed resource (@type) to read a program from"
                if not typed
                else f"{filename}: the JSON-LD document describes no program, course or credential"
            )
        groups = [[typed[0]]]
    # Records known by an identifier alone (no name, no description) are references, not programs.
    named = [g for g in groups if any(text(n.get("name")) or text(n.get("description")) for n in g)]
    groups = named or groups
    if len(groups) > MAX_PROGRAMS:
        raise TooLargeError(
            f"{filename} holds {len(groups):,} programs; the limit is {MAX_PROGRAMS:,} per file (split it)",
            details={"limit_programs": MAX_PROGRAMS},
        )
    reader = _Reader(graph, filename)
    return [reader.program(_main(g, graph), g) for g in groups]


def program_from_jsonld(data: Any, filename: str) -> Program:
    """The first program of a parsed JSON-LD document (see :func:`programs_from_jsonld`)."""
    return programs_from_jsonld(data, filename)[0]


def load_json(content: bytes, filename: str, what: str = "JSON-LD") -> Any:
    """Parsed JSON, with the line and column of a syntax error and a clear message for values
    nested too deeply to parse."""
    try:
        return json.loads(decode_text(content))
    except json.JSONDecodeError as exc:
        raise BadInputError(
            f"{filename}: malformed {what} at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    except RecursionError:
        raise BadInputError(
            f"{filename}: the JSON is nested too deeply to read (more than {MAX_NESTING} levels are refused)",
            details={"limit_nesting": MAX_NESTING},
        ) from None


def _read_jsonld(content: bytes, filename: str) -> list[Program]:
    return programs_from_jsonld(load_json(content, filename), filename)


register(Reader("jsonld", (".jsonld",), _read_jsonld))
