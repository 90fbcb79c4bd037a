"""Fixtures of the browser tests: a real province (hub + three replicas as processes) and a
headless Chromium driven by Selenium. Nothing is built here: `make web-test` builds first."""

import base64
import os
import shutil
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from province import HUB_SERVER, PASSWORD, REPLICA_NODE, ROOT, Province

SCREENSHOTS = Path(os.environ.get("WEB_TEST_SCREENSHOTS", ROOT / "artifacts" / "screenshots"))


def pytest_configure(config):
    for program in (HUB_SERVER, REPLICA_NODE):
        if not program.exists():
            raise pytest.UsageError(f"{program} is missing: run 'swift build' first (make web-test does)")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)


@pytest.fixture(scope="session")
def province():
    world = Province()
    yield world
    world.close()


@pytest.fixture(scope="session")
def browser():
    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=1366,900", "--lang=ar", "--force-device-scale-factor=1",
                     # A name of another site that resolves to this machine, as in DNS rebinding.
                     "--host-resolver-rules=MAP evil.test 127.0.0.1"):
        options.add_argument(argument)
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    options.binary_location = chromium
    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.implicitly_wait(2)
    yield driver
    driver.quit()


@pytest.fixture
def hub(province, browser):
    """The hub's dashboard, signed out."""
    browser.get(province.hub.url + "/login")
    browser.delete_all_cookies()
    return province.hub


def replaced(old):
    """A wait condition: the page that held `old` has been replaced by the next one.

    Selenium's `staleness_of` expects a stale-element error; while a navigation detaches the old
    document, Chromium sometimes answers with an "unhandled inspector error" (no node with the
    given id) instead, which means the same thing.
    """

    def predicate(_driver):
        try:
            old.is_enabled()
            return False
        except StaleElementReferenceException:
            return True
        except WebDriverException as error:
            if "inspector error" in str(error) or "No node with given id" in str(error):
                return True
            raise

    return predicate


def sign_in(browser, hub, username, password=PASSWORD, lang=None):
    browser.get(hub.url + "/login" + (f"?lang={lang}" if lang else ""))
    browser.find_element(By.NAME, "username").send_keys(username)
    browser.find_element(By.NAME, "password").send_keys(password)
    old = browser.find_element(By.TAG_NAME, "html")
    browser.find_element(By.CSS_SELECTOR, "form[action='/login'] button[type=submit]").click()
    WebDriverWait(browser, 10).until(replaced(old))


def submit(browser, button):
    """Clicks a submit button and waits for the next page."""
    old = browser.find_element(By.TAG_NAME, "html")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
    button.click()
    WebDriverWait(browser, 30).until(replaced(old))


def screenshot(browser, name, full_page=True):
    """Saves a PNG of the page into artifacts/screenshots: the whole page, 1366 px wide."""
    if not full_page:
        browser.save_screenshot(str(SCREENSHOTS / f"{name}.png"))
        return
    height = browser.execute_script("return document.documentElement.scrollHeight")
    shot = browser.execute_cdp_cmd(
        "Page.captureScreenshot",
        {"format": "png", "captureBeyondViewport": True,
         "clip": {"x": 0, "y": 0, "width": 1366, "height": min(height, 4000), "scale": 1}},
    )
    (SCREENSHOTS / f"{name}.png").write_bytes(base64.b64decode(shot["data"]))


def html_dir(browser):
    element = browser.find_element(By.TAG_NAME, "html")
    return element.get_attribute("lang"), element.get_attribute("dir")
