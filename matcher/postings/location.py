"""Where a posting is: city, county, metro, state, country, as far as the source says.

Nothing is guessed beyond the text: ``"Newark, NJ 07102"`` -> city Newark, state NJ, postal
code 07102; ``"Bergen County, New Jersey"`` -> county Bergen County, state NJ;
``"New York-Newark-Jersey City, NY-NJ-PA MSA"`` -> metro. US states are stored as their
two-letter codes so ``?area=NJ`` and ``?area=New Jersey`` find the same postings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

US_STATES = {
    "AL": "Alabama",
    "AK": "Alaska",
    "AZ": "Arizona",
    "AR": "Arkansas",
    "CA": "California",
    "CO": "Colorado",
    "CT": "Connecticut",
    "DE": "Delaware",
    "DC": "District of Columbia",
    "FL": "Florida",
    "GA": "Georgia",
    "HI": "Hawaii",
    "ID": "Idaho",
    "IL": "Illinois",
    "IN": "Indiana",
    "IA": "Iowa",
    "KS": "Kansas",
    "KY": "Kentucky",
    "LA": "Louisiana",
    "ME": "Maine",
    "MD": "Maryland",
    "MA": "Massachusetts",
    "MI": "Michigan",
    "MN": "Minnesota",
    "MS": "Mississippi",
    "MO": "Missouri",
    "MT": "Montana",
    "NE": "Nebraska",
    "NV": "Nevada",
    "NH": "New Hampshire",
    "NJ": "New Jersey",
    "NM": "New Mexico",
    "NY": "New York",
    "NC": "North Carolina",
    "ND": "North Dakota",
    "OH": "Ohio",
    "OK": "Oklahoma",
    "OR": "Oregon",
    "PA": "Pennsylvania",
    "RI": "Rhode Island",
    "SC": "South Carolina",
    "SD": "South Dakota",
    "TN": "Tennessee",
    "TX": "Texas",
    "UT": "Utah",
    "VT": "Vermont",
    "VA": "Virginia",
    "WA": "Washington",
    "WV": "West Virginia",
    "WI": "Wisconsin",
    "WY": "Wyoming",
    "PR": "Puerto Rico",
    "GU": "Guam",
    "VI": "U.S. Virgin Islands",
    "AS": "American Samoa",
    "MP": "Northern Mariana Islands",
}
_STATE_BY_NAME = {v.lower(): k for k, v in US_STATES.items()}
_COUNTRIES = {
    "us": "US",
    "usa": "US",
    "u.s.": "US",
    "u.s.a.": "US",
    "united states": "US",
    "united states of america": "US",
    "uk": "GB",
    "gb": "GB",
    "united kingdom": "GB",
    "great britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "canada": "CA",
}
_ZIP = re.compile(r"\b(\d{5})(?:-\d{4})?\b")
_METRO = re.compile(r"\b(?:msa|metro(?:politan)?(?: area| division| statistical area)?|cbsa)\b", re.I)
_COUNTY = re.compile(r"\b(?:county|parish|borough)\b", re.I)


@dataclass
class Location:
    city: str | None = None
    county: str | None = None
    metro: str | None = None
    state: str | None = None
    country: str | None = None
    postal_code: str | None = None

    def merge_into(self, target: Any) -> None:
        """Fill the empty location fields of ``target`` (a PostingRecord) from this one."""
        for name in ("city", "county", "metro", "state", "country", "postal_code"):
            if getattr(target, name, None) in (None, "") and getattr(self, name):
                setattr(target, name, getattr(self, name))


def normalise_state(value: str | None) -> str | None:
    """US state name or code -> two-letter code; anything else unchanged (trimmed)."""
    if not value:
        return None
    v = " ".join(value.split()).strip(" .,")
    if v.upper() in US_STATES:
        return v.upper()
    return _STATE_BY_NAME.get(v.lower(), v or None)


def normalise_country(value: str | None) -> str | None:
    if not value:
        return None
    v = " ".join(value.split()).strip(" .,")
    return _COUNTRIES.get(v.lower(), v.upper() if len(v) == 2 else v)


def parse_location(text: str | None) -> Location:
    """Split a free-text location; see the module docstring."""
    loc = Location()
    if not text:
        return loc
    text = " ".join(text.split())
    if _METRO.search(text):
        loc.metro = text
        return loc
    m = _ZIP.search(text)
    if m:
        loc.postal_code = m.group(1)
        text = (text[: m.start()] + text[m.end() :]).strip(" ,")
    parts = [p.strip() for p in text.split(",") if p.strip()]
    rest: list[str] = []
    for part in parts:
        country = _COUNTRIES.get(part.lower())
        state = normalise_state(part)
        if country and not loc.country:
            loc.country = country
        elif state in US_STATES and not loc.state:
            loc.state = state
        elif _COUNTY.search(part) and not loc.county:
            loc.county = part
        else:
            rest.append(part)
    if rest:
        loc.city = rest[0]
    if loc.state and not loc.country:
        loc.country = "US"
    return loc


def area_values(area: str) -> list[str]:
    """The stored forms an ``?area=`` value may take (``New Jersey`` -> ``NJ`` too)."""
    a = " ".join(area.split())
    values = {a.lower()}
    state = normalise_state(a)
    if state:
        values.add(state.lower())
    return sorted(values)
