"""/docs (Swagger UI) and /redoc (ReDoc) render in headless Chromium with every request outside
127.0.0.1 blocked: their JavaScript and CSS come from the service, never from a CDN."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from review_support import serve_in_thread

from service.app import create_app

pytestmark = pytest.mark.browser


def test_docs_and_redoc_render_with_the_network_blocked(browser, output_dir, settings, matcher) -> None:  # type: ignore[no-untyped-def]
    outside: list[str] = []

    def only_loopback(route) -> None:  # type: ignore[no-untyped-def]
        url = route.request.url
        if url.startswith("data:") or urlparse(url).hostname == "127.0.0.1":
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    with serve_in_thread(create_app(settings, matcher)) as base:
        context = browser.new_context()
        context.route("**/*", only_loopback)
        page = context.new_page()
        page.set_default_timeout(60_000)
        page.goto(f"{base}/docs")
        page.wait_for_selector(".opblock-summary-path")
        paths = page.locator(".opblock-summary-path").all_inner_texts()
        assert {"/align", "/gaps", "/occupations/search", "/health"} <= {p.strip() for p in paths}
        assert len(paths) >= 20
        page.locator(".opblock-summary", has_text="/gaps").first.click()  # an operation opens
        page.wait_for_selector(".opblock.is-open .parameters-container")
        assert "occupation" in page.locator(".opblock.is-open").first.inner_text()
        page.screenshot(path=str(output_dir / "docs.png"))

        page.goto(f"{base}/redoc")
        page.wait_for_selector("[data-section-id]")
        assert page.get_by_text("/occupations/search").count() > 0
        page.screenshot(path=str(output_dir / "redoc.png"))
        context.close()
    assert outside == []
