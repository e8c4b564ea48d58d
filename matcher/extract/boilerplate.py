"""Language that must not produce skills.

Postings carry boilerplate (equal-opportunity statements, benefits, salary lines, application
instructions, right-to-work statements, company blurbs); curricula carry framing ("Upon
completion of this course, students will be able to ...", "This course introduces ...") and
administrative lines (tuition, credit hours, prerequisites). Whole boilerplate sentences are
dropped; framing is cut off the front of a sentence so that only what follows it ("weld in all
positions") is read.

Pure functions over strings; no model.
"""

from __future__ import annotations

import re

from matcher.extract.types import Kind

_I = re.IGNORECASE

# -- whole sentences ---------------------------------------------------------------------------
_EEO = re.compile(
    r"equal (?:employment )?opportunit|affirmative action|\bEEO\b|\bE-?Verify\b|without regard to|"
    r"regardless of (?:race|age|sex|gender|religion|disability|colou?r|background)|"
    r"race,? colou?r|colou?r,? religion|national origin|sexual orientation|gender identity|"
    r"protected (?:veteran|characteristic|class|status)|veteran status|"
    r"reasonable accommodation|drug[- ]free (?:work|environment)|"
    r"(?:welcome|encourage) applications from|diverse (?:workforce|candidates|backgrounds)|"
    r"committed to (?:diversity|equality|inclusion)|\bm/f/d/v\b|\bminorities/females\b",
    _I,
)
_BENEFITS = re.compile(
    r"\b401\s?\(?k\)?|\bpension\b|paid time off|\bPTO\b|\bdental\b|vision (?:insurance|plan|care)|"
    r"health (?:insurance|plan|benefits)|medical (?:insurance|benefits)|life (?:insurance|assurance)|"
    r"holiday (?:allowance|entitlement|pay)|days'? (?:annual )?(?:holiday|leave)|annual leave|"
    r"bonus scheme|benefits? (?:package|include|including|are)|(?:competitive|attractive|excellent) "
    r"(?:salary|pay|rates?|compensation|remuneration|package|benefits)|\bperks\b|gym membership|"
    r"tuition (?:reimbursement|assistance)|employee (?:discount|assistance)|childcare vouchers|"
    r"company car|car allowance|we (?:can )?offer",
    _I,
)
_SALARY = re.compile(
    r"\bsalary\b|[£$€]\s?[\d*]|\bper (?:annum|hour|day|week|month)\b|\bOTE\b|\bDOE\b|"
    r"\bnegotiable\b|\bhourly rate\b",
    _I,
)
_APPLY = re.compile(
    r"\bto apply\b|\bapply (?:now|today|online|here|via|through|by)\b|send (?:your|an? (?:up to date )?)?"
    r"(?:cv|resume|application)|click (?:apply|here|on)|please (?:contact|call|email|send|apply)|"
    r"for (?:more|further) (?:information|details)|recruitment (?:agency|consultancy|business)|"
    r"employment (?:agency|business)|\bno agencies\b|only shortlisted|successful applicants will|"
    r"closing date|job reference|\bref(?:erence)?[:.]? ?[A-Z0-9/-]{4,}|"
    r"interviews? will (?:be )?(?:held|take)",
    _I,
)
# Said to the applicant (an HR duty such as "carry out right to work checks" is not matched).
_WORK_RIGHTS = re.compile(
    r"\b(?:applicants?|candidates?|you)\b[^.;]{0,40}\b(?:right|eligible|entitled|authori[sz]ed|permitted)"
    r" to (?:live and )?work\b(?! checks?| documents?| documentation| verification)|"
    r"\b(?:no|not|unable to|cannot|can't|don't|won't)\b[^.;]{0,25}\bsponsor(?:ship)?\b|"
    r"\b(?:evidence|proof) of (?:your |the |their )?(?:eligibility|right to work)\b[^.;]{0,60}\brequired\b",
    _I,
)
_COMPANY = re.compile(
    r"^(?:our client|the company|the client|we|they|[A-Z][\w&.'-]*(?: [A-Z][\w&.'-]*){0,4}) "
    r"(?:is|are|has been|have been) (?:an? |one of (?:the )?)?"
    r"(?:leading|global|well[- ]established|established|growing|successful|market[- ]leading|"
    r"award[- ]winning|world[- ]class|highly (?:successful|respected|regarded)|renowned|"
    r"international|independent|privately owned|family[- ]owned|fast[- ]growing|dynamic|"
    r"specialist|respected|major|large|small|national|multinational|innovative)|"
    r"\bfounded in (?:\d{4}|the)|\bheadquartered in\b|\bfor (?:over|more than) \d+ years\b|"
    r"\bour (?:mission|values|vision|culture) (?:is|are)\b|\baward[- ]winning\b",
    _I,
)
_ADMIN = re.compile(
    r"^(?:tuition|fees?|costs?|price|financial aid|credits?|credit hours?|clock hours?|contact hours?|"
    r"prerequisites?|co-?requisites?|schedule|class times?|location|textbooks?|materials fee|"
    r"enrol(?:l)?ment|admission(?: requirements)?|start dates?|duration|delivery|format)\b\s*[:\-]|"
    r"\b(?:financial aid|tuition|registration fee|credit hours?|clock hours|payment plan)\b",
    _I,
)

BOILERPLATE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("equal-opportunity", _EEO),
    ("benefits", _BENEFITS),
    ("salary", _SALARY),
    ("application", _APPLY),
    ("work-authorisation", _WORK_RIGHTS),
    ("company", _COMPANY),
)


def _lowercase(rule: re.Pattern[str]) -> re.Pattern[str]:
    """The case-insensitive ``rule`` as a case-sensitive pattern for lowercased text: the same
    decisions (none of the patterns has an uppercase escape such as ``\\W``), and Python's
    ``re`` runs these long alternations about 2x faster without IGNORECASE (2,277 advert
    sentences through all six posting rules: 0.22 s -> 0.12 s)."""
    if not rule.flags & re.IGNORECASE or re.search(r"\\[A-Z]", rule.pattern):
        raise ValueError(f"cannot lowercase {rule.pattern[:40]!r}")
    return re.compile(rule.pattern.lower())


_EEO_LOWER = _lowercase(_EEO)
_ADMIN_LOWER = _lowercase(_ADMIN)
_RULES_LOWER = tuple((reason, _lowercase(rule)) for reason, rule in BOILERPLATE_RULES[1:])


def boilerplate_reason(sentence: str, kind: Kind = Kind.POSTING) -> str | None:
    """Why ``sentence`` is boilerplate that must not produce skills, or ``None``.

    Equal-opportunity statements are boilerplate in any text; benefits, salary, application,
    work-authorisation and company lines in postings; tuition, credit and schedule lines in curricula.
    """
    low = sentence.lower()
    if _EEO_LOWER.search(low):
        return "equal-opportunity"
    if kind is Kind.CURRICULUM:
        return "administrative" if _ADMIN_LOWER.search(low) else None
    for reason, rule in _RULES_LOWER:
        if rule.search(low):
            return reason
    return None


_CLAUSE = re.compile(r"(?<=[.;!?])\s+|\s+[-–•|]\s+|(?<=:)\s+")
WHOLE_SENTENCE_CHARS = 250  # longer "sentences" (run-on adverts) are judged clause by clause


def blocked_regions(sentence: str, kind: Kind = Kind.POSTING) -> list[tuple[int, int, str]]:
    """Regions of ``sentence`` (start, end, reason) that are boilerplate.

    A short sentence is judged whole; a long one (adverts often lose their line breaks) clause
    by clause, so a salary clause does not take the skills of the rest of the run with it.
    """
    if len(sentence) <= WHOLE_SENTENCE_CHARS:
        reason = boilerplate_reason(sentence, kind)
        return [(0, len(sentence), reason)] if reason else []
    out = []
    start = 0
    for m in [*_CLAUSE.finditer(sentence), None]:
        end = m.start() if m else len(sentence)
        reason = boilerplate_reason(sentence[start:end], kind) if end > start else None
        if reason:
            out.append((start, end, reason))
        start = m.end() if m else end
    return out


# -- framing at the front of a sentence --------------------------------------------------------
_WHO = r"(?:the )?(?:students?|participants?|graduates?|learners?|trainees?|apprentices?|candidates?|you)"
_CAN = (
    r"(?:will|shall|should|can|must|may|are expected to|is expected to|are able to|will have)"
    r"(?: be able to| have the ability to| be prepared to| be ready to)?"
)
_LEARN = (
    r"(?:learn(?: how)? to|learn about|learn|gain (?:\w+ ){0,2}(?:in|of|with)|develop|acquire|practi[cs]e|"
    r"demonstrate(?: the ability to| an understanding of| knowledge of| proficiency in)?|"
    r"understand(?: how to)?|explore|study|master|be introduced to|be trained (?:in|to)|"
    r"receive training in|apply)"
)
# Applied with Pattern.match(sentence, pos), which anchors at pos (no ^ needed).
_FRAMING = [
    re.compile(
        r"(?:upon|after|on|following) (?:the )?(?:successful )?completion(?: of (?:this|the) "
        r"(?:course|program(?:me)?|class|module|unit|training|certificate|curriculum|lesson))?,?\s*",
        _I,
    ),
    re.compile(
        r"(?:by the end of|at the end of|throughout|in|during) (?:this|the) "
        r"(?:course|program(?:me)?|class|module|unit|training|certificate|lesson),?\s*",
        _I,
    ),
    re.compile(
        r"(?:this|the|our) (?:\w+ ){0,3}(?:course|program(?:me)?|class|module|unit|training|"
        r"certificate|curriculum|workshop|lesson)s? (?:will |is designed to |aims to )?"
        r"(?:covers?|introduces?|teaches|provides?|prepares?|includes?|focus(?:es)? on|emphasi[sz]es?|"
        r"explores?|offers?|trains?|gives?|equips?|addresses)\s+"
        r"(?:(?:students?|participants?|learners?|trainees?|you) )?(?:(?:with|for|in|to) )?"
        r"(?:an? (?:introduction|overview|foundation|grounding|understanding|background) (?:to|of|in) )?"
        r"(?:the (?:skills|knowledge) (?:needed |required )?(?:to|for|in) )?(?:how to )?",
        _I,
    ),
    re.compile(rf"{_WHO},? {_CAN}\s+(?:{_LEARN}\s+)?", _I),
    re.compile(rf"{_WHO} (?:learn(?: how)? to|learn|gain|develop|practi[cs]e|study|explore)\s+", _I),
    re.compile(rf"(?:{_LEARN})\s+", _I),
    re.compile(r"(?:topics|content|subjects|areas) (?:covered )?(?:include|includes|are)\s*:?\s*", _I),
    re.compile(r"(?:learning )?(?:outcomes?|objectives?|competenc(?:y|ies))\s*:\s*", _I),
    re.compile(r"(?:how to|the ability to|ability to|an understanding of|understanding of)\s+", _I),
]


def framing_end(sentence: str) -> int:
    """Offset in ``sentence`` where the content starts after curriculum framing (0 if none)."""
    pos = 0
    for _ in range(4):  # framings nest: "Upon completion, students will be able to demonstrate..."
        moved = False
        for rule in _FRAMING:
            m = rule.match(sentence, pos)
            if m and m.end() > pos:
                pos = m.end()
                moved = True
        if not moved:
            break
    # never cut the whole sentence away
    return pos if sentence[pos:].strip(" .;:") else 0


# -- spans that are not skills on their own ----------------------------------------------------
GENERIC_WORDS = frozenset(
    """experience experiences ability abilities knowledge understanding skill skills skillset
    requirement requirements candidate candidates applicant applicants year years plus advantage
    level levels strong solid good excellent great proven deep basic familiarity proficiency
    expertise background degree opportunity opportunities role roles position positions team teams
    job jobs work you we our your they it this that these those who which what desire passion
    interest interests way ways part member members people person student students learner
    learners participant participants trainee trainees course courses program programs programme
    programmes class classes module modules unit units lesson lessons completion end hours hour
    week weeks day days month months time company client organisation organization business
    environment area areas field fields range variety number lot lots etc other others various
    new high key main successful ideal right minimum least more most well able need needs use
    responsibilities responsibility duties duty task tasks things thing aspects aspect manner
    ideally preferably essential desirable required preferred must will would should can could
    looking seeking join growth development career future""".split()
)
_LEAD = re.compile(
    r"^(?:(?:a|an|the|some|any|strong|solid|good|excellent|great|proven|deep|basic|advanced|working|"
    r"hands-on|practical|thorough|in-depth|sound|extensive|demonstrable|demonstrated|previous|prior|"
    r"relevant|professional|commercial|technical|sufficient|general|full|broad)\s+)*"
    r"(?:knowledge|understanding|experience|expertise|familiarity|proficiency|background|skills?|"
    r"abilit(?:y|ies)|capabilit(?:y|ies)|competence|competency|exposure|grasp|command|track record)"
    r"\s+(?:of|in|with|to|using|within|for|on|around|across)\s+",
    _I,
)
_WORD = re.compile(r"[\w#+]+")


def lead_end(span: str) -> int:
    """Offset after a leading "strong knowledge of" / "experience with" (0 if none)."""
    m = _LEAD.match(span)
    return m.end() if m and span[m.end() :].strip() else 0


def is_generic(span: str) -> bool:
    """True when every word of ``span`` is generic ("Experience", "Strong knowledge")."""
    words = [w.lower() for w in _WORD.findall(span)]
    return not words or all(w in GENERIC_WORDS or len(w) < 2 or w.isdigit() for w in words)


# -- what kind of text ---------------------------------------------------------------------------
_CURRICULUM_CUES = re.compile(
    r"\b(?:students?|learners?|trainees?|course(?:work)?|curriculum|syllabus|learning outcomes?|"
    r"upon completion|credit hours?|clock hours|lectures?|semester|instructor|graduates?|"
    r"certificate program|hands-on training|classroom|enrol(?:l)?)\b",
    _I,
)
_POSTING_CUES = re.compile(
    r"\b(?:we are (?:looking|seeking|hiring|recruiting)|you will|you have|the successful candidate|"
    r"apply|salary|responsibilities|requirements|job|vacancy|role|position|employer|benefits|"
    r"per (?:hour|annum)|full[- ]time|part[- ]time|permanent|contract|our client|candidate)\b",
    _I,
)


def detect_kind(text: str) -> Kind:
    """Curriculum or posting, from cue words (ties and cue-less texts count as curriculum,
    which gets the fuller analysis)."""
    head = text[:20_000]
    c = len(_CURRICULUM_CUES.findall(head))
    p = len(_POSTING_CUES.findall(head))
    return Kind.POSTING if p > c else Kind.CURRICULUM
