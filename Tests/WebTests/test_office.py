"""A commune office's own pages, served by `replica-node serve`, with no network."""

import http.server
import threading

from selenium.webdriver.common.by import By

from conftest import html_dir, screenshot, submit
from province import REPLICA_NODE, Server, free_port, run


def test_office_pages_in_french(browser, province):
    office = province.replicas["essaouira"]
    browser.get(office.url + "/proposals?lang=fr")
    assert html_dir(browser) == ("fr", "ltr")
    assert len(browser.find_elements(By.CSS_SELECTOR, "table.proposals tbody tr")) == 20
    screenshot(browser, "office-proposals-fr", full_page=False)
    browser.get(office.url + "/proposals/" + province.discussed_id)
    assert browser.find_element(By.CSS_SELECTOR, ".comment.is-deleted")
    screenshot(browser, "office-proposal-fr")


def test_comment_reply_and_delete(browser, province):
    office = province.replicas["essaouira"]
    browser.get(office.url + "/proposals/" + province.discussed_id + "?lang=fr")
    before = len(browser.find_elements(By.CSS_SELECTOR, ".thread .comment"))
    form = browser.find_element(By.CSS_SELECTOR, "#comments > form.comment-form")
    form.find_element(By.NAME, "body").send_keys("Les commerçants du quartier soutiennent cette idée.")
    form.find_element(By.CSS_SELECTOR, "input[name=alignment][value=for]").click()
    submit(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert "done=commented" in browser.current_url
    comments = browser.find_elements(By.CSS_SELECTOR, ".thread .comment")
    assert len(comments) == before + 1
    newest = comments[-1]
    assert "Pour" in newest.text
    submit(browser, newest.find_element(By.CSS_SELECTOR, "form[action$='/delete'] button"))
    assert "done=deleted" in browser.current_url
    assert len(browser.find_elements(By.CSS_SELECTOR, ".thread .comment.is-deleted")) == 2


def test_support_and_event_attendance(browser, province):
    office = province.replicas["essaouira"]
    browser.get(office.url + "/proposals/" + province.discussed_id + "?lang=fr")
    count = int(browser.find_element(By.CSS_SELECTOR, ".supports-box strong").text)
    browser.find_element(By.CSS_SELECTOR, "#supports input[name=citizen]").send_keys("c-9001")
    submit(browser, browser.find_element(By.CSS_SELECTOR, "#supports form button[type=submit]"))
    assert int(browser.find_element(By.CSS_SELECTOR, ".supports-box strong").text) == count + 1

    browser.get(office.url + "/events")
    browser.find_element(By.NAME, "title").send_keys("ورشة الميزانية التشاركية")
    browser.find_element(By.CSS_SELECTOR, "select[name=kind] option[value=workshop]").click()
    browser.execute_script("document.querySelector('input[name=date]').value = '2026-12-03'")
    browser.find_element(By.NAME, "venue").send_keys("Dar Souiri")
    submit(browser, browser.find_element(By.CSS_SELECTOR, "form[action='/events'] button[type=submit]"))
    assert "done=event" in browser.current_url
    for participant in ("p-0001", "p-0002"):
        browser.find_element(By.NAME, "participant").send_keys(participant)
        submit(browser, browser.find_element(By.CSS_SELECTOR, "form[action$='/attendance'] button[type=submit]"))
    assert len(browser.find_elements(By.CSS_SELECTOR, "ul.supporters li")) == 2
    screenshot(browser, "office-event-fr")


def test_sync_now_with_hub_down_says_so(browser, province, tmp_path):
    db = tmp_path / "field-laptop.sqlite"
    token = "esw1.01a2250f-fdfc-7b4d-b695-15eb96e5f982." + "A" * 43
    run(REPLICA_NODE, "init", "--db", db, "--commune", "tamanar", "--hub", f"http://127.0.0.1:{free_port()}",
        "--token-stdin", stdin=token + "\n")
    port = free_port()
    server = Server([REPLICA_NODE, "serve", "--db", db, "--port", port, "--timeout", "2", "--retries", "0"],
                    tmp_path / "serve.log", f"http://127.0.0.1:{port}/assets/app.css")
    try:
        browser.get(f"http://127.0.0.1:{port}/sync?lang=fr")
        submit(browser, browser.find_element(By.CSS_SELECTOR, "form[action='/sync'] button"))
        alert = browser.find_element(By.CSS_SELECTOR, ".alert")
        assert "injoignable" in alert.text
        screenshot(browser, "office-sync-unreachable-fr", full_page=False)
    finally:
        server.stop()


def test_office_pages_refuse_another_host_name(browser, province):
    """A page that resolves its own name to 127.0.0.1 (DNS rebinding) reaches nothing."""
    office = province.replicas["essaouira"]
    port = office.url.rsplit(":", 1)[1]
    browser.get(f"http://evil.test:{port}/proposals?lang=fr")
    assert "Adresse inconnue" in browser.find_element(By.TAG_NAME, "h1").text
    assert "--allowed-host" in browser.find_element(By.CSS_SELECTOR, ".error-page").text
    assert not browser.find_elements(By.CSS_SELECTOR, "table.proposals")


def test_office_pages_refuse_a_form_from_another_site(browser, province):
    """A page of another site that posts a form to the office pages changes nothing."""
    office = province.replicas["essaouira"]
    before = len(office.proposals())
    page = (
        "<!doctype html><meta charset=utf-8><title>x</title>"
        f"<form id=f method=post action='{office.url}/proposals?lang=fr'>"
        "<input name=title value='Piratage'><input name=body value='x'>"
        "<input name=commune value=essaouira><button>go</button></form>"
    ).encode()

    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args):
            pass

    attacker = http.server.HTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=attacker.serve_forever, daemon=True)
    thread.start()
    try:
        browser.get(f"http://evil.test:{attacker.server_port}/")
        submit(browser, browser.find_element(By.CSS_SELECTOR, "#f button"))
        assert "autre site" in browser.find_element(By.CSS_SELECTOR, ".error-page").text
        assert len(office.proposals()) == before
    finally:
        attacker.shutdown()
        attacker.server_close()
