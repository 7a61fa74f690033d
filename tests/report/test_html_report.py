"""The HTML report: `catlic audit --html` over the lab, opened in Debian's Chromium with the network off.

The page renders without a console error, its charts are drawn (pixels on their canvases), its tables sort
and filter, and it asks for nothing beyond itself: the browser's proxy and resolver make every request fail,
and the page's own Content-Security-Policy refuses a fetch before it leaves. A screenshot and the page are
kept in ``tests/artefacts/`` (git-ignored). A runbook's audit step writes the same page.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.remote.webdriver import WebDriver
from workflows.labkit import c9300x_stack, running_lab

from nornir_catlic.cli import run
from nornir_catlic.report import report_data, write_report

from .fleets import NOW, audited, fleet_of
from .headless import (
    BrowserMissing,
    column_texts,
    console_errors,
    find_chromium,
    offline_chromium,
    open_page,
    requests_made,
    series_pixels,
)

ARTEFACTS = Path(__file__).resolve().parents[1] / "artefacts"
STACK = c9300x_stack("stack-a", "FOCA0", members=2, slacs="active", transport="off")
STANDALONE = c9300x_stack("edge-b", "FOCB0", members=1, slacs="all")


@pytest.fixture(scope="module")
def lab_config(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    with running_lab(tmp_path_factory.mktemp("report-lab"), [STACK, STANDALONE]) as lab:
        yield lab.nornir_config


@pytest.fixture(scope="module")
def audited_page(lab_config: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The page a real `catlic audit --html` wrote over the lab (in this process)."""
    folder = tmp_path_factory.mktemp("report")
    page = folder / "out" / "licensing.html"  # a folder that does not exist yet: made
    code = run(
        [
            "audit",
            "-c",
            str(lab_config),
            "--journal",
            str(folder / "j.db"),
            "--no-progress",
            "--html",
            str(page),
        ]
    )
    assert code in (0, 2), f"catlic audit exited {code}"
    return page


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    try:
        with offline_chromium(width=1280, height=2400) as session:
            yield session
    except BrowserMissing as missing:
        pytest.fail(f"the HTML report test needs a headless browser: {missing}", pytrace=False)


def test_the_page_renders_offline_without_console_errors_and_draws_its_charts(
    audited_page: Path, browser: WebDriver
) -> None:
    open_page(browser, audited_page)

    ARTEFACTS.mkdir(exist_ok=True)
    screenshot = ARTEFACTS / "html-report.png"
    browser.save_screenshot(str(screenshot))
    shutil.copyfile(audited_page, ARTEFACTS / "html-report.html")
    print(f"screenshot of the HTML report: {screenshot}")
    assert console_errors(browser) == []
    assert requests_made(browser, audited_page) == {}, "the page asked for something beyond itself"
    assert browser.execute_script("return window.catlicCharts.length") == 2
    # Each chart's series drew on its canvas: the compliance point of this run, the deadline bars.
    for chart, series in ((0, 1), (1, 1), (1, 2)):
        shown, hidden = series_pixels(browser, chart, series)
        assert shown > hidden, f"chart {chart}: series {series} drew nothing"
    # The lab's own hosts and UDIs are on the page: it shows this audit, not a template.
    coverage = column_texts(browser, "coverage-table", 3)
    assert sorted(coverage) == [
        "PID:C9300X-24HX,SN:FOCA001",
        "PID:C9300X-24HX,SN:FOCB001",
        "PID:C9300X-48HXN,SN:FOCA002",
    ]
    assert column_texts(browser, "coverage-table", 4).count("missing") == 1  # the stack's member has none
    assert screenshot.stat().st_size > 10_000


def test_a_table_sorts_when_a_header_is_clicked_and_filters_as_one_types(
    audited_page: Path, browser: WebDriver
) -> None:
    open_page(browser, audited_page)
    header = browser.find_element("css selector", "#coverage-table thead th:nth-child(4)")

    header.click()
    ascending = column_texts(browser, "coverage-table", 3)
    header.click()
    descending = column_texts(browser, "coverage-table", 3)
    box = browser.find_element("css selector", 'input[data-filter="coverage-table"]')
    box.send_keys("stack-a")
    browser.execute_script("return new Promise(function (done) { setTimeout(done, 50); });")
    filtered = column_texts(browser, "coverage-table", 0)

    assert ascending == sorted(ascending) and descending == ascending[::-1] and len(ascending) == 3
    assert header.get_attribute("aria-sort") == "descending"
    assert filtered == ["stack-a", "stack-a"]
    shown = browser.find_element("id", "coverage-table-shown").text
    assert shown == "2 of 3 shown"


def test_the_pages_own_policy_refuses_any_request(audited_page: Path, browser: WebDriver) -> None:
    open_page(browser, audited_page)
    assert console_errors(browser) == []

    refused = browser.execute_async_script(
        """
        var done = arguments[arguments.length - 1];
        var seen = [];
        document.addEventListener('securitypolicyviolation', function (event) {
          seen.push(event.violatedDirective);
        });
        var image = new Image(); image.src = 'https://example.com/pixel.png';
        fetch('https://example.com/data.json').then(function () { done(['fetched'].concat(seen)); },
          function () { setTimeout(function () { done(seen); }, 100); });
        """
    )

    assert sorted(refused) == ["connect-src", "img-src"]
    # The image is listed, refused by the page's own policy (the fetch never became a request): nothing
    # reached the browser's dead proxy.
    assert requests_made(browser, audited_page) == {"https://example.com/pixel.png": "csp"}
    policy = browser.find_element("css selector", 'meta[http-equiv="Content-Security-Policy"]')
    assert policy.get_attribute("content").startswith("default-src 'none';")


def test_a_long_table_shows_its_first_500_rows_until_asked_for_every_row(
    browser: WebDriver, tmp_path: Path
) -> None:
    page = tmp_path / "long.html"
    write_report(
        report_data(fleet_of(*(audited(f"sw-{n:04d}", []) for n in range(600))), [], generated_at=NOW), page
    )
    open_page(browser, page)

    first = column_texts(browser, "deadlines-table")
    browser.find_element("css selector", "#deadlines-table thead th").click()  # by host: ascending
    browser.find_element("css selector", "#deadlines-table thead th").click()  # descending
    after_sort = column_texts(browser, "deadlines-table")
    browser.find_element("id", "deadlines-table-more").click()
    every = column_texts(browser, "deadlines-table")

    assert len(first) == 500 and first[0] == "sw-0000"
    assert len(after_sort) == 500 and after_sort[0] == "sw-0599", (
        "the sort orders every row, not the 500 shown"
    )
    assert len(every) == 600 and not browser.find_element("id", "deadlines-table-more").is_displayed()
    assert console_errors(browser) == []


def test_the_page_prints(audited_page: Path, browser: WebDriver) -> None:
    open_page(browser, audited_page)

    pdf = base64.b64decode(browser.execute_cdp_cmd("Page.printToPDF", {"printBackground": False})["data"])

    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) >= 2


def test_a_runbook_audit_step_writes_the_report(lab_config: Path, tmp_path: Path) -> None:
    book = tmp_path / "book.yaml"
    page = tmp_path / "reports" / "audit.html"
    book.write_text(f"steps:\n  - workflow: audit\n    html: {page}\n")

    code = run(
        ["run", str(book), "-c", str(lab_config), "--journal", str(tmp_path / "j.db"), "--no-progress"]
    )

    assert code in (0, 2)
    html = page.read_text(encoding="utf-8")
    assert "<td>stack-a</td>" in html and "<td>edge-b</td>" in html


def test_without_a_browser_the_test_fails_saying_how_to_install_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")

    with pytest.raises(BrowserMissing) as missing:
        find_chromium()

    assert "no chromium nor chromedriver found" in str(missing.value)
    assert "apt-get install -y chromium chromium-driver" in str(missing.value)


def test_the_trend_holds_every_recorded_audit_and_this_one(lab_config: Path, tmp_path: Path) -> None:
    """Two audits in a row: the second's page draws both, from the fleet history."""
    pages = [tmp_path / "first.html", tmp_path / "second.html"]
    for page in pages:
        code = run(["audit", "-c", str(lab_config), "--no-progress", "--html", str(page)])
        assert code in (0, 2), f"catlic audit exited {code}"
    first, second = (chart_data(page)["trend"]["t"] for page in pages)
    assert len(second) == len(first) + 1 and second[:-1] == first


def chart_data(page: Path) -> dict[str, Any]:
    embedded = r'<script type="application/json" id="chart-data">(.*?)</script>'
    found = re.search(embedded, page.read_text(), re.S)
    assert found, "the page carries its charts' data"
    return dict(json.loads(found.group(1)))
