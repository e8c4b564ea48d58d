"""Credentials named only by their kind ("Certificate of Completion", "Associate's Degree", "At
least one year but less than two year Certificate"), which say nothing about the occupation a
program prepares for or what it teaches, and the named ones among a credential field's parts."""

from __future__ import annotations

import re

GENERIC_CREDENTIAL = re.compile(
    r"^(((technical|career|vocational|professional|academic|college|credit|non-?credit|advanced|basic|"
    r"short[- ]term|workforce|occupational|skills?|program|completion)\s+)?(certificate|diploma)"
    r"( of (completion|achievement|proficiency|training|attendance|participation|mastery))?|"
    r"associate (of|in) applied science( degree)?|license|licen[cs]e|"
    r"(associate'?s?|bachelor'?s?|master'?s?) degree|.*\bless than\b.*certificate|"
    r"community college certificate|industry[- ]recognized credential|none|n/?a|other|"
    r"postsecondary (certificate|award)|high school diploma)$",
    re.I,
)


def named_credentials(text: str) -> list[str]:
    """The parts of a credential field (split on ``;`` / ``|``) that name a credential, in order:
    "CompTIA A+; Certificate of Completion" -> ["CompTIA A+"]."""
    parts = (p.strip() for p in re.split(r"[;|]", text))
    return [p for p in parts if p and not GENERIC_CREDENTIAL.match(p)]
