"""Importing postings into a real SQLite file and real PostgreSQL with the real coder (encoder and
indexes over the data slice): round trip, duplicates, per-record errors, atomic batches, coding,
demand and demand-ranked gaps."""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import pytest
from sqlalchemy import func, select

from matcher.db import Database
from matcher.db.tables import ImportBatch, Posting, PostingMinhash, PostingSkill
from matcher.postings.coding import OccupationCoder
from matcher.postings.demand import occupation_demand, stats
from matcher.postings.readers import parse_postings
from matcher.postings.record import PostingRecord, ReadResult
from matcher.postings.store import PostingStore
from matcher.program import Program

pytest_plugins = ("test_db_support",)  # fixtures: db_url (SQLite and PostgreSQL), database

WELDER_TEXT = (
    "We are hiring a welder for our fabrication shop. You will weld carbon steel and aluminum parts "
    "with MIG and TIG processes in flat, horizontal and vertical positions, read blueprints and weld "
    "symbols, cut parts with plasma and oxy-fuel torches, grind and finish welds and inspect your work "
    "against the drawings. One year of welding experience and a valid certification are required. "
    "Day shift, overtime available, health insurance and paid time off."
)
NURSE_TEXT = (
    "Registered nurse for a medical surgical unit. Assess patients, administer medications, monitor "
    "vital signs, document care in the electronic health record, educate patients and families and "
    "coordinate with physicians. Current state RN license and BLS certification required; two years "
    "of acute care experience preferred. Rotating twelve hour shifts."
)


@pytest.fixture(scope="module")
def coder(matcher) -> OccupationCoder:  # type: ignore[no-untyped-def]
    c = OccupationCoder.from_matcher(matcher)
    c.warm()
    return c


@pytest.fixture
def store(database: Database, coder: OccupationCoder) -> PostingStore:
    return PostingStore(database, coder)


def _jsonl(*records: dict) -> ReadResult:
    _, result = parse_postings("\n".join(json.dumps(r) for r in records).encode(), "t.jsonl")
    return result


def _count(db: Database, column) -> int:  # type: ignore[no-untyped-def]
    with db.session() as s:
        return int(s.scalar(select(func.count(column))) or 0)


def test_jsonld_round_trip_stores_every_field(store: PostingStore, database: Database) -> None:
    from test_postings_readers import JOB_POSTING

    fmt, result = parse_postings(json.dumps(JOB_POSTING).encode(), "acme.jsonld")
    report = store.import_result(result, source="acme.jsonld", fmt=fmt)
    assert (report.stored, report.errors) == (1, [])
    with database.session() as s:
        p = s.scalars(select(Posting)).one()
    assert p.title == "Welder / Fabricator" and "MIG and TIG welder" in p.description
    assert p.employer == "Acme Fabrication" and p.source == "acme.jsonld"
    assert (p.city, p.state, p.postal_code, p.country) == ("Newark", "NJ", "07102", "US")
    assert p.date_posted == date(2024, 3, 18)
    assert (p.salary_min, p.salary_max, p.salary_currency, p.salary_period) == (22.5, 30.0, "USD", "HOUR")
    assert p.stated_code == "51-4121.00" and p.stated_category.startswith("51-4121.00")
    assert p.stated_skills == "gas metal arc welding; blueprint reading"
    assert p.external_id == "ACME-1234" and p.employment_type == "FULL_TIME; CONTRACTOR"
    # a stated O*NET-SOC code wins over the coder
    assert (p.occupation_code, p.coding_method, p.needs_review) == ("51-4121.00", "stated", False)
    assert p.candidates and p.coder_version.startswith("coder-v2+")
    assert p.cluster_id == p.id and len(p.text_hash) == 64
    assert _count(database, PostingMinhash.posting_id) == 16


def test_duplicates_and_near_duplicates(store: PostingStore, database: Database) -> None:
    welder = {"id": "w1", "title": "Welder", "description": WELDER_TEXT, "location": "Newark, NJ"}
    nurse = {"id": "n1", "title": "Registered Nurse", "description": NURSE_TEXT, "location": "Camden, NJ"}
    repost = {**welder, "id": "w2", "description": WELDER_TEXT.replace("Day shift", "Day or evening shift")}
    first = store.import_result(_jsonl(welder, nurse, welder), source="a.jsonl", fmt="jsonl")
    assert (first.stored, first.duplicates, first.near_duplicates) == (2, 1, 0)
    again = store.import_result(_jsonl(welder, nurse, repost), source="b.jsonl", fmt="jsonl")
    assert (again.stored, again.duplicates, again.near_duplicates) == (1, 2, 1)
    assert [o.status for o in again.outcomes] == ["duplicate", "duplicate", "near_duplicate"]
    with database.session() as s:
        rows = {p.external_id: p for p in s.scalars(select(Posting))}
    assert rows["w2"].cluster_id == rows["w1"].id != rows["n1"].cluster_id
    assert _count(database, Posting.id) == 3
    assert stats(database)["distinct_postings"] == 2


def test_bad_records_are_reported_and_good_ones_stored(store: PostingStore, database: Database) -> None:
    data = (
        b'{"title": "Welder", "description": "' + WELDER_TEXT.encode() + b'"}\n'
        b'{"title": "Cook", "description": ""}\n'
        b"{broken\n"
        b'{"title": "Nurse \xff", "description": "x"}\n'
        b'{"title": "", "description": "' + NURSE_TEXT.encode() + b'"}\n'
    )
    fmt, result = parse_postings(data, "mixed.jsonl")
    report = store.import_result(result, source="mixed.jsonl", fmt=fmt)
    assert report.stored == 2  # the untitled posting is kept and coded from its description
    assert [(e.line, e.message.split(" (")[0]) for e in report.errors] == [
        (2, "the posting has an empty description"),
        (3, "invalid JSON"),
        (4, "not valid UTF-8 text"),
    ]
    with database.session() as s:
        batch = s.scalars(select(ImportBatch)).one()
    assert (batch.received, batch.stored, batch.errors) == (5, 2, 3)
    assert [e["line"] for e in batch.error_report] == [2, 3, 4]


def test_a_failing_batch_writes_nothing(store: PostingStore, database: Database, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import matcher.postings.store as store_module

    calls = {"n": 0}
    real = store_module.PostingStore._posting

    def flaky(*args, **kw):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        return real(*args, **kw)

    monkeypatch.setattr(store_module.PostingStore, "_posting", staticmethod(flaky))
    welder = {"title": "Welder", "description": WELDER_TEXT}
    nurse = {"title": "Nurse", "description": NURSE_TEXT}
    with pytest.raises(RuntimeError):
        store.import_result(_jsonl(welder, nurse), source="x.jsonl", fmt="jsonl")
    for column in (Posting.id, ImportBatch.id, PostingMinhash.posting_id):
        assert _count(database, column) == 0


def test_coding_confidence_and_abstention(coder: OccupationCoder) -> None:
    posts = [
        # An exact O*NET title wins over the crosswalk, which links ESCO "welder" more closely to
        # 51-4122 (machine operators) than to 51-4121 (see matcher.postings.coding).
        PostingRecord(title="Welder", description=WELDER_TEXT),
        PostingRecord(title="Registered Nurse (RN) - Med/Surg", description=NURSE_TEXT),
        PostingRecord(title="Qwzx Blorf", description="Lorem ipsum dolor sit amet."),
        PostingRecord(title="Anything", description="x", stated_code="53-3032"),
    ]
    welder, nurse, junk, stated = coder.code(posts)
    assert welder.code == "51-4121.00" and not welder.needs_review and 0 < welder.confidence <= 1
    assert nurse.code == "29-1141.00"
    assert junk.needs_review and junk.code is None and junk.candidates and junk.confidence < welder.confidence
    assert (stated.code, stated.method, stated.confidence) == ("53-3032.00", "stated", 1.0)
    assert welder.candidates[0]["code"] == "51-4121.00" and len(welder.candidates) == 5
    ranked = coder.rank_titles(["welder", "truck driver"], 5, adapt_prior=False)
    assert ranked[0].onet[0][0].startswith("51-41")
    assert any(code.startswith("53-303") for code, _ in ranked[1].onet[:3])
    labels = coder.catalog.esco_occupations
    assert "driver" in labels[ranked[1].esco[0][0]].label


def test_titles_drop_the_principal_and_average_expanded_abbreviations(coder: OccupationCoder) -> None:
    enc, ranker = coder.encoder, coder.ranker
    pa, expanded = enc.encode(["PA", "personal assistant"])
    vec = ranker.encode(["PA to the Managing Director", "Welder"])
    assert np.allclose(vec[0], (pa + expanded) / 2, atol=1e-5)
    assert np.allclose(vec[1], enc.encode(["Welder"])[0], atol=1e-5)
    labels = coder.catalog.esco_occupations
    # The principal ("Managing Director") does not move the ranking: the job is the assistant.
    titles = ["PA to Managing Director", "PA", "Truck Driver for the Director", "RGN S Days Nights Crewe"]
    ranked = coder.rank_titles(titles, 3, adapt_prior=False)
    assert ranked[0].esco == ranked[1].esco
    assert any(w in labels[ranked[0].esco[0][0]].label for w in ("assistant", "secretary"))
    assert "driver" in labels[ranked[2].esco[0][0]].label
    assert ranked[3].onet[0][0] == "29-1141.00"  # Registered Nurses (unexpanded: a sailor)


def _add_skills(db: Database, code: str, skills_by_posting: list[list[tuple[str, str, str]]]) -> None:
    """Skill rows as an extractor would store them (taxonomy, id, label)."""
    with db.transaction() as s:
        batch = ImportBatch(source="test", format="jsonl")
        s.add(batch)
        s.flush()
        for i, skills in enumerate(skills_by_posting):
            p = Posting(
                batch_id=batch.id,
                source="test",
                title=f"Welder {i}",
                description="Welds.",
                text_hash=f"{code}-{i}",
                occupation_code=code,
                state="NJ" if i < 3 else "PA",
                date_posted=date(2024, 1 + i, 1),
            )
            s.add(p)
            s.flush()
            p.cluster_id = p.id
            s.add_all(
                PostingSkill(posting_id=p.id, taxonomy=t, skill_id=k, label=lbl) for t, k, lbl in skills
            )


def test_demand_shares_by_area_and_period(database: Database) -> None:
    tig = ("esco", "skill:tig", "use TIG welding")
    blue = ("esco", "skill:blueprints", "read blueprints")
    _add_skills(database, "51-4121.00", [[tig, blue], [tig], [blue], [tig]])
    d = occupation_demand(database, "51-4121.00")
    assert d.postings == 4 and d.skills[0].label == "use TIG welding" and d.skills[0].share == 0.75
    nj = occupation_demand(database, "51-4121.00", area="New Jersey")
    assert nj.postings == 3 and {s.label: s.share for s in nj.skills} == {
        "use TIG welding": pytest.approx(2 / 3),
        "read blueprints": pytest.approx(2 / 3),
    }
    recent = occupation_demand(database, "51-4121.00", area="nj", since=date(2024, 2, 1))
    assert recent.postings == 2 and recent.by_month == {"2024-02": 1, "2024-03": 1}
    assert occupation_demand(database, "29-1141.00").postings == 0
    assert nj.shares()["skill:tig"] == pytest.approx(2 / 3) and "use tig welding" in nj.shares()


def test_gaps_rank_missing_skills_by_posting_demand(matcher, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from matcher.db import get_database

    code = "51-4121.00"
    program = Program(title="Welding Basics", description="Students learn shop safety and OSHA 10.")
    before = matcher.gaps(program, code)
    assert before.ranking == "importance"
    missing = [g.competency.lead for g in before.missing]
    wanted = [(r.taxonomy, r.id, r.label) for r in missing[-3:]]  # the least important ones
    db = get_database(matcher.settings)
    _add_skills(db, code, [wanted, wanted[:1], wanted[:2], []])
    after = matcher.gaps(program, code)
    assert after.ranking == "posting-demand"
    top = after.to_dict()["missing"][:3]
    assert [m["label"] for m in top] == [w[2] for w in wanted]
    assert [m["demand_share"] for m in top] == [0.75, 0.5, 0.25]
    assert matcher.gaps(program, code, area="Texas").ranking == "importance"


def test_extracted_skills_become_demand_that_ranks_gaps(matcher, database: Database, coder) -> None:  # type: ignore[no-untyped-def]
    """The real skill extractor: skills with offsets are stored, shares computed per occupation and
    area, and the gap report ranks missing skills by those shares and shows them."""
    from matcher.postings.store import posting_text

    store = PostingStore(database, coder, matcher.extractor)
    adverts = [
        {"title": "Welder", "description": WELDER_TEXT, "location": "Newark, NJ", "soc": "51-4121.00"},
        {
            "title": "Welder",
            "description": "TIG welder for stainless steel piping. Read blueprints, inspect welds. "
            "Forklift a plus.",
            "location": "Trenton, NJ",
            "soc": "51-4121.00",
        },
        {
            "title": "Welder",
            "description": "MIG welding of steel frames; grind welds.",
            "location": "Erie, PA",
            "soc": "51-4121",
        },
    ]
    report = store.import_result(_jsonl(*adverts), source="t.jsonl", fmt="jsonl")
    assert report.stored == 3 and report.skills_extracted and report.skills > 0
    with database.session() as s:
        posting = s.scalars(select(Posting).where(Posting.city == "Newark")).one()
        rows = s.scalars(select(PostingSkill).where(PostingSkill.posting_id == posting.id)).all()
    text = posting_text(posting.title, posting.description)
    assert rows and all(text[r.start : r.end] == r.matched_text for r in rows if r.start is not None)
    demand = occupation_demand(database, "51-4121.00", area="NJ")
    assert demand.postings == 2 and demand.skills and demand.skills_extracted == 2
    assert all(0 < s.share <= 1 for s in demand.skills) and demand.skills[0].share >= demand.skills[-1].share
    program = Program(title="Welding Basics", description="Students learn shop safety and OSHA 10.")
    report = matcher.gap_analyzer.analyze(program, "51-4121.00", demand=demand.shares())
    assert report.ranking == "posting-demand"
    shares = [m["demand_share"] for m in report.to_dict()["missing"]]
    assert shares == sorted(shares, reverse=True) and shares[0] > 0


def test_every_record_field_has_its_column_and_values_fit_it() -> None:
    """PostingRecord is the one declaration of a posting's fields: each is stored in the
    ``postings`` column of its name (or steers reading only), cut to that column's length."""
    from dataclasses import fields

    steering = {"remote", "structured"}
    columns = set(Posting.__table__.columns.keys())
    assert {f.name for f in fields(PostingRecord)} - steering <= columns
    rec = PostingRecord(title="Welder", description="Weld.", employer="E" * 600, salary_currency="USDOLLARS")
    p = PostingStore._posting(rec, 7, 1, "h", _coded(), "upload.csv")
    assert (len(p.employer), p.salary_currency) == (500, "USDOLLAR")
    assert (p.source, p.source_ref, p.title) == ("upload.csv", "line 7", "Welder")


def _coded():  # type: ignore[no-untyped-def]
    from matcher.postings.coding import Coded

    return Coded(code=None, title=None, confidence=0.0, needs_review=True, method="coder", candidates=[])
