"""schemathesis against the service's own OpenAPI schema: every operation, with valid credentials
for each role (and none), data that fits the schema and data that does not, a bounded and
deterministic number of examples. Every response must be free of 5xx and conform to the schema
(status code documented, content type, body and headers as declared).

``MATCHER_FUZZ_EXAMPLES`` (default 4) sets the examples per operation, role and generation
mode; ``MATCHER_FUZZ_RANDOM=1`` explores new inputs instead of the fixed seed CI uses."""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi.testclient import TestClient
from review_support import Partnership, shared_welding_program

from matcher.db import Database
from matcher.review import reviews
from matcher.settings import Settings
from service.app import create_app

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, Phase, given  # noqa: E402
from hypothesis import settings as hsettings  # noqa: E402
from hypothesis.errors import Unsatisfiable  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import (  # noqa: E402
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.failures import FailureGroup  # noqa: E402

EXAMPLES = int(os.environ.get("MATCHER_FUZZ_EXAMPLES", "4"))
DETERMINISTIC = os.environ.get("MATCHER_FUZZ_RANDOM", "") != "1"
ROLES = {"anonymous": None, "provider": "prov_a", "employer": "emp1", "reviewer": "rev_nj", "admin": "admin"}
# Without credentials a secured route answers 401, or rejects a malformed request before it asks.
UNAUTHENTICATED = {401, 413, 415, 422}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


@dataclass
class Fuzz:
    schema: Any
    partnership: Partnership
    cases: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)


@pytest.fixture(scope="module")
def fuzz(settings, matcher, tmp_path_factory) -> Iterator[Fuzz]:  # type: ignore[no-untyped-def]
    """The service over a fresh SQLite file with the test partnership, one shared and aligned
    program and one review, so ids 1, 2, ... that the fuzzer tries exist."""
    home = tmp_path_factory.mktemp("fuzz")
    s = Settings(data_dir=settings.data_dir, home=settings.home, database_url=f"sqlite:///{home / 'fuzz.db'}")
    db = Database(s.db_url)
    p, pid = shared_welding_program(db, matcher)
    reviews.create_review(db, p.actors["emp1"], pid, occupation="51-4121.00", decision="nice_to_have")
    app = create_app(s, matcher)
    with TestClient(app):  # runs the lifespan once (database opened)
        schema = schemathesis.openapi.from_asgi("/openapi.json", app)
        yield Fuzz(schema, p)
    db.dispose()


def _secured(operation: Any) -> bool:
    return bool(operation.definition.raw.get("security"))


def _run(fuzz: Fuzz, operation: Any, mode: GenerationMode, headers: dict[str, str]) -> list[str]:
    failures: list[str] = []

    @hsettings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=DETERMINISTIC,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        response = case.call(headers=headers)
        fuzz.cases[operation.label] += 1
        fuzz.statuses[response.status_code] += 1
        if not headers and _secured(operation) and response.status_code not in UNAUTHENTICATED:
            failures.append(f"{operation.label} answered {response.status_code} without credentials")
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (AssertionError, FailureGroup) as exc:  # collected, so one run lists every failure
            failures.append(f"{operation.label} [{mode.value}] -> {response.status_code}: {exc}\n  {case!r}")

    try:
        run()
    except Unsatisfiable:  # nothing to make invalid (no parameters, no body): negative mode has no case
        pass
    return failures


@pytest.mark.parametrize("role", list(ROLES))
def test_schemathesis_finds_no_5xx_and_no_schema_violation(fuzz: Fuzz, role: str) -> None:
    who = ROLES[role]
    headers = fuzz.partnership.headers(who) if who else {}
    started, failures, operations = time.monotonic(), [], 0
    before = sum(fuzz.cases.values())
    for result in fuzz.schema.get_all_operations():
        operation = result.ok()
        if who is not None and not _secured(operation):
            continue  # open routes are fuzzed once, without credentials
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            failures += _run(fuzz, operation, mode, headers)
    ran = sum(fuzz.cases.values()) - before
    print(
        f"\nschemathesis {role}: {operations} operations, {ran} cases in {time.monotonic() - started:.0f} s; "
        f"statuses so far {dict(sorted(fuzz.statuses.items()))}"
    )
    assert not failures, f"{len(failures)} failing cases:\n" + "\n".join(failures[:30])
    assert operations and ran >= operations
