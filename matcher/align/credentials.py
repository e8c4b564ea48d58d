"""Named industry credentials and licences in program text, mapped to the occupations they
license or certify for (``resources/credentials.yaml``, every row with its public source), and
the weaker occupation keywords (``resources/occupation_keywords.yaml``: field words such as
"phlebotomy" or "help desk", hand-written, without a source)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources
from typing import Literal

import yaml

Table = Literal["credentials", "keywords"]
_FILES: dict[str, str] = {"credentials": "credentials.yaml", "keywords": "occupation_keywords.yaml"}


@dataclass(frozen=True)
class CredentialRule:
    name: str
    pattern: re.Pattern[str]
    socs: tuple[str, ...]
    kind: str = "keyword"  # licence | certification | registration | keyword
    issuer: str = ""
    source: str = ""  # the public page that ties the credential to the occupations
    basis: str = ""  # what that page establishes

    def citation(self) -> str:
        """One line for evidence: who issues it, which occupations, and the source."""
        who = f"{self.kind} issued by {self.issuer}" if self.issuer else self.kind
        return f"{who}; certifies for SOC {', '.join(self.socs)} (source: {self.source})"


@dataclass(frozen=True)
class CredentialMatch:
    rule: CredentialRule
    text: str  # the matched words
    unit_index: int  # which text unit of the program matched
    start: int
    end: int


@functools.cache
def load_rules(table: Table = "credentials") -> tuple[CredentialRule, ...]:
    raw = yaml.safe_load(resources.files("matcher.resources").joinpath(_FILES[table]).read_text())
    return tuple(
        CredentialRule(
            r["name"],
            re.compile(r["pattern"], re.I),
            tuple(r["soc"]),
            r.get("kind", "keyword"),
            r.get("issuer", ""),
            r.get("source", ""),
            r.get("basis", ""),
        )
        for r in raw
    )


def find_credentials(texts: list[str], table: Table = "credentials") -> list[CredentialMatch]:
    """First match of each rule of ``table`` across ``texts`` (in order). Memoised: one
    alignment asks for the same program's matches once for the signals and once per
    occupation's evidence."""
    return list(_find(tuple(texts), table))


def find_keywords(texts: list[str]) -> list[CredentialMatch]:
    return find_credentials(texts, "keywords")


@functools.lru_cache(maxsize=256)
def _find(texts: tuple[str, ...], table: Table) -> tuple[CredentialMatch, ...]:
    out = []
    for rule in load_rules(table):
        for i, text in enumerate(texts):
            m = rule.pattern.search(text)
            if m:
                out.append(CredentialMatch(rule, m.group(0), i, m.start(), m.end()))
                break
    return tuple(out)
