"""The HTTP API through FastAPI's TestClient, with the real matcher over the data slice."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from service.app import create_app


@pytest.fixture(scope="module")
def client(settings, matcher):  # type: ignore[no-untyped-def]
    with TestClient(create_app(settings, matcher)) as c:
        yield c


def _assert_error_shape(resp, status: int, code: str) -> dict:  # type: ignore[no-untyped-def]
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert set(body) == {"error"}
    err = body["error"]
    assert err["status"] == status and err["code"] == code and err["message"]
    assert isinstance(err["details"], dict)
    return err


def test_health(client: TestClient) -> None:
    r = client.get("/health")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok" and body["versions"]["data"]["onet"] == "29.3"


def test_search_and_detail(client: TestClient) -> None:
    r = client.get("/occupations/search", params={"q": "welder", "k": 3})
    assert r.status_code == 200 and r.json()["results"][0]["code"].startswith("51-412")
    r = client.get("/occupations/51-4121.00")
    assert r.status_code == 200
    d = r.json()
    assert d["title"] == "Welders, Cutters, Solderers, and Brazers" and d["tasks"] and d["cip"]
    r = client.get("/skills/search", params={"q": "forklift"})
    assert r.status_code == 200 and r.json()["results"]


def test_unknown_occupation_is_404_with_suggestions(client: TestClient) -> None:
    err = _assert_error_shape(client.get("/occupations/51-4129.00"), 404, "not_found")
    assert err["details"]["suggestions"] and "Did you mean" in err["message"]
    # the same broad occupation (51-412x) first, not whatever string looks alike
    assert {s[:10] for s in err["details"]["suggestions"][:2]} == {"51-4121.00", "51-4122.00"}
    err = _assert_error_shape(client.get("/occupations/welder"), 404, "not_found")
    assert err["details"]["suggestions"][0].startswith("51-4121.00")  # by title


def test_align_returns_evidence(client: TestClient, etpl: dict[str, dict]) -> None:
    r = client.post("/align", json=etpl["nj-48270"], params={"top_k": 5})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["occupations"][0]["code"] == "53-3032.00"
    assert body["occupations"][0]["evidence"]
    assert len(body["occupations"]) == 5


def test_gaps_route(client: TestClient, etpl: dict[str, dict]) -> None:
    r = client.post("/gaps", json={"program": etpl["nj-40812"], "occupation": "51-4121.00", "limit": 5})
    assert r.status_code == 200, r.text
    body = r.json()
    assert len(body["missing"]) <= 5 and body["covered"][0]["evidence"]["sentence"]
    for item in body["covered"]:  # the matched text travels with its offsets and sentence
        ev = item["evidence"]
        assert ev["text"] and item["matched_text"] == ev["text"]
        if ev["start"] is not None:
            assert ev["end"] > ev["start"]


def test_gaps_takes_the_align_body_with_the_occupation_in_the_query(
    client: TestClient, etpl: dict[str, dict]
) -> None:
    program = etpl["nj-40812"]
    bare = client.post("/gaps", json=program, params={"occupation": "51-4121.00", "limit": 5})
    assert bare.status_code == 200, bare.text
    wrapped = client.post("/gaps", json={"program": program, "occupation": "51-4121.00", "limit": 5})
    assert wrapped.status_code == 200, wrapped.text
    assert bare.json() == wrapped.json()  # the earlier wrapped shape still works, the same
    query = client.post("/gaps", json={"program": program}, params={"occupation": "51-4121.00", "limit": 5})
    assert query.json() == bare.json()
    err = _assert_error_shape(client.post("/gaps", json=program), 422, "bad_input")
    assert "occupation" in err["message"] and "?occupation=" in err["message"]
    both = {"program": program, "occupation": "51-4122.00"}
    err = _assert_error_shape(
        client.post("/gaps", json=both, params={"occupation": "51-4121.00"}), 422, "bad_input"
    )
    assert "51-4122.00" in err["message"]
    spec = client.get("/openapi.json").json()["paths"]["/gaps"]["post"]
    assert "occupation" in {p["name"] for p in spec["parameters"]}


def test_bad_json_names_line_and_column(client: TestClient) -> None:
    body = b'{\n  "title": "Welding",\n  "clock_hours": 300,,\n}'
    r = client.post("/align", content=body, headers={"content-type": "application/json"})
    err = _assert_error_shape(r, 422, "bad_input")
    assert "line 3, column 22" in err["message"] and "JSON" in err["message"]  # the second comma
    r = client.post("/gaps", content=b"{not json", headers={"content-type": "application/json"})
    assert "line 1, column 2" in _assert_error_shape(r, 422, "bad_input")["message"]


@pytest.mark.parametrize(
    ("kwargs", "status", "code"),
    [
        ({"content": b"{not json", "headers": {"content-type": "application/json"}}, 422, "bad_input"),
        ({"json": {"title": "   "}}, 422, "bad_input"),
        ({"json": {"title": "x", "clock_hours": "lots"}}, 422, "bad_input"),
        ({"json": ["a list"]}, 422, "bad_input"),
    ],
)
def test_bad_align_input(client: TestClient, kwargs: dict, status: int, code: str) -> None:
    _assert_error_shape(client.post("/align", **kwargs), status, code)


def test_other_errors_share_the_shape(client: TestClient) -> None:
    _assert_error_shape(client.get("/nowhere"), 404, "not_found")
    _assert_error_shape(client.delete("/align"), 405, "method_not_allowed")
    _assert_error_shape(client.get("/occupations/search", params={"q": ""}), 422, "bad_input")
    _assert_error_shape(
        client.post("/gaps", json={"program": {"title": "Welding"}, "occupation": "99-0000"}),
        404,
        "not_found",
    )


def test_openapi_docs(client: TestClient) -> None:
    for page, asset in (
        ("/docs", "/docs-assets/swagger-ui-bundle.js"),
        ("/redoc", "/docs-assets/redoc.standalone.js"),
    ):
        r = client.get(page)
        assert r.status_code == 200 and asset in r.text and "cdn" not in r.text
        assert "default-src 'self'" in r.headers["content-security-policy"]
        assert client.get(asset).status_code == 200  # served from the installed package
    spec = client.get("/openapi.json").json()
    assert {
        "/health",
        "/align",
        "/gaps",
        "/occupations/search",
        "/occupations/{code}",
        "/skills/search",
    } <= set(spec["paths"])


def test_starts_without_index_and_says_why(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    empty = settings.model_copy(update={"home": tmp_path})
    with TestClient(create_app(empty)) as c:
        r = c.get("/health")
        assert r.status_code == 503 and "matcher build" in r.json()["error"]
        err = _assert_error_shape(c.post("/align", json={"title": "Welding"}), 503, "index_unavailable")
        assert "matcher build" in err["message"]
