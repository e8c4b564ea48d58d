"""A screened NJ list for the portfolio tests (helpers, no tests): six real ETPL dev programs
screened by the real matcher (``matcher.screening.run.screen``) after ETPL outcome figures were
imported for two of them; a provider user of one screened provider; one program shared with
Employer 1, who recorded a decision on it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from review_support import Partnership, build_partnership, email

from matcher.db import Database
from matcher.evidence.labour import labour_data
from matcher.outcomes.store import import_outcomes
from matcher.review import Actor, accounts, programs, reviews
from matcher.review.auth import authenticate_key
from matcher.screening.reader import read_exports
from matcher.screening.run import align_local, screen
from matcher.screening.store import results_for
from matcher.settings import Settings

# Real NJ ETPL dev programs whose occupations are in the test data slice.
SLICE = ["nj-40812", "nj-48270", "nj-5329", "nj-49762", "nj-257", "nj-676"]
OUTCOMES = (
    b"ETPL Program ID,Program Year,Completion Rate,Placement Rate,Median Earnings\n"
    b"nj-676,2024-25,82%,55%,39000\n"  # placement fails
    b"nj-48270,2024-25,90%,80%,52000\n"  # both pass
)
SHARED = "nj-48270"


@dataclass
class Screened:
    settings: Settings
    db: Database
    p: Partnership
    ids: dict[str, int]  # ETPL id -> program id
    provider: str  # the provider organisation the handle "own" belongs to


def screen_slice(settings: Settings, matcher: Any, etpl: dict[str, dict], home: Path) -> Screened:
    s = Settings(data_dir=settings.data_dir, home=settings.home, database_url=f"sqlite:///{home / 'p.db'}")
    db = Database(s.db_url)
    p = build_partnership(db, passwords=("rev_nj",))
    cli = Actor.command_line("test")
    import_outcomes(db, cli, "NJ", OUTCOMES, filename="nj-performance.csv", source="NJ ETPL performance 2025")
    content = "".join(json.dumps(etpl[i]) + "\n" for i in SLICE).encode()
    export = read_exports([("slice.jsonl", content)], lambda code: matcher.catalog.cip(code) is not None)
    screen(
        db,
        cli,
        export,
        "NJ",
        versions=matcher.versions,
        aligner=align_local(matcher),
        settings=s,
        labour=labour_data(s.data_dir),
    )
    with db.session() as session:
        rows = results_for(session, cli, "NJ", SLICE)
    ids = {r["external_id"]: r["program_id"] for r in rows}
    provider = next(r["provider"]["name"] for r in rows if r["external_id"] == SHARED)
    accounts.create_user(db, cli, email=email("own"), name="Own Provider", role="provider", org=provider)
    _, p.keys["own"] = accounts.create_api_key(db, cli, user=email("own"), label="tests")
    p.actors["own"] = authenticate_key(db, p.keys["own"])
    programs.share_program(db, p.actors["own"], ids[SHARED], p.orgs["Employer 1"]["id"])
    top = next(r for r in rows if r["external_id"] == SHARED)["top_occupation"]["code"]
    reviews.create_review(db, p.actors["emp1"], ids[SHARED], occupation=top, decision="required_at_hire")
    return Screened(s, db, p, ids, provider)
