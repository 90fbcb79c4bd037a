"""The coordinators' dashboard in a real browser: sign-in, filters, a proposal, languages, roles."""

import urllib.error
import urllib.parse
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import html_dir, screenshot, sign_in, submit


def test_sign_in_then_out(hub, browser):
    browser.get(hub.url + "/proposals")
    assert browser.current_url.startswith(hub.url + "/login?next=")
    sign_in(browser, hub, "lecteur", password="wrong-password!")
    assert "alert" in browser.find_element(By.CSS_SELECTOR, ".login").get_attribute("innerHTML")
    sign_in(browser, hub, "lecteur")
    assert browser.current_url == hub.url + "/proposals"
    assert browser.find_element(By.CSS_SELECTOR, ".who strong").text == "lecteur"
    submit(browser, browser.find_element(By.CSS_SELECTOR, "form[action='/logout'] button"))
    assert "/login" in browser.current_url


def test_proposals_list_in_arabic_with_filters(hub, browser, province):
    sign_in(browser, hub, "coordinatrice")
    assert html_dir(browser) == ("ar", "rtl")
    rows = browser.find_elements(By.CSS_SELECTOR, "table.proposals tbody tr")
    assert len(rows) == 20  # one page of the 24 samples and more
    screenshot(browser, "hub-proposals-ar", full_page=False)
    Select(browser.find_element(By.NAME, "commune")).select_by_value("tamanar")
    submit(browser, browser.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]"))
    rows = browser.find_elements(By.CSS_SELECTOR, "table.proposals tbody tr")
    assert rows and all("تمنار" in row.text for row in rows)
    assert "commune=tamanar" in browser.current_url
    search = browser.find_element(By.NAME, "q")
    search.clear()
    search.send_keys("ⵜⴰⵙⴰⵔⵓⵜ")
    submit(browser, browser.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]"))
    assert len(browser.find_elements(By.CSS_SELECTOR, "table.proposals tbody tr")) <= len(rows)


def test_text_search_and_paging(hub, browser):
    sign_in(browser, hub, "lecteur")
    browser.get(hub.url + "/proposals?q=" + urllib.parse.quote("RANDONNÉE"))
    titles = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "table.proposals a.title")]
    assert titles == ["Sentier de randonnée vers les plages de Tamanar"]
    browser.get(hub.url + "/proposals?page=2")
    assert browser.find_elements(By.CSS_SELECTOR, "table.proposals tbody tr")
    assert browser.find_element(By.CSS_SELECTOR, ".pager a[rel=prev]")


def test_open_a_proposal_with_thread_and_history(hub, browser, province):
    sign_in(browser, hub, "lecteur")
    browser.get(hub.url + "/proposals/" + province.discussed_id)
    comments = browser.find_elements(By.CSS_SELECTOR, ".thread .comment")
    assert len(comments) == 5
    assert browser.find_elements(By.CSS_SELECTOR, ".comment.depth-3")
    assert browser.find_element(By.CSS_SELECTOR, ".comment.is-deleted .deleted")
    assert "ⴰⵣⵓⵍ" in browser.find_element(By.CSS_SELECTOR, ".comment.depth-3 .comment-body").text
    assert browser.find_element(By.CSS_SELECTOR, ".supports-box strong").text == str(province.discussed_supports)
    assert browser.find_elements(By.XPATH, "//h2[contains(., 'السجل')]")
    assert not browser.find_elements(By.CSS_SELECTOR, "form[action$='/answer']")  # read-only account
    screenshot(browser, "hub-proposal-thread-ar")


def test_switch_language_sets_direction(hub, browser):
    sign_in(browser, hub, "lecteur")
    assert html_dir(browser) == ("ar", "rtl")
    submit(browser, browser.find_element(By.CSS_SELECTOR, "a.lang"))
    assert html_dir(browser) == ("fr", "ltr")
    assert browser.find_element(By.CSS_SELECTOR, "h1").text == "Propositions"
    browser.get(hub.url + "/charts")  # remembered in a cookie
    assert html_dir(browser) == ("fr", "ltr")
    screenshot(browser, "hub-charts-fr")
    submit(browser, browser.find_element(By.CSS_SELECTOR, "a.lang"))
    assert html_dir(browser) == ("ar", "rtl")
    assert browser.find_elements(By.CSS_SELECTOR, "svg.chart rect")
    screenshot(browser, "hub-charts-ar")


def test_read_only_account_is_refused_answering_and_admin_pages(hub, browser, province):
    sign_in(browser, hub, "lecteur")
    browser.get(hub.url + "/replicas")
    assert "غير مسموح" in browser.find_element(By.TAG_NAME, "h1").text
    assert not browser.find_elements(By.CSS_SELECTOR, "a[href='/replicas']")
    browser.get(hub.url + "/proposals/" + province.conflict_id)
    assert browser.find_element(By.CSS_SELECTOR, ".conflicts")
    assert not browser.find_elements(By.CSS_SELECTOR, ".conflicts form")
    # A forged post with the read-only session's own valid token is still refused by role.
    token = browser.find_element(By.CSS_SELECTOR, "form[action='/logout'] input[name=_csrf]").get_attribute("value")
    status = post_in_page(browser, f"/proposals/{province.conflict_id}/answer", {"_csrf": token, "status": "done"})
    assert status == 403


def test_answer_account_cannot_open_replicas(hub, browser):
    sign_in(browser, hub, "repondant")
    browser.get(hub.url + "/replicas")
    assert "غير مسموح" in browser.find_element(By.TAG_NAME, "h1").text
    browser.get(hub.url + "/accounts")
    assert "غير مسموح" in browser.find_element(By.TAG_NAME, "h1").text


def test_post_without_token_is_refused(hub, browser, province):
    sign_in(browser, hub, "coordinatrice")
    status = post_in_page(browser, f"/proposals/{province.discussed_id}/answer", {"status": "done"})
    assert status == 403
    status = post_in_page(browser, f"/proposals/{province.discussed_id}/answer", {"_csrf": "x" * 43, "status": "done"})
    assert status == 403
    browser.get(hub.url + "/proposals/" + province.discussed_id)
    assert "مقبول" not in browser.find_element(By.CSS_SELECTOR, ".pagehead .badges").text


def test_replicas_page_and_exports(hub, browser, province):
    sign_in(browser, hub, "coordinatrice")
    browser.get(hub.url + "/replicas")
    rows = browser.find_elements(By.CSS_SELECTOR, "table.list tbody tr")
    assert len(rows) == 3
    assert "Bureau d'Essaouira" in browser.page_source
    screenshot(browser, "hub-replicas-ar")
    cookies = {c["name"]: c["value"] for c in browser.get_cookies()}
    request = urllib.request.Request(hub.url + "/export.csv", headers={"Cookie": f"hub_session={cookies['hub_session']}"})
    with urllib.request.urlopen(request) as response:
        text = response.read().decode("utf-8")
    assert text.startswith("id,commune,created_at,status")
    assert "ساحة" in text
    request = urllib.request.Request(hub.url + "/export.json", headers={"Cookie": f"hub_session={cookies['hub_session']}"})
    with urllib.request.urlopen(request) as response:
        assert response.read().startswith(b'{"schema":')
    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(hub.url + "/export.json")
        raise AssertionError("the export needs a session")
    except urllib.error.HTTPError as error:
        assert error.code == 303 and error.headers["Location"].startswith("/login")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def post_in_page(browser, path, fields):
    """Posts a form from the page's own origin with fetch and returns the status."""
    return browser.execute_async_script(
        """
        const [path, fields, done] = arguments;
        fetch(path, {method: "POST", body: new URLSearchParams(fields), redirect: "manual",
                     headers: {"Content-Type": "application/x-www-form-urlencoded"}})
          .then(r => done(r.status)).catch(e => done(String(e)));
        """,
        path,
        fields,
    )
