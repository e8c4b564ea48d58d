"""Industry credentials and licences named in program text, mapped to the occupations they
license (``resources/credentials.yaml``)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

import yaml


@dataclass(frozen=True)
class CredentialRule:
    name: str
    pattern: re.Pattern[str]
    socs: tuple[str, ...]


@dataclass(frozen=True)
class CredentialMatch:
    rule: CredentialRule
    text: str  # the matched words
    unit_index: int  # which text unit of the program matched
    start: int
    end: int


@functools.cache
def load_rules() -> tuple[CredentialRule, ...]:
    raw = yaml.safe_load(resources.files("matcher.resources").joinpath("credentials.yaml").read_text())
    return tuple(CredentialRule(r["name"], re.compile(r["pattern"], re.I), tuple(r["soc"])) for r in raw)


def find_credentials(texts: list[str]) -> list[CredentialMatch]:
    """First match of each rule across ``texts`` (in order). Memoised: one alignment asks for
    the same program's credentials once for the signals and once per occupation's evidence."""
    return list(_find_credentials(tuple(texts)))


@functools.lru_cache(maxsize=256)
def _find_credentials(texts: tuple[str, ...]) -> tuple[CredentialMatch, ...]:
    out = []
    for rule in load_rules():
        for i, text in enumerate(texts):
            m = rule.pattern.search(text)
            if m:
                out.append(CredentialMatch(rule, m.group(0), i, m.start(), m.end()))
                break
    return tuple(out)
