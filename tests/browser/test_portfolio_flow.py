"""The reviewer's portfolio in a real browser (Debian's Chromium under Playwright, see
``test_review_flow.py``): the NJ reviewer filters the screened list to programs failing the job
placement check, opens that program's evidence packet, and exports the view as CSV. The
filtered page is saved as a screenshot."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from portfolio_support import SLICE, screen_slice
from review_support import PASSWORD, email, serve_in_thread

from service.app import create_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(settings, matcher, etpl, tmp_path_factory) -> Iterator[dict[str, Any]]:  # type: ignore[no-untyped-def]
    w = screen_slice(settings, matcher, etpl, tmp_path_factory.mktemp("portfolio-browser"))
    with serve_in_thread(create_app(w.settings, matcher)) as base:
        yield {"base": base, "w": w}
    w.db.dispose()


def test_reviewer_filters_to_failing_checks_opens_a_packet_and_exports_csv(
    browser, site, output_dir: Path
) -> None:  # type: ignore[no-untyped-def]
    base = site["base"]
    context = browser.new_context(viewport={"width": 1366, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(f"{base}/ui/login?next=/ui/portfolio")
    page.get_by_label("Email").fill(email("rev_nj"))
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r".*/ui/portfolio$"))
    assert page.locator("table.portfolio tbody tr").count() == len(SLICE)
    assert (
        page.evaluate(
            """() => [...document.querySelectorAll('select')].filter(el => el.labels.length === 0).length"""
        )
        == 0
    )

    # 1. Filter to the programs failing the job placement check.
    page.get_by_label("Status").select_option("fail")
    page.get_by_label("Check").select_option(label="Job placement rate")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(re.compile(r".*status=fail.*check=placement.*"))
    rows = page.locator("table.portfolio tbody tr")
    assert rows.count() == 1
    assert "nj-676" in rows.first.inner_text() and "Job placement rate: fail" in rows.first.inner_text()
    page.screenshot(path=str(output_dir / "portfolio-failing-placement.png"), full_page=True)

    # 2. Export this view as CSV: the one failing program.
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    table = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    assert [t["external_id"] for t in table] == ["nj-676"] and table[0]["placement"] == "fail"

    # 3. Open its evidence packet.
    rows.first.get_by_role("link", name="Open packet").click()
    page.wait_for_url(re.compile(r".*/programs/\d+/evidence\?format=html$"))
    assert page.get_by_role("heading", name="Eligibility checks").is_visible()
    checks = page.locator("section[aria-labelledby=checks]").inner_text()
    assert "Job placement rate" in checks and "55.0% (bar 70%), period 2024-25" in checks
    context.close()
