"""The pieces of a program's text that can stand as evidence that it teaches something.

A program is read as its labelling protocol reads it (``gaps-labelling.md`` of the evaluation
set): the title, description, features, credentials, course titles, course descriptions and
outcomes count; prerequisites do not (they are required before entry). Within those, sentences
about careers, jobs and settings ("graduates will be able to work in hospitals"), about who
should enrol, or about how the course is delivered are never evidence, nor are the curriculum
framings the skill extractor already strips ("students will learn to ...").

Each sentence gives several candidate spans, from the whole content down to its clauses and
the skill extractor's phrases, so that the evidence shown for a decision is the shortest span
that supports it rather than a long sentence that mentions ten things.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from matcher.extract import Kind
from matcher.extract.analysis import Analysis, Analyzer
from matcher.program import Program, TextUnit
from matcher.text.credential_kinds import named_credentials

# Span kinds, from the widest to the narrowest. "title" is a program or course title: a course
# named after a subject teaches it.
KINDS = ("sentence", "clause", "phrase", "title", "credential")
# Where a span stands, grouped: titles (program, course), statements (description, outcomes,
# course descriptions), features (an ETPL's free "features" field), credentials.
FIELD_GROUPS = {
    "title": "title",
    "course title": "title",
    "description": "statement",
    "outcome": "statement",
    "course description": "statement",
    "features": "features",
    "credential": "credential",
}
GROUPS = ("title", "statement", "features", "credential")

_WHO = r"(?:graduates?|students?|participants?|trainees?|learners?|you|completers?)"
# An organisation's name: capitalised words ending in what kind of body it is.
_NAME_WORD = r"[A-Z][\w.'-]*"
_ORGANISATION = (
    r"(?:Center|Centre|Institute|Association|Council|Board|Foundation|Academy|College|University|"
    r"Corporation|Agency|Alliance|Federation|Society)"
)
# Careers, settings, audience and delivery: never teaching (labelling protocol: "marketing
# phrases ... and job-outlook sentences ... are not teaching").
NOT_TEACHING = re.compile(
    rf"\b{_WHO}\b[^.;]{{0,60}}\b(?:will be |are |is )?(?:able|qualified|eligible|ready|prepared)? ?"
    r"(?:to |can |may |could )(?:work|obtain|find|seek|secure|pursue|gain) (?:employment|jobs?|work|"
    r"positions?|careers?|in (?:hospitals?|clinics?|offices?|restaurants?|the field))|"
    rf"\b{_WHO}\b[^.;]{{0,40}}\b(?:can|may|could|will) work (?:in|at|for|as)\b|"
    r"\b(?:employment|careers?|jobs?|positions?|work) (?:as|in|at) (?:an? )?(?:entry[- ]level )?|"
    r"\bentry[- ]level (?:employment|positions?|jobs?|careers?)\b|\bareas? of employment\b|"
    r"\b(?:employment|career|job) (?:opportunit\w+|outlook|prospects?|placement|growth)\b|"
    r"\bto become (?:an? |certified )|\bin[- ]demand\b|\bhigh[- ]demand\b|"
    r"\bwho should (?:enrol+|attend|apply)\b|\bideal for\b|"
    r"\bdesigned for (?:individuals|people|those|anyone)\b|\brewarding career\b|"
    r"\b(?:taught|offered|delivered) (?:using |in |through |via )?(?:an? )?(?:hybrid|online|blended|virtual)|"
    r"\b(?:zoom|microsoft teams|laptop|webcam|internet access|distance education)\b|"
    r"\bassigned (?:an? )?(?:\w+ )?mentors?\b|\binteract directly with employers\b|"
    # the job market: where the jobs are, demand, hiring and pay
    r"\b(?:roles?|jobs?|positions?|careers?|openings?|graduates|technicians|workers|professionals|"
    r"specialists)\b[^.;]{0,40}?\b(?:are|is) (?:found|available|needed|employed|hired|growing|"
    r"expected to grow|in (?:high |strong )?demand)\b|"
    r"\b(?:demand for|shortage of)\b[^.;]{0,40}\b(?:workers|technicians|professionals|specialists|"
    r"nurses|drivers|welders|graduates|employees|staff)\b|\bemployers (?:are )?(?:hiring|hire|seeking|"
    r"looking for|need)\b|\b(?:median|average|starting|entry[- ]level) (?:hourly |annual )?"
    r"(?:wages?|salar(?:y|ies)|pay|earnings)\b|\bearn(?:ing)? (?:up to |an average of |about )?\$|"
    r"\bprojected to (?:grow|increase|decline)\b|\bemployment of\b|"
    # the jobs the program leads to, named: "positions such as cook, line cook, prep cook"
    r"\b(?:positions?|careers?|jobs?|occupations?|job titles?|roles?) (?:such as|like|including|include)\b|"
    # what workers in the occupation do, told as a job description, not as what is taught
    r"\b(?:duties|responsibilities) (?:may |typically |often )?(?:include|involve)\b|"
    r"\b(?:they|workers|technicians|assistants|aides|mechanics|installers|operators|drivers) "
    r"(?:typically|usually|often|generally|also may|may also) (?:work|perform|inspect|install|repair|"
    r"assist|help|clean|operate|are responsible)\b|"
    r"^\W*(?:the\s+|our\s+|these\s+|most\s+|many\s+)?(?!(?:explain|describe|identify|discuss|list|"
    r"understand|demonstrate|know|learn|review|compare)\b)(?:[\w-]+\s+){0,3}(?:workers|assistants|"
    r"technicians|aides|mechanics|installers|operators|drivers|technologists|professionals)\s+"
    r"(?:are|play|keep|may|typically|usually|often|must|also|work)\b|"
    # accreditation and approval of the program, admission and entry requirements
    r"\b(?:program|course|school|college|institution|curriculum)\b[^.;]{0,40}\b(?:is|are|holds?|has|"
    r"received|earned)\b[^.;]{0,20}\b(?:accredited|approved|approval|accreditation)\b|"
    r"\b(?:accredited|approved) by the (?:state|board|department|commission|council)\b|"
    r"\b(?:full|program|state) approval\b|"
    r"\bapplicants?\b|\badmission\b|\b(?:high school diploma|GED)\b|"
    r"\bbackground (?:check|screening)|\bdrug (?:test|screen)|\bmust (?:be at least|possess|submit)\b|"
    # what a candidate must bring to a credential or program ("candidates must graduate with an
    # accredited associate degree in occupational therapy"), not what it teaches
    r"\bcandidates? must\b|\bmust (?:first )?(?:graduate|have graduated) (?:with|from)\b|"
    r"\bmust (?:already )?hold an?\b|"
    r"^\W*possess\b|"
    # where the credits go (transfer, articulation), not what the courses teach: "Credits earned
    # may be applied to the Computer Security Certificate and the Computer Systems Support, A.A.S."
    r"\bcredits?\b[^.;]{0,60}?\b(?:may|can|will|are|is)\s+(?:also\s+)?(?:be\s+)?(?:applied|transferred|"
    r"counted|used)\s+(?:to|toward|towards)\b|\b(?:appl(?:y|ies)|counts?)\s+(?:directly\s+)?towards?\s+"
    r"(?:an?\s+|the\s+)?(?:[\w.,'-]+\s+){0,5}?(?:degree|certificate|diploma|A\.?A\.?S\.?|associate)\b|"
    r"\barticulation\s+agreements?\b|\btransfer(?:able)?\s+credits?\b|\b(?:college|advanced)\s+credits?\b|"
    # an address on the web is never what a program teaches
    r"\bhttps?://|\bwww\.|"
    # nor an organisation's name standing alone ("National Center for Construction Education &
    # Research", "Metro Technical Institute") or a provider's registration ("NABCEP Registered Provider")
    r"\b(?:registered|approved|authori[sz]ed|accredited) (?:training |education )?providers?\b|"
    rf"(?-i:^\W*(?:(?:{_NAME_WORD}\s+){{1,6}}{_ORGANISATION}\s+(?:for|of)\s+(?:(?:{_NAME_WORD}|&|and)\s*)+"
    rf"|(?:{_NAME_WORD}\s+){{2,6}}{_ORGANISATION})\W*$)",
    re.IGNORECASE,
)
# Clause boundaries inside a sentence: list separators and the words that join list items.
_CLAUSE = re.compile(r"\s*(?:[;:•]|,|\band\b|\bor\b|\bincluding\b|\bsuch as\b|\bas well as\b)\s*")
MIN_CLAUSE_CHARS = 3


@dataclass(frozen=True)
class EvidenceSpan:
    """A piece of program text that may show a requirement is taught."""

    text: str
    sentence: str  # the sentence it stands in (for a title or credential, the text itself)
    unit: int  # index of its text unit (see :func:`curriculum_units`)
    start: int  # offsets of ``text`` in that unit's text
    end: int
    kind: str  # one of KINDS
    group: str  # one of GROUPS


def _clauses(content: str) -> list[tuple[int, int]]:
    """Offsets of the clauses of a sentence's content (list items and joined phrases)."""
    out, pos = [], 0
    for m in [*_CLAUSE.finditer(content), None]:
        end = m.start() if m else len(content)
        piece = content[pos:end]
        stripped = piece.strip(" .()")
        if stripped:
            a = pos + piece.index(stripped)
            out.append((a, a + len(stripped)))
        if m is None:
            break
        pos = m.end()
    return out


def curriculum_units(program: Program) -> list[TextUnit]:
    """The program's text units a reader of the curriculum would read (never prerequisites)."""
    return [u for u in program.iter_units() if (u.source.field or "description") in FIELD_GROUPS]


def is_teaching(sentence: str) -> bool:
    return NOT_TEACHING.search(sentence) is None


def evidence_spans(units: list[TextUnit], analysis: Analysis) -> list[EvidenceSpan]:
    """Candidate evidence spans of ``units`` from the extractor's ``analysis`` of their texts
    (sentences with boilerplate and framing marked, and the span model's and parser's phrases),
    without duplicates (the first, widest occurrence of a text is kept)."""
    out: list[EvidenceSpan] = []
    seen: set[str] = set()

    def add(text: str, sentence: str, unit: int, start: int, kind: str) -> None:
        key = text.lower()
        if len(text) < MIN_CLAUSE_CHARS or key in seen:
            return
        seen.add(key)
        group = FIELD_GROUPS.get(units[unit].source.field or "description", "statement")
        out.append(EvidenceSpan(text, sentence, unit, start, start + len(text), kind, group))

    generic: set[int] = set()
    for u, unit in enumerate(units):
        if FIELD_GROUPS.get(unit.source.field or "") in ("title", "credential"):
            kind = "title" if FIELD_GROUPS[unit.source.field or ""] == "title" else "credential"
            if kind == "credential" and not named_credentials(unit.text):  # "Certificate of Completion"
                generic.add(u)
                continue
            add(unit.text, unit.text, u, 0, kind)
    for k, s in enumerate(analysis.sentences):
        if s.is_boilerplate or s.text_index in generic:
            continue
        lead = len(s.text[s.content :]) - len(s.text[s.content :].lstrip())
        content = s.text[s.content :].strip().rstrip(".")
        if not content:
            continue
        base = s.start + s.content + lead  # offset of content in the unit
        clauses = _clauses(content)
        first = next((i for i, (a, b) in enumerate(clauses) if not is_teaching(content[a:b])), None)
        # a career or delivery clause takes itself and what follows it ("work in hospitals,
        # clinics and physicians' offices") out of the evidence, not the clauses before it
        blocked = clauses[first:] if first is not None else []
        if not blocked:
            add(content, s.text, s.text_index, base, "sentence")
        for a, b in clauses:
            piece = content[a:b]
            if (a, b) not in blocked and piece != content:
                add(piece, s.text, s.text_index, base + a, "clause")
        for c in analysis.candidates[k]:
            a, b = c.start - base, c.end - base
            if s.allowed(c.start - s.start, c.end - s.start) and not any(a < e and b > f for f, e in blocked):
                add(c.text, s.text, s.text_index, c.start, "phrase")
    return out


def analyse_units(analyzer: Analyzer, units: list[TextUnit], *, span_model: bool = True) -> Analysis:
    """Sentences (boilerplate and framing marked) and candidate phrases: the parser's noun chunks
    and verb-object phrases, and with ``span_model`` the SkillSpan tagger's spans."""
    texts = [u.text for u in units]
    return analyzer.analyse(texts, [Kind.CURRICULUM] * len(texts), model=span_model)
