"""Flows across machines: a decision on the hub reaches an office, an office's entry reaches the hub."""

from selenium.webdriver.common.by import By

from conftest import html_dir, screenshot, sign_in, submit


def test_resolve_conflict_on_hub_then_see_it_at_a_replica(hub, browser, province):
    sign_in(browser, hub, "repondant")
    browser.get(hub.url + "/proposals/" + province.conflict_id)
    sides = browser.find_elements(By.CSS_SELECTOR, ".conflict[data-field=title] .side")
    assert len(sides) == 2
    values = [side.find_element(By.CSS_SELECTOR, ".value").text for side in sides]
    assert "Nettoyage de la plage chaque mois" in values and "تنظيف الشاطئ وفرز النفايات كل شهر" in values
    screenshot(browser, "hub-proposal-conflict-ar")
    combine = browser.find_element(By.CSS_SELECTOR, ".conflict[data-field=title] details.combine")
    combine.find_element(By.TAG_NAME, "summary").click()
    box = combine.find_element(By.NAME, "value")
    box.clear()
    box.send_keys("تنظيف الشاطئ كل شهر · Nettoyage mensuel de la plage")
    submit(browser, combine.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert "done=resolved" in browser.current_url
    assert not browser.find_elements(By.CSS_SELECTOR, ".conflicts")
    assert browser.find_element(By.TAG_NAME, "h1").text == "تنظيف الشاطئ كل شهر · Nettoyage mensuel de la plage"

    office = province.replicas["ounagha"]
    before = next(p for p in office.proposals() if p["id"] == province.conflict_id)
    assert before["conflictingFields"] == ["title"]
    office.sync()
    after = next(p for p in office.proposals() if p["id"] == province.conflict_id)
    assert after["title"] == "تنظيف الشاطئ كل شهر · Nettoyage mensuel de la plage"
    assert after["conflictingFields"] == []


def test_answer_and_status_reach_the_office(hub, browser, province):
    sign_in(browser, hub, "repondant")
    browser.get(hub.url + "/proposals/" + province.discussed_id)
    form = browser.find_element(By.CSS_SELECTOR, "form[action$='/answer']")
    form.find_element(By.CSS_SELECTOR, "select[name=status] option[value=accepted]").click()
    form.find_element(By.NAME, "answer").send_keys("ستبرمج الجماعة الأشغال في ميزانية السنة المقبلة.")
    submit(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert "done=answered" in browser.current_url
    assert "مقبول" in browser.find_element(By.CSS_SELECTOR, ".pagehead .badges").text
    office = province.replicas["essaouira"]
    office.sync()
    mine = next(p for p in office.proposals() if p["id"] == province.discussed_id)
    assert mine["status"] == "accepted"


def test_create_on_office_page_then_see_it_on_hub(hub, browser, province):
    office = province.replicas["essaouira"]
    browser.get(office.url + "/proposals/new?lang=fr")
    assert html_dir(browser) == ("fr", "ltr")
    browser.find_element(By.NAME, "title").send_keys("ⴰⵙⵙⵉⵍ ⵏ ⵜⵎⴰⵣⵉⵖⵜ — Cours de tifinagh à la maison de jeunes")
    browser.find_element(By.NAME, "body").send_keys("Des cours du soir de tifinagh pour les enfants et les adultes.")
    browser.find_element(By.NAME, "category").send_keys("culture")
    submit(browser, browser.find_element(By.CSS_SELECTOR, "form[action='/proposals'] button[type=submit]"))
    assert "done=created" in browser.current_url
    created = browser.current_url.split("/proposals/")[1].split("?")[0]
    assert "ⴰⵙⵙⵉⵍ" in browser.find_element(By.TAG_NAME, "h1").text

    browser.get(office.url + "/sync")
    pending = int(browser.find_element(By.CSS_SELECTOR, ".stat strong").text)
    assert pending >= 1
    submit(browser, browser.find_element(By.CSS_SELECTOR, "form[action='/sync'] button"))
    assert browser.find_element(By.CSS_SELECTOR, ".notice").text.startswith("✓")
    assert browser.find_element(By.CSS_SELECTOR, ".stat strong").text == "0"
    screenshot(browser, "office-sync-fr")

    sign_in(browser, hub, "lecteur")
    browser.get(hub.url + "/proposals/" + created)
    assert "ⴰⵙⵙⵉⵍ ⵏ ⵜⵎⴰⵣⵉⵖⵜ" in browser.find_element(By.TAG_NAME, "h1").text
