"""The reviewer's portfolio over a real screened list (six NJ ETPL dev programs screened by the
real matcher, ETPL outcome figures imported for two): filters, sort, pages, CSV and XLSX export,
who sees what, bad parameters."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from portfolio_support import SHARED, SLICE, Screened, screen_slice

from service.app import create_app


@pytest.fixture(scope="module")
def world(settings, matcher, etpl, tmp_path_factory) -> Iterator[tuple[Screened, TestClient]]:  # type: ignore[no-untyped-def]
    w = screen_slice(settings, matcher, etpl, tmp_path_factory.mktemp("portfolio"))
    with TestClient(create_app(w.settings, matcher)) as client:
        yield w, client
    w.db.dispose()


def _get(world: tuple[Screened, TestClient], who: str, path: str = "/portfolio", **params: Any) -> Any:
    w, client = world
    r = client.get(path, params=params, headers=w.p.headers(who))
    assert r.status_code == 200, r.text[:300]
    return r


def test_reviewer_sees_every_program_with_checks_coverage_reviews_and_flags(world) -> None:  # type: ignore[no-untyped-def]
    data = _get(world, "rev_nj").json()
    assert data["total"] == len(SLICE) and data["pages"] == 1
    rows = {r["external_id"]: r for r in data["rows"]}
    assert set(rows) == set(SLICE)
    ids = [c["id"] for c in rows["nj-676"]["checks"]]
    assert ids[-3:] == ["completion", "placement", "value_added_earnings"] and "length_hours" in ids
    placement = {e: {c["id"]: c["status"] for c in r["checks"]}["placement"] for e, r in rows.items()}
    assert placement == {**dict.fromkeys(SLICE, "unknown"), "nj-676": "fail", "nj-48270": "pass"}
    assert rows[SHARED]["reviews"] == {"employers": 1, "decisions": 1}
    assert rows["nj-676"]["reviews"] == {"employers": 0, "decisions": 0}
    assert all(r["flags"] == [] and r["top_occupation"]["coverage"] is not None for r in rows.values())
    facets = data["facets"]
    assert {c["id"] for c in facets["checks"]} >= {"placement", "value_added_earnings"}
    assert sum(g["programs"] for g in facets["groups"]) == len(SLICE)
    assert sum(o["programs"] for o in facets["providers"]) == len(SLICE)


def test_filters_sort_and_pages(world) -> None:  # type: ignore[no-untyped-def]
    failing = _get(world, "rev_nj", status="fail", check="placement").json()
    assert [r["external_id"] for r in failing["rows"]] == ["nj-676"] and failing["total"] == 1
    any_fail = _get(world, "rev_nj", status="fail").json()
    assert all(r["summary"]["fail"] > 0 for r in any_fail["rows"])
    every = _get(world, "rev_nj").json()
    group = every["rows"][0]["top_occupation"]["code"][:2]
    in_group = _get(world, "rev_nj", group=group).json()
    assert in_group["total"] == sum(
        r["top_occupation"]["code"].startswith(group + "-") for r in every["rows"]
    )
    provider = every["facets"]["providers"][0]
    by_provider = _get(world, "rev_nj", provider=provider["id"]).json()
    assert by_provider["total"] == provider["programs"]
    assert {r["provider"]["name"] for r in by_provider["rows"]} == {provider["name"]}
    assert _get(world, "rev_nj", flagged="yes").json()["total"] == 0
    hours = [r["clock_hours"] for r in _get(world, "rev_nj", sort="hours", order="desc").json()["rows"]]
    assert hours == sorted(hours, reverse=True)
    pages = [_get(world, "rev_nj", per_page=4, page=n, sort="title").json() for n in (1, 2)]
    assert [p["pages"] for p in pages] == [2, 2] and [len(p["rows"]) for p in pages] == [4, 2]
    titles = [r["title"] for p in pages for r in p["rows"]]
    assert titles == sorted(r["title"] for r in every["rows"])


def test_export_is_the_current_view_in_csv_and_xlsx(world) -> None:  # type: ignore[no-untyped-def]
    r = _get(world, "rev_nj", "/portfolio/export", status="unknown", check="placement", per_page=1)
    assert r.headers["content-type"].startswith("text/csv")
    assert 'filename="portfolio.csv"' in r.headers["content-disposition"]
    table = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert len(table) == len(SLICE) - 2  # every page of the view, not only the first
    assert {t["placement"] for t in table} == {"unknown"}
    assert all(t["packet"] == f"/programs/{t['program_id']}/evidence?format=html" for t in table)
    x = _get(world, "rev_nj", "/portfolio/export", format="xlsx", sort="title")
    sheet = load_workbook(io.BytesIO(x.content), read_only=True)["Portfolio"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("program_id", "external_id", "title") and len(rows) == len(SLICE) + 1
    assert [row[2] for row in rows[1:]] == sorted(row[2] for row in rows[1:])


def test_each_role_sees_only_what_it_may(world) -> None:  # type: ignore[no-untyped-def]
    w, client = world
    employer = _get(world, "emp1").json()
    assert [r["external_id"] for r in employer["rows"]] == [SHARED]
    assert [o["name"] for o in employer["facets"]["providers"]] == [w.provider]
    emp_csv = _get(world, "emp1", "/portfolio/export").content.decode("utf-8-sig")
    assert len(list(csv.DictReader(io.StringIO(emp_csv)))) == 1
    own = _get(world, "own").json()
    assert {r["provider"]["name"] for r in own["rows"]} == {w.provider} and own["total"] >= 1
    assert _get(world, "prov_a").json()["total"] == 0  # owns none of the screened programs
    assert _get(world, "emp3").json()["total"] == 0  # nothing shared with it
    assert _get(world, "rev_ny").json()["total"] == 0  # another state
    assert _get(world, "admin").json()["total"] == len(SLICE)
    assert client.get("/portfolio").status_code == 401
    assert client.get("/portfolio/export").status_code == 401


@pytest.mark.parametrize(
    "params",
    [
        {"status": "bogus"},
        {"check": "DROP TABLE"},
        {"group": "99"},
        {"sort": "secret"},
        {"order": "sideways"},
        {"page": "0"},
        {"per_page": "5000"},
        {"provider": "x"},
        {"flagged": "maybe"},
    ],
)
def test_bad_parameters_get_one_json_error(world, params: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    w, client = world
    for path in ("/portfolio", "/portfolio/export"):
        r = client.get(path, params=params, headers=w.p.headers("rev_nj"))
        assert 400 <= r.status_code < 500, r.text
        body = r.json()
        assert set(body) == {"error"} and body["error"]["status"] == r.status_code


def test_export_quotes_formulas_and_drops_characters_a_sheet_cannot_hold() -> None:
    from matcher.portfolio.export import to_csv, to_xlsx

    row = {
        "program_id": 1,
        "external_id": "nj-1",
        "title": '=HYPERLINK("x")\x0bWelding',
        "provider": {"name": "@Provider"},
        "state": "NJ",
        "clock_hours": 300.0,
        "weeks": None,
        "top_occupation": None,
        "summary": {"pass": 1, "fail": 0, "unknown": 0},
        "reviews": {"employers": 0, "decisions": 0},
        "flags": [],
        "updated_at": "2026-12-06T18:00:00+00:00",
        "checks": [{"id": "length_hours", "status": "pass"}],
    }
    table = next(csv.DictReader(io.StringIO(to_csv([row]).decode("utf-8-sig"))))
    assert table["title"].startswith("'=HYPERLINK") and table["provider"] == "'@Provider"
    sheet = load_workbook(io.BytesIO(to_xlsx([row])), read_only=True)["Portfolio"]
    values = list(sheet.iter_rows(values_only=True))[1]
    assert values[2] == '\'=HYPERLINK("x")Welding' and values[-1] == "pass"
