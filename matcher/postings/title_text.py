"""Job-title normalisation: what a job board adds to a title that says nothing about the job.

``normalise_title("Senior Java Developer (m/w/d) - Berlin, 60k")`` -> ``"java developer"``.
Removed: bracketed asides, gender markers, seniority and contract words, "vacancy for",
"urgent", reference codes, salary figures, places after " in " / " at " / " - ". Common
abbreviations are expanded ("exec" -> "executive", "admin" -> "administrator"). When nothing
is left the folded original is returned, so a normalised title is never empty.

Full normalisation ranks *worse* than the raw title (evaluation/RESULTS.md, issue 6), so the
coder does not use it. It reads titles with two light rewrites instead: :func:`drop_principal`
("PA to Managing Director" -> "PA") and :func:`expand_abbreviations`, whose vector it averages
with the title's own.
"""

from __future__ import annotations

import re

from matcher.text.normalise import fold

_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]|\{[^}]*\}|<[^>]*>")
_GENDER = re.compile(r"\b(?:m|f|w|d|x|h)\s*/\s*(?:m|f|w|d|x|h)(?:\s*/\s*(?:m|f|w|d|x|h))?\b", re.I)
_CODES = re.compile(r"\b(?:ref|req|job|id)\s*[:#.]?\s*[a-z]*\d[\w-]*\b|\b[a-z]*\d{3,}[\w-]*\b|#\s*\w+", re.I)
_MONEY = re.compile(r"[£$€]\s*[\d.,]+\s*k?\b|\b\d+(?:[.,]\d+)?\s*k\b|\b\d+\s*(?:k|rm|usd|eur|gbp)\b", re.I)
# Places and conditions that follow the job: "Cook in Penang", "Chef at Hilton".
_PLACE = re.compile(r"\s+(?:in|at|@|based in|located in|near)\s+.+$", re.I)
# "Nurse - Nights", "Internship - Junior Developer", "Engineer | London", "Clerk / Typist".
_SEPARATOR = re.compile(r"\s+[-|–—:/]\s+|\s*[|/]\s*|\s*[,;]\s+")
_LEAD = re.compile(
    r"^(?:urgent(?:ly)?\s*(?:hiring|required|needed)?|hiring|we are hiring|vacancy(?:\s+for)?|"
    r"immediate(?:\s+hiring)?|job(?:\s+vacancy)?|wanted|position)\s*[:!\-]*\s+",
    re.I,
)
_NOISE_WORDS = {
    "senior",
    "sr",
    "snr",
    "junior",
    "jr",
    "jnr",
    "principal",
    "lead",
    "chief",
    "head",
    "trainee",
    "intern",
    "internship",
    "apprentice",
    "apprenticeship",
    "graduate",
    "entry",
    "level",
    "experienced",
    "fresh",
    "freshers",
    "fresher",
    "part",
    "full",
    "time",
    "parttime",
    "fulltime",
    "temporary",
    "temp",
    "permanent",
    "contract",
    "contractor",
    "freelance",
    "remote",
    "hybrid",
    "urgent",
    "immediate",
    "i",
    "ii",
    "iii",
    "iv",
    "1",
    "2",
    "3",
    "4",
    "male",
    "female",
    "only",
    "new",
}
# Only a few seniority words change the occupation itself ("head chef" is a chef, but
# "head of finance" is a manager); they are kept when nothing else is left.
_ABBREVIATIONS = {
    "exec": "executive",
    "execs": "executives",
    "admin": "administrator",
    "asst": "assistant",
    "assist": "assistant",
    "mgr": "manager",
    "mngr": "manager",
    "mgmt": "management",
    "acct": "accounts",
    "accts": "accounts",
    "rep": "representative",
    "reps": "representatives",
    "dev": "developer",
    "devs": "developers",
    "eng": "engineer",
    "engr": "engineer",
    "tech": "technician",
    "techs": "technicians",
    "coord": "coordinator",
    "supv": "supervisor",
    "spvr": "supervisor",
    "svc": "service",
    "cust": "customer",
    "hr": "human resources",
    "qa": "quality assurance",
    "qc": "quality control",
    "it": "it",
    "ui": "user interface",
    "ux": "user experience",
    "f&b": "food and beverage",
    "r&d": "research and development",
    "rn": "registered nurse",
    "lpn": "licensed practical nurse",
    "cna": "certified nursing assistant",
    "hgv": "heavy goods vehicle",
    "cdl": "truck driver",
}
_TOKEN = re.compile(r"[a-z0-9&+#.]+(?:'[a-z]+)?")
_CUM = re.compile(r"\s+(?:cum|and|&|/|\+|or)\s+", re.I)


def _expand(tokens: list[str]) -> list[str]:
    out = []
    for t in tokens:
        t = t.strip(".")
        out.append(_ABBREVIATIONS.get(t, t))
    return out


def normalise_title(title: str, *, strip_seniority: bool = True) -> str:
    """The job in a job title, lower-cased; see the module docstring. With
    ``strip_seniority=False`` seniority and contract words are kept."""
    raw = fold(title)
    text = _BRACKETS.sub(" ", raw)
    text = _GENDER.sub(" ", text)
    text = _MONEY.sub(" ", text)
    text = _CODES.sub(" ", text)
    text = _LEAD.sub("", text.strip())
    stripped = _PLACE.sub("", text).strip()
    if len(stripped) >= 3:
        text = stripped
    fallback: list[str] = []
    for segment in _SEPARATOR.split(text):
        tokens = _expand(_TOKEN.findall(segment))
        kept = [t for t in tokens if t not in _NOISE_WORDS] if strip_seniority else tokens
        if kept:
            return " ".join(kept)
        fallback = fallback or tokens
    return " ".join(fallback) or raw


# Abbreviations whose expansion helped (or did not hurt) title ranking, each measured alone on the
# JobBERT titles (evaluation/RESULTS.md): "tech" (technology or technician), "qc" and "ux" did
# worse expanded and "exec" no better; they are left as written.
_VARIANT_ABBREVIATIONS = {
    "hr": "human resources",
    "pa": "personal assistant",
    "asst": "assistant",
    "admin": "administrative",
    "qa": "quality assurance",
    "ui": "user interface",
    "f&b": "food and beverage",
    "mgr": "manager",
    "acct": "accounts",
    # Nursing and driving grades that job boards write as letters; none occurs in the JobBERT
    # titles, so these are checked on the UK adverts instead ("RGN / RMN Nights" was coded
    # as a hotel desk clerk).
    "rgn": "registered general nurse",
    "rmn": "registered mental health nurse",
    "rn": "registered nurse",
    "lpn": "licensed practical nurse",
    "lvn": "licensed vocational nurse",
    "cna": "certified nursing assistant",
    "hca": "healthcare assistant",
    "hgv": "heavy goods vehicle",
    "cdl": "commercial driver's license",
}
_VARIANT_TOKEN = re.compile(r"[A-Za-z0-9&]+|[^A-Za-z0-9&]+")
_NOT_A_JOB = {"vacancy", "vacancies", "hiring", "urgent", "urgently", "position", "job", "jobs", "wanted"}
# "Secretary to the CEO", "Driver for Director": the complement names whom the job serves.
_PRINCIPAL = re.compile(
    r"\s+(?:to|for)\s+(?:the\s+|our\s+)?(?:ceo|md|coo|cfo|cto|directors?|managing director|"
    r"general manager|gm|chairman|chairperson|president|founder|partners?|boss|executives?|"
    r"manager|head)\b.*$",
    re.I,
)


def drop_principal(title: str) -> str:
    """``title`` without a complement after "to"/"for" that names whom the job serves
    ("PA to Managing Director" -> "PA", "Driver for Director" -> "Driver"); spaces collapsed."""
    text = " ".join(title.split())
    core = _PRINCIPAL.sub("", text)
    # "Vacancy for Manager Post": what is left must name a job, not the advert.
    if not core or set(_TOKEN.findall(fold(core))) <= _NOT_A_JOB:
        return text
    return core


def expand_abbreviations(title: str) -> str | None:
    """``title`` with a few abbreviations expanded ("PA" -> "personal assistant", "HR" ->
    "human resources"), or None when none occurs. Case and everything else are kept."""
    text = " ".join(title.split())
    parts = _VARIANT_TOKEN.findall(text)
    words = (_VARIANT_ABBREVIATIONS.get(p.lower(), p) if p[0].isalnum() else p for p in parts)
    out = " ".join("".join(words).split())
    return out if out.lower() != text.lower() else None
