"""Debian's Chromium, headless and cut off from the network, driven by Selenium through chromium-driver.

Every request but the page's own file is made to fail twice over: a proxy on a closed port and a host
resolver that resolves nothing. The page's Content-Security-Policy should stop any request before that;
:func:`page_figures` lists every request the page made, so a test can assert there was none.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
DRIVER = "chromedriver"
INSTALL_HINT = (
    "install Debian's Chromium and its driver: `sudo apt-get install -y chromium chromium-driver` "
    "(`make test` does it), or put chromium and chromedriver on PATH"
)


class BrowserMissing(RuntimeError):
    """No headless browser or no driver for it on this machine."""


def find_chromium() -> tuple[str, str]:
    """The browser and its driver; :class:`BrowserMissing` says how to install them."""
    browser = next((found for name in BROWSERS if (found := shutil.which(name))), None)
    driver = shutil.which(DRIVER)
    missing = [what for what, found in (("chromium", browser), ("chromedriver", driver)) if found is None]
    if browser is None or driver is None:
        raise BrowserMissing(f"no {' nor '.join(missing)} found: {INSTALL_HINT}")
    return browser, driver


@contextmanager
def offline_chromium(width: int = 1280, height: int = 1000) -> Iterator[WebDriver]:
    browser, driver = find_chromium()
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for argument in (
        "--headless=new",
        "--no-sandbox",  # tests run as root, where Chromium's sandbox refuses to start
        "--disable-gpu",
        "--disable-dev-shm-usage",
        f"--window-size={width},{height}",
        "--proxy-server=http://127.0.0.1:9",  # the discard port: nothing listens
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    options.add_experimental_option("perfLoggingPrefs", {"enableNetwork": True, "enablePage": False})
    session = webdriver.Chrome(options=options, service=Service(executable_path=driver))
    try:
        yield session
    finally:
        session.quit()


def open_page(browser: WebDriver, page: Path, *, timeout: float = 60) -> None:
    """Load ``page`` and wait for its script to finish drawing the charts; the console and network logs
    start afresh (what an earlier page logged is not this one's)."""
    browser.get_log("browser")
    browser.get_log("performance")
    browser.set_page_load_timeout(timeout)
    browser.get(page.resolve().as_uri())
    WebDriverWait(browser, timeout).until(
        lambda session: session.execute_script("return Array.isArray(window.catlicCharts)")
    )


def console_errors(browser: WebDriver) -> list[str]:
    """The console's errors (CSP violations included) since the last call."""
    return [entry["message"] for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]


def requests_made(browser: WebDriver, page: Path) -> dict[str, str]:
    """Every URL the page asked for since the last call, but itself and inline ``data:`` URLs, with what
    became of it: ``"csp"`` when the page's policy refused it before it left, else Chromium's error (the
    proxy and resolver fail it), or ``"sent"``."""
    own = page.resolve().as_uri()
    urls: dict[str, str] = {}  # request id -> url
    fates: dict[str, str] = {}
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        params = message["params"]
        if message["method"] == "Network.requestWillBeSent":
            url = params["request"]["url"]
            if url != own and not url.startswith("data:"):
                urls[params["requestId"]] = url
        elif message["method"] == "Network.loadingFailed":
            fates[params["requestId"]] = params.get("blockedReason") or params.get("errorText", "failed")
    return {url: fates.get(request, "sent") for request, url in urls.items()}


SERIES_PIXELS = """
var done = arguments[arguments.length - 1];
var chart = window.catlicCharts[arguments[0]], series = arguments[1];
function inked() {
  var canvas = chart.ctx.canvas;
  var pixels = chart.ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  var count = 0;
  for (var i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) count++;
  return count;
}
function redrawn(then) { requestAnimationFrame(function () { setTimeout(then, 0); }); }
var shown = inked();
chart.setSeries(series, { show: false });
redrawn(function () {
  var hidden = inked();
  chart.setSeries(series, { show: true });
  redrawn(function () { done([shown, hidden]); });
});
"""


def series_pixels(browser: WebDriver, chart: int, series: int) -> tuple[int, int]:
    """Pixels drawn on chart ``chart`` (0: the first drawn) with series ``series`` shown, then hidden:
    the difference is what the series itself drew (axes and grid are drawn either way)."""
    shown, hidden = browser.execute_async_script(SERIES_PIXELS, chart, series)
    return int(shown), int(hidden)


TIMED_SCROLL = """
var began = performance.now();
document.getElementById(arguments[0]).scrollIntoView();
document.body.offsetHeight;  // the layout of the table now on screen
return performance.now() - began;
"""

TIMED_SORT = """
var header = document.querySelector('#' + arguments[0] + ' thead th');
var began = performance.now();
header.click();
document.body.offsetHeight;  // the layout the new order needs
return performance.now() - began;
"""

TIMED_FILTER = """
var done = arguments[arguments.length - 1];
var input = document.querySelector('input[data-filter="' + arguments[0] + '"]');
var counter = document.getElementById(arguments[0] + '-shown');
var before = counter.textContent;
var began = performance.now();
input.value = arguments[1];
input.dispatchEvent(new Event('input'));
(function wait() {
  if (counter.textContent === before) return requestAnimationFrame(wait);
  document.body.offsetHeight;
  done([performance.now() - began, counter.textContent]);
})();
"""


def column_texts(browser: WebDriver, table_id: str, column: int = 0) -> list[str]:
    """The visible rows' texts in ``column``, in page order."""
    texts: list[str] = browser.execute_script(
        "var column = arguments[1];"
        "return Array.from(document.getElementById(arguments[0]).tBodies[0].rows)"
        ".filter(function (row) { return !row.hidden; })"
        ".map(function (row) { return row.cells[column].textContent.trim(); });",
        table_id,
        column,
    )
    return texts


def page_figures(browser: WebDriver, page: Path) -> dict[str, Any]:
    """Open ``page`` and time it: charts drawn, DOM loaded; scrolling to the findings table, sorting it and
    filtering it."""
    open_page(browser, page, timeout=300)
    timing = browser.execute_script(
        "var mark = performance.getEntriesByName('catlic-charts-drawn')[0];"
        "var nav = performance.getEntriesByType('navigation')[0];"
        "return [mark ? mark.startTime : null, nav.domContentLoadedEventEnd];"
    )
    scroll_ms = browser.execute_script(TIMED_SCROLL, "findings-table")
    sort_ms = browser.execute_script(TIMED_SORT, "findings-table")
    filter_ms, _ = browser.execute_async_script(TIMED_FILTER, "findings-table", "sw-0000")
    return {
        "drawn_ms": timing[0],
        "dom_ms": timing[1],
        "scroll_ms": scroll_ms,
        "sort_ms": sort_ms,
        "filter_ms": filter_ms,
        "errors": console_errors(browser),
        "requests": requests_made(browser, page),
    }
