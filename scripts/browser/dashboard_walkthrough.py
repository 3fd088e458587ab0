#!/usr/bin/env python3
"""Drives a real headless Chromium through the seed page's steps (issue 8): sign in -> Hub -> key
icon -> API Keys -> Generate -> copy the shown token -> use it with an HTTP call -> delete it ->
settings -> copy org handle. Saves a screenshot of each page at a laptop and a phone width, and
exits non-zero when a step fails.

Then a test call from the Agents page (issue 17): the agent's endpoint brain is a tiny local
OpenAI-compatible model started here, streaming a scripted answer; the page shows the reply as it
streams, the time to its first token, and the call in Calls once hung up.

Usage: dashboard_walkthrough.py BASE_URL EMAIL PASSWORD ORG_HANDLE SCREENSHOT_DIR
"""
import http.server
import json
import pathlib
import sys
import threading
import time
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

BASE, EMAIL, PASSWORD, ORG, OUT = sys.argv[1:6]
OUT = pathlib.Path(OUT)
OUT.mkdir(parents=True, exist_ok=True)
SIZES = {"laptop": (1280, 800), "phone": (390, 844)}

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
        # At laptop width every table fits its panel: no column hidden behind a scroll bar.
        hidden = driver.execute_script(
            "return [...document.querySelectorAll('.scroll')].map(s => s.scrollWidth - s.clientWidth).filter(d => d > 1)")
        if label == "laptop" and hidden:
            fail(f"{name} has a table {hidden}px wider than its panel at {width}px")
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


class ScriptedModel(http.server.BaseHTTPRequestHandler):
    """An OpenAI-compatible chat/completions that streams "You said: <last user turn>. Anything else?"."""
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))))
        if self.path == "/hook":  # the webhook endpoint the walk adds: any 2xx delivers
            self.send_response(204)
            self.end_headers()
            return
        last = [m for m in body["messages"] if m["role"] == "user"][-1]["content"]
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for part in ["You said: ", last, ". Anything else?"]:
            self.chunk("data: " + json.dumps({"choices": [{"delta": {"content": part}}]}) + "\n\n")
            time.sleep(0.05)
        self.chunk("data: [DONE]\n\n")
        self.wfile.write(b"0\r\n\r\n")

    def chunk(self, text):
        data = text.encode()
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def log_message(self, *args):
        pass


def speech(token, method, path, body):
    request = urllib.request.Request(
        f"{BASE}/api/v2/platform/speech/v1{path}", data=json.dumps(body).encode(), method=method,
        headers={"Authorization": f"Token {token}", "Org-Handle": ORG, "Content-Type": "application/json"})
    with urllib.request.urlopen(request) as answer:
        return answer.status


model = http.server.ThreadingHTTPServer(("127.0.0.1", 0), ScriptedModel)
threading.Thread(target=model.serve_forever, daemon=True).start()

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

    created = speech(token, "POST", "/agents", {
        "agent_id": "front-desk", "name": "Front desk", "greeting": "Hello, Acme front desk.",
        "brain": {"type": "endpoint", "ref": f"http://127.0.0.1:{model.server_address[1]}/v1"}})
    if created != 201:
        fail(f"creating the test agent answered {created}")
    step("an agent with an endpoint brain (a local scripted model) made with the copied token")

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

    driver.find_element(By.ID, "nav-webhooks").click()
    wait.until(EC.title_contains("Webhooks"))
    driver.find_element(By.ID, "webhook-url").send_keys(f"http://127.0.0.1:{model.server_address[1]}/hook")
    driver.find_element(By.CSS_SELECTOR, 'input[name="event"][value="call.ended"]').click()
    driver.find_element(By.ID, "add-webhook").click()
    secret = wait.until(EC.presence_of_element_located((By.ID, "new-secret"))).text.strip()
    if not secret.startswith("whsec_") or "will not be shown again" not in driver.page_source:
        fail(f"no signing secret shown with its warning: {secret!r}")
    step(f"Webhooks: an endpoint for call.ended added; its secret shown once ({secret[:12]}...)")
    screenshots("webhooks")

    driver.find_element(By.ID, "nav-agents").click()
    wait.until(EC.title_contains("Agents"))
    driver.find_element(By.ID, "test-call-front-desk").click()
    wait.until(EC.title_contains("Test call"))
    try:
        wait.until(lambda d: d.find_element(By.ID, "call-status").text == "active")
    except Exception:
        fail(f"the test call did not become active: {driver.find_element(By.ID, 'call-status').text!r}")
    wait.until(lambda d: "Hello, Acme front desk." in d.find_element(By.ID, "live-transcript").text)
    step("Test call on the Agents page connects; the agent's greeting shows")
    driver.find_element(By.ID, "say-text").send_keys("Are you open on Sunday?")
    driver.find_element(By.ID, "say").click()
    wait.until(lambda d: "You said: Are you open on Sunday?. Anything else?" in d.find_element(By.ID, "live-transcript").text)
    first_token = driver.find_element(By.ID, "first-token").text
    if not first_token.endswith(" ms"):
        fail(f"no time to the first token shown: {first_token!r}")
    step(f"the reply streamed in; time to its first token: {first_token}")
    screenshots("test-call")
    driver.find_element(By.ID, "hang-up").click()
    wait.until(lambda d: d.find_element(By.ID, "call-ended").is_displayed())
    if "USER_HUNG_UP_IN_CALL" not in driver.find_element(By.ID, "call-status").text:
        fail(f"the call did not end as hung up: {driver.find_element(By.ID, 'call-status').text!r}")
    driver.find_element(By.ID, "call-link").click()
    wait.until(EC.title_contains("Call "))
    page = driver.find_element(By.TAG_NAME, "main").text
    if "Are you open on Sunday?" not in page or "connected" not in page:
        fail("the call's page does not show the conversation")
    step("Hang up ends the call; it appears in Calls with its transcript")
    screenshots("test-call-ended")

    driver.find_element(By.ID, "nav-webhooks").click()
    wait.until(EC.title_contains("Webhooks"))
    driver.find_element(By.CSS_SELECTOR, "#webhooks-table a").click()
    wait.until(EC.title_contains("Webhook ep_"))
    for _ in range(50):
        rows = driver.find_elements(By.CSS_SELECTOR, "#deliveries-table tbody tr")
        if rows and "call.ended" in rows[0].text and "delivered" in rows[0].text:
            break
        time.sleep(0.2)
        driver.refresh()
    else:
        fail("the call's call.ended was not shown delivered on the endpoint's page")
    if "204" not in driver.find_element(By.ID, "attempts-table").text:
        fail("the endpoint's attempts do not show the receiver's 204")
    step("the call's call.ended shows delivered on the endpoint's page, its attempt answered 204")
    screenshots("webhook")

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
