"""In a browser: the instansi dashboard and /statistik/ draw their charts (canvas not empty) at 1366 and 390 px.

Screenshots go to test-artifacts/issue-15/ (ignored by git; CI keeps the folder as its artifacts).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from netralitas.enums import Role
from sanctions.rollup import refresh_dashboard_rollup
from tests import test_statistics
from tests.e2e.conftest import staff_login

# The statistics' cases (Sleman 6, Kota Yogyakarta 2, Kota Semarang 1): fixtures.
world = test_statistics.world
public_cases = test_statistics.public_cases

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "issue-15"
PASSWORD = "kata-sandi-dasbor-e2e-7391"
WIDTHS = (1366, 390)
# Pixels a canvas must have painted (axes, labels and bars): an empty canvas has none.
PAINTED = """(canvas) => {
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < data.length; i += 4) { if (data[i] !== 0) painted++; }
  return painted;
}"""

# Every chart has taken its box's new size (Chart.js resizes and, without animation, redraws in one callback).
RESIZED = """() => Array.from(document.querySelectorAll("canvas[data-chart]")).every((canvas) => {
  const chart = window.Chart.getChart(canvas), box = canvas.parentElement, style = getComputedStyle(box);
  const width = box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  const height = box.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
  return chart !== undefined && Math.abs(chart.width - width) <= 1 && Math.abs(chart.height - height) <= 1;
})"""

# The tables whose box scrolls sideways (a column cut off at the right): their heading, scroll / box width.
TABLES_CUT = """() => Array.from(document.querySelectorAll(".table-responsive"))
  .filter((box) => box.scrollWidth > box.clientWidth + 1)
  .map((box) => {
    const heading = box.closest("section")?.querySelector("h2")?.textContent.trim();
    return `${heading} ${box.scrollWidth}/${box.clientWidth}`;
  })"""


@pytest.fixture
def browser_settings(settings, reference_data):
    # The live server serves /static/ through the finders (no manifest): unhashed URLs.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    return settings


def charts_drawn(page) -> dict[str, int]:
    page.wait_for_function("document.querySelectorAll('canvas[data-chart]:not([data-drawn])').length === 0")
    return {
        canvas.get_attribute("data-chart"): canvas.evaluate(PAINTED)
        for canvas in page.locator("canvas[data-chart]").all()
    }


def shoot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_function(RESIZED)  # Chart.js redraws on resize (animation off), in the same callback
        painted = charts_drawn(page)
        assert painted and min(painted.values()) > 500, (width, painted)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width + 1, f"{name} scrolls sideways at {width}px ({scroll_width}px)"
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
        if width >= 1366:  # a laptop sees every column, the follow-up rate last of all, without scrolling
            assert page.evaluate(TABLES_CUT) == [], f"{name}: tables scroll sideways at {width}px"


def test_instansi_dashboard_and_public_statistics_draw_their_charts(
    live_server,
    page,
    browser_settings,
    public_cases,
    make_staff,
    organisations,
):
    make_staff("ppk.sleman.dasbor", organisations["pemda_sleman"], Role.PPK, password=PASSWORD)
    refresh_dashboard_rollup()
    base = live_server.url

    staff_login(page, base, "ppk.sleman.dasbor", PASSWORD, next_url="/dasbor/")
    assert page.locator("h1").inner_text() == "Dasbor sanksi instansi"
    assert sorted(charts_drawn(page)) == ["jabatan", "phase", "region", "trend", "violation"]
    shoot(page, "dasbor-instansi")

    page.goto(base + "/statistik/")
    assert page.get_by_test_id("total-cases").inner_text() == "9"
    assert sorted(charts_drawn(page)) == ["region", "violation"]
    shoot(page, "statistik")
    assert sorted(path.name for path in ARTIFACTS.glob("*.png")) >= [
        "dasbor-instansi-1366.png",
        "dasbor-instansi-390.png",
        "statistik-1366.png",
        "statistik-390.png",
    ]
