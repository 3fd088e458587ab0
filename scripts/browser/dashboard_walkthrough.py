#!/usr/bin/env python3
"""Drives a real headless Chromium through the seed page's steps (issue 8): sign in -> Hub -> key
icon -> API Keys -> Generate -> copy the shown token -> use it with an HTTP call -> delete it ->
settings -> copy org handle. Saves a screenshot of each page at a laptop and a phone width, and
exits non-zero when a step fails.

Usage: dashboard_walkthrough.py BASE_URL EMAIL PASSWORD ORG_HANDLE SCREENSHOT_DIR
"""
import json
import pathlib
import sys
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

BASE, EMAIL, PASSWORD, ORG, OUT = sys.argv[1:6]
OUT = pathlib.Path(OUT)
OUT.mkdir(parents=True, exist_ok=True)
SIZES = {"laptop": (1366, 900), "phone": (390, 844)}

options = webdriver.ChromeOptions()
for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
    options.add_argument(flag)
options.binary_location = "/usr/bin/chromium"
driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path="/usr/bin/chromedriver"), options=options)
wait = WebDriverWait(driver, 10)
shot_count = 0


def step(text):
    print(f"ok   {text}", flush=True)


def fail(text):
    print(f"FAIL {text}", flush=True)
    driver.save_screenshot(str(OUT / "failure.png"))
    driver.quit()
    sys.exit(1)


def screenshots(name):
    """The current page at both widths; also checks that nothing came from another origin."""
    global shot_count
    shot_count += 1
    for label, (width, height) in SIZES.items():
        driver.set_window_size(width, height)
        path = OUT / f"{shot_count:02d}-{name}-{label}.png"
        driver.save_screenshot(str(path))
        overflow = driver.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 1:
            fail(f"{name} is {overflow}px wider than the {label} screen")
    driver.set_window_size(*SIZES["laptop"])
    foreign = driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name).filter(n => !n.startsWith(location.origin))")
    if foreign:
        fail(f"{name} fetched from elsewhere: {foreign}")
    step(f"screenshots of {name} (laptop and phone)")


def clipboard():
    return driver.execute_async_script(
        "const done = arguments[0]; navigator.clipboard.readText().then(done, e => done('ERROR ' + e))")


def api(token):
    request = urllib.request.Request(
        f"{BASE}/api/v2/platform/organizations/", headers={"Authorization": f"Token {token}", "Org-Handle": ORG})
    try:
        with urllib.request.urlopen(request) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


try:
    driver.execute_cdp_cmd("Browser.grantPermissions", {
        "origin": BASE, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})
    driver.set_window_size(*SIZES["laptop"])

    driver.get(f"{BASE}/dashboard/")
    wait.until(EC.presence_of_element_located((By.ID, "sign-in-form")))
    step("the dashboard sends a visitor to sign in")
    screenshots("sign-in")
    driver.find_element(By.ID, "email").send_keys(EMAIL)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.ID, "sign-in").click()
    wait.until(EC.title_contains("Hub"))
    if ORG not in driver.find_element(By.TAG_NAME, "main").text:
        fail("the Hub does not list the organization")
    step(f"signed in as {EMAIL}: the Hub lists {ORG}")
    screenshots("hub")

    key_icon = driver.find_element(By.ID, "nav-api-keys")
    if key_icon.find_elements(By.CSS_SELECTOR, "svg") == [] or key_icon.get_attribute("aria-label") != "Api Keys":
        fail("the sidebar has no key icon labelled Api Keys")
    key_icon.click()
    wait.until(EC.title_contains("API Keys"))
    step("the key icon in the left sidebar leads to API Keys")
    screenshots("api-keys")

    driver.find_element(By.ID, "key-name").send_keys("selenium walkthrough")
    driver.find_element(By.ID, "generate").click()
    token_element = wait.until(EC.presence_of_element_located((By.ID, "new-token")))
    token = token_element.text.strip()
    if not token.startswith("unpod_") or "will not be shown again" not in driver.page_source:
        fail(f"no token shown with its warning: {token!r}")
    step(f"Generate New API Key shows a token once ({token[:22]}...)")
    screenshots("new-key")

    driver.find_element(By.ID, "copy-token").click()
    wait.until(lambda d: d.find_element(By.ID, "copy-token").text == "Copied")
    copied = clipboard()
    if copied != token:
        fail(f"the copy button put {copied!r} on the clipboard")
    step("the copy button put the token on the clipboard")

    status, body = api(copied)
    if status != 200 or body["data"][0]["domain_handle"] != ORG:
        fail(f"the copied token on GET /organizations/: {status} {body}")
    step(f"GET /api/v2/platform/organizations/ with the copied token: {status}, {body['data'][0]['domain_handle']}")

    key_id = token.split("_")[1]
    row = driver.find_element(By.CSS_SELECTOR, f'tr[data-key-id="{key_id}"]')
    row.find_element(By.CSS_SELECTOR, "button.danger").click()
    alert = wait.until(EC.alert_is_present())
    if key_id not in alert.text:
        fail(f"the confirmation does not name the key: {alert.text!r}")
    alert.accept()
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "p.notice")))
    if driver.find_elements(By.CSS_SELECTOR, f'tr[data-key-id="{key_id}"]'):
        fail("the deleted key is still listed")
    step("Delete, confirmed, removes the key from the table")
    screenshots("key-deleted")
    status, body = api(token)
    if status != 401 or body.get("message") != "Invalid token.":
        fail(f"the deleted key on GET /organizations/: {status} {body}")
    step(f"the deleted key is refused: {status} {body['message']}")

    driver.find_element(By.ID, "nav-settings").click()
    wait.until(EC.title_contains("Organization settings"))
    shown = driver.find_element(By.ID, "org-handle").text
    if shown != ORG:
        fail(f"settings show the handle {shown!r}")
    screenshots("settings")
    driver.find_element(By.ID, "copy-org-handle").click()
    wait.until(lambda d: d.find_element(By.ID, "copy-org-handle").text == "Copied")
    copied = clipboard()
    if copied != ORG:
        fail(f"Copy Org Handle put {copied!r} on the clipboard")
    step(f"Copy Org Handle put {copied!r} on the clipboard")

    driver.find_element(By.ID, "sign-out").click()
    wait.until(EC.presence_of_element_located((By.ID, "sign-in-form")))
    step("signed out")
except SystemExit:
    raise
except Exception as error:  # any Selenium or HTTP failure is a failed step
    fail(f"{type(error).__name__}: {error}")

driver.quit()
print(f"all steps passed; {shot_count * len(SIZES)} screenshots in {OUT}")
