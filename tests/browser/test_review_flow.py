"""End to end in a real browser: a provider creates a program and shares it; an employer
signs in, reviews three skills and one occupation and submits; the state reviewer sees those
decisions (who, what, when). The employer review page is saved as a screenshot.

Debian's Chromium (``/usr/bin/chromium``) is driven headless by Playwright for Python;
``playwright install`` is never used (`.ci/run` installs the ``chromium`` package when it is
missing). Screenshots go to ``test-output/browser/`` (``MATCHER_TEST_OUTPUT`` overrides
``test-output``). The ``browser`` and ``output_dir`` fixtures live in ``tests/conftest.py``, so
every browser test shares one Playwright instance (no conftest.py here: a second module named
``conftest`` would shadow ``tests/conftest.py`` for the tests that import from it).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from review_support import PASSWORD, WELDING, build_partnership, email, serve_in_thread

from matcher.db import Database
from matcher.review.tables import ProgramVersion
from matcher.settings import Settings
from service.app import create_app

pytestmark = pytest.mark.browser
UNLABELLED = """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
    .filter(el => el.labels === null || el.labels.length === 0).map(el => el.name || el.id)"""


@pytest.fixture(scope="module")
def site(settings, matcher, tmp_path_factory) -> Iterator[dict[str, Any]]:  # type: ignore[no-untyped-def]
    home = tmp_path_factory.mktemp("browser")
    s = Settings(
        data_dir=settings.data_dir, home=settings.home, database_url=f"sqlite:///{home / 'review.db'}"
    )
    db = Database(s.db_url)
    partnership = build_partnership(db, passwords=("prov_a", "emp1", "emp2", "rev_nj"))
    with serve_in_thread(create_app(s, matcher)) as base:
        yield {"base": base, "p": partnership}
    db.dispose()


def sign_in(page, base: str, handle: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/ui/login")
    page.get_by_label("Email").fill(email(handle))
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r".*/ui/$"))


def sign_out(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r".*/ui/login$"))


def test_provider_shares_employer_reviews_reviewer_sees(browser, site, output_dir: Path) -> None:  # type: ignore[no-untyped-def]
    base = site["base"]
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(60_000)

    # 1. The provider creates a program (aligned on save) and shares it with Employer 1.
    sign_in(page, base, "prov_a")
    page.get_by_label("Title").fill(WELDING["title"])
    page.get_by_label("Description and curriculum").fill(WELDING["description"])
    page.get_by_label("Credential").fill(WELDING["credential"])
    page.get_by_label("Clock hours").fill(str(WELDING["clock_hours"]))
    page.get_by_label("Tuition and fees ($)").fill("4800")
    page.get_by_role("button", name="Create and align").click()
    page.wait_for_url(re.compile(r".*/ui/programs/\d+\?msg=created$"))
    program_url = page.url.split("?")[0]
    with site["p"].db.session() as session:  # the tuition the outcome checks compare earnings with
        content = session.scalars(
            sa.select(ProgramVersion.content).where(
                ProgramVersion.program_id == int(program_url.rsplit("/", 1)[1])
            )
        ).one()
    assert content["tuition_and_fees"] == 4800
    assert page.get_by_role("heading", name="Aligned occupations").is_visible()
    assert "51-4121.00" in page.locator("table.bars").inner_text()
    assert page.locator("article.gap blockquote").count() > 0  # gaps come with evidence sentences
    page.get_by_label("Employer", exact=True).select_option(label="Employer 1 (NJ)")
    page.get_by_role("button", name="Share", exact=True).click()
    page.wait_for_url(re.compile(r".*\?msg=shared$"))
    assert "Employer 1" in page.locator("dl.facts").inner_text()
    sign_out(page)

    # 2. Employer 1 signs in, reviews one occupation and three skills, and submits.
    sign_in(page, base, "emp1")
    page.get_by_role("link", name=WELDING["title"]).click()
    page.get_by_role("link", name="Review this program").click()
    page.wait_for_url(re.compile(r".*/review$"))
    assert page.evaluate(UNLABELLED) == []  # every control has a label
    first = page.locator("section.occupation").first
    assert "51-4121.00" in first.locator("h2").inner_text()
    first.locator("fieldset select").select_option("required_at_hire")
    first.get_by_label("Comment on the occupation").fill("We hire two welders a year from this program.")
    rows = first.locator("table.skills-table tbody tr")
    assert rows.count() >= 3
    chosen = []
    for i, decision in enumerate(["required_at_hire", "nice_to_have", "missing_from_program"]):
        row = rows.nth(i)
        chosen.append(row.locator("th").evaluate("el => el.firstChild.textContent.trim()"))
        select = row.locator("select")
        if i == 0:  # by keyboard: focus the control and pick the first decision with the arrow key
            select.focus()
            page.keyboard.press("ArrowDown")
            assert select.input_value() == "required_at_hire"
        else:
            select.select_option(decision)
    rows.nth(2).locator("input[name^=comment-]").fill("Needs more pipe welding.")
    page.screenshot(path=str(output_dir / "employer-review-filled.png"), full_page=True)
    page.get_by_role("button", name="Submit decisions").click()
    page.wait_for_url(re.compile(r".*/review\?saved=4$"))
    assert page.get_by_role("status").inner_text().startswith("Saved 4 decision(s)")
    screenshot = output_dir / "employer-review.png"
    page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.stat().st_size > 20_000
    assert rows.nth(1).locator("select").input_value() == "nice_to_have"  # the form shows what was saved
    sign_out(page)

    # 3. The state reviewer sees every decision: who, what, when.
    sign_in(page, base, "rev_nj")
    page.goto(program_url)
    table = page.locator("table.decisions")
    text = table.inner_text()
    assert table.locator("tbody tr").count() == 4
    assert "Occupation 51-4121.00" in text and "We hire two welders a year" in text
    for label, decision in zip(
        chosen, ["Required at hire", "Nice to have", "Missing from the program"], strict=True
    ):
        row = table.locator("tbody tr", has_text=label).first
        cells = row.inner_text()
        assert decision in cells and "Employer 1" in cells and "Emp1" in cells, cells
        assert re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC", cells)
    page.screenshot(path=str(output_dir / "reviewer-program.png"), full_page=True)
    assert not page.get_by_role("link", name="Review this program").count()  # reviewers read only
    context.close()
