"""The query page and the resource pages in a real browser: headless Chromium (Debian packages ``chromium`` and
``chromium-driver``) driven by Selenium.

Skipped, with the reason, where Chromium, its driver or Selenium is missing, except when ``KG_REQUIRE_BROWSER=1``
(as ``.ci/run`` sets), where that fails the test instead. Screenshots of every page are saved under
``test-artifacts/browser/`` (or ``$KG_TEST_ARTIFACTS/browser/``); the folder is printed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from backends import serving
from conftest import REPO, build_into
from kg.store.local import open_publication
from kg.web import create_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1400,1000"]
WAIT = 30


def missing() -> str | None:
    """Why the browser test cannot run here, or None when it can."""
    for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not path.exists():
            return f"{path} not found (apt-get install {package})"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install selenium)"
    return None


@pytest.fixture(scope="module")
def artifacts(pytestconfig: pytest.Config) -> Path:
    """The folder screenshots are saved in (printed in the test output)."""
    folder = Path(os.environ.get("KG_TEST_ARTIFACTS", REPO / "test-artifacts")) / "browser"
    folder.mkdir(parents=True, exist_ok=True)
    reporter = pytestconfig.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(f"browser screenshots: {folder}")
    return folder


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """A headless Chromium with a fresh profile, driven by Selenium."""
    reason = missing()
    if reason is not None:
        if os.environ.get("KG_REQUIRE_BROWSER") == "1":
            pytest.fail(f"KG_REQUIRE_BROWSER=1 but the browser test cannot run: {reason}")
        pytest.skip(f"no headless browser: {reason}")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="kg-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in [*FLAGS, f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, ox.Store]]:
    """A server over a fresh build of the seeds: (URL, store)."""
    settings, _result = build_into(tmp_path_factory.mktemp("browser"))
    publication = open_publication(settings.data_dir)
    with serving(create_app(settings, publication)) as url:
        yield url, publication.store


def shown(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    """How YASGUI's result table shows a term: ``<iri>`` for an IRI, ``"text"`` for a literal."""
    return f'"{term.value}"' if isinstance(term, ox.Literal) else f"<{term.value}>"


def first_example(store: ox.Store) -> list[str]:
    """The cells of the first result row of the first example query (the first file of ``queries/``)."""
    query = sorted((REPO / "queries").glob("*.rq"))[0].read_text(encoding="utf-8")
    solutions = store.query(query, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    variables = solutions.variables
    row = next(iter(solutions))
    return ["1", *(shown(row[v]) for v in variables if row[v] is not None)]


def test_run_the_first_example_query_then_follow_a_resource_to_its_parent(
    browser: Any, site: tuple[str, ox.Store], artifacts: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    url, store = site
    expected = first_example(store)
    browser.get(url + "/sparql")
    tab_list = (By.CSS_SELECTOR, ".tabsList .tab")
    WebDriverWait(browser, WAIT).until(expected_conditions.presence_of_element_located(tab_list))
    tabs = browser.find_elements(By.CSS_SELECTOR, ".tabsList .tab")
    first_title = sorted((REPO / "queries").glob("*.rq"))[0].read_text(encoding="utf-8").splitlines()[0]
    assert tabs[0].text.splitlines()[0] == first_title.removeprefix("# title: ")
    tabs[0].find_element(By.TAG_NAME, "a").click()
    browser.find_element(By.CSS_SELECTOR, ".tabPanel.active .yasqe_queryButton").click()
    cells = ".tabPanel.active .yasr table.dataTable tbody tr:first-child td"
    WebDriverWait(browser, WAIT).until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, cells)))
    browser.save_screenshot(str(artifacts / "1-sparql-first-example.png"))
    assert [cell.text for cell in browser.find_elements(By.CSS_SELECTOR, cells)] == expected

    result = expected[1].strip("<>")
    browser.get(url + "/doc/" + result.split("/id/", 1)[1])
    browser.save_screenshot(str(artifacts / "2-resource.png"))
    parents = browser.find_elements(By.XPATH, "//h2[text()='Onderdeel van']/following-sibling::ul[1]//a")
    (parent,) = parents
    label = parent.text
    parent.click()
    WebDriverWait(browser, WAIT).until(expected_conditions.text_to_be_present_in_element((By.TAG_NAME, "h1"), label))
    browser.save_screenshot(str(artifacts / "3-parent.png"))
    objective = store.query(
        f"SELECT ?p ?l {{ <{result}> <https://kg.example.org/def/begroting#doelstelling> ?p . "
        "?p <http://www.w3.org/2004/02/skos/core#prefLabel> ?l }", use_default_graph_as_union=True)
    assert isinstance(objective, ox.QuerySolutions)
    (row,) = list(objective)
    assert browser.find_element(By.TAG_NAME, "h1").text == row["l"].value == label
    assert browser.current_url == url + "/doc/" + row["p"].value.split("/id/", 1)[1]
