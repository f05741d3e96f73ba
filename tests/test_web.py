"""`phiguard web`: the page in a real browser (Debian's Chromium driven by Selenium), and the
server's safety: loopback only, cross-origin and foreign-Host requests refused, no draft
text in its output, no file written.

One server process (started as a user would, in a folder with a configuration and a consent
registry) serves every test of this module, so the model is loaded once.
"""

from __future__ import annotations

import fcntl
import http.client
import json
import os
import signal
import socket
import struct
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from .conftest import AMBIENT, phiguard_command, write

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
DISCLAIMER = "Education only; it never replaces a visit."
ADVICE = "Myth: you need to rinse after brushing."
NAME, MRN = "Tobias Renfield", "00482913"  # an invented patient
PHI_DRAFT = f"Congrats to {NAME}, MRN {MRN}, on finishing chemo at our clinic today!"
CONFIG = f"""consent_registry: consents.yaml
org:
  name: Kestrel Bay Health
  disclaimer: "{DISCLAIMER}"
"""
CONSENTS = """consents:
  - id: AUTH-WEB-1
    subject: Orla Quenby
    status: signed
    covers: [name, photo, diagnosis, treatment]
    platforms: [facebook]
    signed: 2025-01-01
    expires: 2026-12-31
"""
LOCAL = pytest.mark.allow_hosts(["127.0.0.1", "::1"])  # the server, chromedriver


@dataclass
class Served:
    process: subprocess.Popen[bytes]
    folder: Path
    chunks: list[bytes] = field(default_factory=list)  # all it wrote, stdout and stderr
    url: str = ""

    @property
    def port(self) -> int:
        return int(self.url.rstrip("/").rsplit(":", 1)[1])

    def output(self) -> str:
        return b"".join(self.chunks).decode("utf-8", "replace")


def _collect(stream: Any, chunks: list[bytes]) -> None:
    while chunk := os.read(stream.fileno(), 4096):
        chunks.append(chunk)


def _files(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_size for p in sorted(folder.rglob("*"))}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    folder = tmp_path_factory.mktemp("web")
    write(folder / ".phiguard.yaml", CONFIG)
    write(folder / "consents.yaml", CONSENTS)
    (folder / "home").mkdir()  # its home too: anything written there is seen
    env = {k: v for k, v in os.environ.items() if k not in AMBIENT}
    env["HOME"] = str(folder / "home")
    process = subprocess.Popen([*phiguard_command(), "web", "--port", "0", "--no-open"],
                               cwd=folder, env=env, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    served = Served(process, folder)
    readers = [threading.Thread(target=_collect, args=(s, served.chunks), daemon=True)
               for s in (process.stdout, process.stderr)]
    for reader in readers:
        reader.start()
    deadline = time.monotonic() + 240
    while "serving http" not in served.output():
        assert process.poll() is None, f"phiguard web ended: {served.output()}"
        assert time.monotonic() < deadline, f"phiguard web did not start: {served.output()}"
        time.sleep(0.1)
    served.url = served.output().split("serving ", 1)[1].split()[0]
    yield served
    process.send_signal(signal.SIGINT)  # Ctrl-C: it stops normally
    try:
        assert process.wait(timeout=30) == 0, served.output()
    finally:
        process.kill()
        for reader in readers:
            reader.join(timeout=5)


def call(served: Served, method: str, path: str, body: Any = None,
         headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], Any]:
    """One request, as the page sends it unless ``headers`` say otherwise."""
    sent = {"Host": f"127.0.0.1:{served.port}"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        sent.update({"Content-Type": "application/json",
                     "Origin": f"http://127.0.0.1:{served.port}"})
    sent.update(headers or {})
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=120)
    try:
        connection.request(method, path, body=data, headers=sent)
        response = connection.getresponse()
        raw = response.read()
        kind = response.getheader("Content-Type") or ""
        answer = json.loads(raw) if kind.startswith("application/json") else raw
        return response.status, {k.lower(): v for k, v in response.getheaders()}, answer
    finally:
        connection.close()


# --- the page in a browser ---------------------------------------------------------------

@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    """Chromium from the Debian packages, headless, with a fresh profile and nothing that
    reaches the network (no updates, sync, QUIC or background requests)."""
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if missing:
        pytest.fail(f"the browser test needs {' and '.join(missing)}: install Chromium and its "
                    "driver (Debian: apt-get install chromium chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                     "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync",
                     "--window-size=1300,900", f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(argument)
    # The driver is named, so selenium-manager never looks for one on the network.
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)),
                              options=options)
    try:
        yield driver
    finally:
        driver.quit()


def _open_page(browser: Any, served: Served) -> Any:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(served.url)
    wait = WebDriverWait(browser, 120)
    # the choices come from the configured registry and the project's vocabularies
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#consent option[value='AUTH-WEB-1']"))
    assert browser.find_elements(By.CSS_SELECTOR, "#kind option[value='review_reply']")
    assert "Orla" not in browser.find_element(By.ID, "consent").text  # ids, never subjects
    return wait


def _finding_texts(browser: Any) -> list[str]:
    from selenium.webdriver.common.by import By

    return [item.text for item in browser.find_elements(By.CSS_SELECTOR, "#findings li")]


@LOCAL
def test_in_a_browser_a_pasted_draft_is_highlighted_and_its_safe_fix_applied(
        served: Served, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    wait = _open_page(browser, served)
    draft = browser.find_element(By.ID, "draft")
    draft.send_keys(ADVICE)
    browser.find_element(By.ID, "check").click()
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#backdrop mark"))
    marks = browser.find_elements(By.CSS_SELECTOR, "#backdrop mark")
    # highlighted in place: the finding's words, in the draft's own first line
    assert [m.get_attribute("textContent") for m in marks] == ["Myth"]
    assert marks[0].get_attribute("class") == "warning"
    assert marks[0].get_attribute("data-rules") == "DIS001"
    editor = browser.find_element(By.ID, "editor").rect
    assert 0 <= marks[0].rect["y"] - editor["y"] < 40 and 0 <= marks[0].rect["x"] - editor["x"] < 40
    [finding] = _finding_texts(browser)
    assert "WARNING" in finding.upper() and "DIS001" in finding
    assert "Health advice without a disclaimer" in finding and "How to fix:" in finding

    browser.find_element(By.CSS_SELECTOR, "#findings .apply-fix").click()
    wait.until(lambda d: d.find_element(By.ID, "draft").get_attribute("value") != ADVICE)
    assert draft.get_attribute("value") == f"{ADVICE}\n\n{DISCLAIMER}"
    wait.until(lambda d: "No findings" in d.find_element(By.ID, "summary").text)
    assert _finding_texts(browser) == []
    assert browser.find_elements(By.CSS_SELECTOR, "#backdrop mark") == []
    assert "DIS001: appended the organization's disclaimer" in browser.find_element(
        By.ID, "notes").text
    # nothing the page needs was refused (its Content-Security-Policy) or missing
    assert [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []


@LOCAL
def test_in_a_browser_redact_replaces_the_patients_identifiers(served: Served,
                                                               browser: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    wait = _open_page(browser, served)
    Select(browser.find_element(By.ID, "platform")).select_by_value("facebook")
    browser.find_element(By.ID, "draft").send_keys(PHI_DRAFT)
    browser.find_element(By.ID, "check").click()
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#backdrop mark.error"))
    marked = [m.get_attribute("textContent")
              for m in browser.find_elements(By.CSS_SELECTOR, "#backdrop mark.error")]
    assert NAME in marked and f"MRN {MRN}" in marked
    assert NAME not in browser.find_element(By.ID, "findings").text  # excerpts are masked
    browser.find_element(By.ID, "redact").click()
    wait.until(lambda d: NAME not in d.find_element(By.ID, "draft").get_attribute("value"))
    after = browser.find_element(By.ID, "draft").get_attribute("value")
    assert MRN not in after and after.startswith("Congrats to a patient")


@LOCAL
def test_in_a_browser_a_scheduler_export_is_opened_and_read_as_csv(served: Served,
                                                                   browser: Any,
                                                                   tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    export = write(tmp_path / "november.csv",
                   "date,platform,message\n"
                   "2026-11-03,facebook,Join us Saturday for our community 5K!\n"
                   f"2026-11-04,facebook,\"{PHI_DRAFT}\"\n")
    wait = _open_page(browser, served)
    browser.find_element(By.ID, "file").send_keys(str(export))
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#backdrop mark.error"))
    assert browser.find_element(By.ID, "name").text == "read as november.csv"
    assert browser.find_element(By.ID, "format").get_attribute("value") == ".csv"
    assert browser.find_element(By.ID, "draft").get_attribute("value") == export.read_text()
    assert f"MRN {MRN}" in [m.get_attribute("textContent")
                            for m in browser.find_elements(By.CSS_SELECTOR, "#backdrop mark")]
    assert all("line 3" in text for text in _finding_texts(browser))  # the row's own line


# --- the server's safety -----------------------------------------------------------------

def _listening(port: int) -> list[str]:
    """The local addresses the kernel has a listening TCP socket on for ``port`` (hex)."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not Path(table).exists():
            continue
        for row in Path(table).read_text().splitlines()[1:]:
            local, state = row.split()[1], row.split()[3]
            if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:  # 0A: LISTEN
                found.append(local.rsplit(":", 1)[0])
    return found


def _other_addresses() -> list[str]:
    """This machine's IPv4 addresses that are not loopback."""
    found = []
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        for _, name in socket.if_nameindex():
            try:
                packed = fcntl.ioctl(probe.fileno(), 0x8915,  # SIOCGIFADDR
                                     struct.pack("256s", name[:15].encode()))
            except OSError:
                continue
            address = socket.inet_ntoa(packed[20:24])
            if not address.startswith("127."):
                found.append(address)
    finally:
        probe.close()
    return found


@pytest.mark.enable_socket  # connects to this machine's own other addresses, nothing else
def test_it_listens_on_loopback_only(served: Served) -> None:
    assert served.url.startswith("http://127.0.0.1:")
    assert _listening(served.port) == ["0100007F"]  # 127.0.0.1, and nothing else
    for address in _other_addresses():
        with pytest.raises(OSError), socket.create_connection((address, served.port), 5):
            pass


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::", "example.org"])
def test_a_host_that_is_not_loopback_is_refused_before_anything_loads(host: str,
                                                                     tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in AMBIENT}
    proc = subprocess.run([*phiguard_command(), "web", "--host", host, "--no-open"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        "phiguard: error: --host: phiguard web serves this computer only (plain HTTP, no "
        "login): give 127.0.0.1, ::1 or localhost"]


@LOCAL
def test_a_port_in_use_is_said_at_once(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in AMBIENT}
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = subprocess.run([*phiguard_command(), "web", "--port", str(port), "--no-open"],
                              cwd=tmp_path, env=env, capture_output=True, text=True,
                              timeout=120)
    assert proc.returncode == 2
    # the only line: said before "loading the checker..."
    assert proc.stderr.strip().splitlines() == [
        f"phiguard: error: cannot listen on 127.0.0.1 port {port}: Address already in use "
        "(choose another with --port; 0 picks a free one)"]


@pytest.mark.parametrize(("config", "error"), [
    ("consent_registry: nowhere.yaml\n", "nowhere.yaml: file not found"),
    ("fail_onn: error\n", ".phiguard.yaml:1: top level: unknown key 'fail_onn'"),
])
def test_a_broken_configuration_stops_it_at_start(config: str, error: str,
                                                  tmp_path: Path) -> None:
    write(tmp_path / ".phiguard.yaml", config)
    env = {k: v for k, v in os.environ.items() if k not in AMBIENT}
    proc = subprocess.run([*phiguard_command(), "web", "--port", "0", "--no-open"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("phiguard: error: ") and error in last and "Traceback" not in proc.stderr
    assert "serving" not in proc.stderr


@LOCAL
def test_the_page_and_its_answers_carry_the_safety_headers(served: Served) -> None:
    for path in ("/", "/static/app.js", "/static/style.css", "/api/options"):
        status, headers, _ = call(served, "GET", path)
        assert status == 200, path
        assert headers["content-security-policy"].startswith("default-src 'self'")
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["cache-control"] == "no-store"
        assert not [h for h in headers if h.startswith("access-control-")]
    status, _, options = call(served, "GET", "/api/options")
    assert [c["id"] for c in options["consents"]] == ["AUTH-WEB-1"]
    assert "Orla" not in json.dumps(options)  # a record's subject never leaves


@LOCAL
@pytest.mark.parametrize(("method", "path", "headers", "status"), [
    ("POST", "/api/check", {"Origin": "http://evil.example"}, 403),
    ("POST", "/api/check", {"Origin": "null"}, 403),
    ("POST", "/api/check", {"Sec-Fetch-Site": "cross-site"}, 403),
    ("POST", "/api/fix", {"Host": "evil.example"}, 403),
    ("POST", "/api/check", {"Host": "evil.example:{port}"}, 403),  # DNS rebinding
    ("GET", "/", {"Host": "evil.example:{port}"}, 403),
    ("GET", "/api/options", {"Sec-Fetch-Site": "cross-site"}, 403),
    ("POST", "/api/check", {"Content-Type": "text/plain"}, 415),
    ("OPTIONS", "/api/check", {"Origin": "http://evil.example"}, 405),  # no CORS preflight
    ("POST", "/api/check", {}, 200),  # the page's own request, with its Origin
    ("POST", "/api/check", {"Host": "localhost:{port}", "Origin": "http://localhost:{port}"},
     200),
])
def test_requests_from_elsewhere_are_refused(served: Served, method: str, path: str,
                                             headers: dict[str, str], status: int) -> None:
    sent = {k: v.replace("{port}", str(served.port)) for k, v in headers.items()}
    body = {"text": ADVICE} if method == "POST" else None
    got, answer_headers, answer = call(served, method, path, body, sent)
    assert got == status, answer
    assert not [h for h in answer_headers if h.startswith("access-control-")]
    if status == 200:
        assert [f["rule"] for f in answer["findings"]] == ["DIS001"]


@LOCAL
def test_a_request_larger_than_the_limit_is_refused_unread(served: Served) -> None:
    from phiguard.web.server import MAX_BODY

    with socket.create_connection(("127.0.0.1", served.port), 30) as connection:
        connection.sendall(
            f"POST /api/check HTTP/1.1\r\nHost: 127.0.0.1:{served.port}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {MAX_BODY + 1}\r\n\r\n".encode())
        answer = connection.makefile("rb").read()
    assert answer.startswith(b"HTTP/1.0 413 ")


@LOCAL
def test_the_chosen_metadata_drives_the_rules(served: Served) -> None:
    """Platform, date and consent record from the page are the draft's: a record for
    facebook that expires at the end of 2026 covers March but not 2027, nor Instagram."""
    text = "Orla Quenby finished her final chemo cycle with us and got to ring the bell!"
    base = {"text": text, "kind": "post", "consent": "AUTH-WEB-1"}
    consent = []
    for platform, day in (("facebook", "2026-03-02"), ("facebook", "2027-03-02"),
                          ("instagram", "2026-03-02")):
        status, _, answer = call(served, "POST", "/api/check",
                                 {**base, "platform": platform, "scheduled_at": day})
        assert status == 200, answer
        consent.append([f["message"] for f in answer["findings"] if f["category"] == "consent"])
    assert consent[0] == []
    assert len(consent[1]) == 1 and "expired on 2026-12-31, before the scheduled date" in (
        consent[1][0])
    assert len(consent[2]) == 1 and "does not list instagram" in consent[2][0]
    status, _, answer = call(served, "POST", "/api/check",
                             {**base, "scheduled_at": "2026-02-30"})
    assert status == 400 and answer["error"].startswith("scheduled date ")


@LOCAL
def test_a_draft_leaves_no_trace_in_the_servers_output_or_folder(served: Served) -> None:
    before = _files(served.folder)
    draft = f"{PHI_DRAFT}\nDOB 03/14/1961. {ADVICE}"
    for path in ("/api/check", "/api/fix", "/api/redact"):
        status, _, answer = call(served, "POST", path, {"text": draft, "platform": "facebook"})
        assert status == 200, answer
    status, _, answer = call(served, "POST", "/api/check", {"text": draft, "platform": NAME})
    assert status == 400 and NAME not in json.dumps(answer)  # an error never echoes a value
    status, _, answer = call(served, "POST", "/api/check", {"text": draft, NAME: True})
    assert status == 400 and NAME not in json.dumps(answer)
    # a request line holding the name would be in any request log
    status, _, _ = call(served, "GET", f"/?draft={NAME.replace(' ', '+')}+{MRN}")
    assert status == 200
    time.sleep(0.5)  # anything it would print has been read
    output = served.output()
    assert "serving http://127.0.0.1:" in output  # the capture works
    for secret in (NAME, NAME.split()[1], MRN, "1961", "Myth"):
        assert secret not in output
    assert _files(served.folder) == before  # no cache, no file, nothing in its home


# --- the use cases, in this process ------------------------------------------------------

def test_places_are_counted_in_utf16_units_as_the_page_counts_them(checker: Any) -> None:
    """An emoji before a finding is two units in JavaScript: the highlight still lands on
    the finding's own words."""
    from phiguard.web.api import WebApp

    text = f"🎉🎉 Big day!\n{PHI_DRAFT}"
    answer = WebApp(checker.settings, checker).check({"text": text, "platform": "facebook"})
    units = text.encode("utf-16-le")
    marked = {units[2 * f["start"]:2 * f["end"]].decode("utf-16-le")
              for f in answer["findings"]}
    assert f"MRN {MRN}" in marked and NAME in marked
    assert all(NAME not in f["excerpt"] for f in answer["findings"])


@pytest.mark.parametrize(("given", "name"), [
    (None, "draft.txt"), ("", "draft.txt"), ("post.md", "post.md"),
    ("../../drafts/post.md", "post.md"), ("C:\\exports\\November.CSV", "November.CSV"),
])
def test_a_file_name_is_only_a_name_whose_ending_picks_the_reader(checker: Any, given: Any,
                                                                  name: str) -> None:
    from phiguard.web.api import read_submission

    assert read_submission({"text": "x", "filename": given}, checker.settings).name == name


@pytest.mark.parametrize(("payload", "error"), [
    ([], "the request must be a JSON object"),
    ({"text": 3}, "text: a string is required"),
    ({"text": "x", "filename": "notes.docx"}, "filename: phiguard reads "),
    ({"text": "x", "filename": ".."}, "filename: not a usable file name"),
    ({"text": "x", "kind": "story"}, "kind: one of post, reply, review_reply, testimonial"),
    ({"text": "x", "platform": "myspace"}, "platform: not one of the platforms"),
    ({"text": "x", "sponsored": "yes"}, "sponsored: true or false"),
    ({"text": "x", "scheduled_at": "next week"}, "scheduled date is not a date"),
    ({"text": "x", "extra": 1}, "unknown field in the request"),
])
def test_a_request_the_page_would_not_send_is_refused(checker: Any, payload: Any,
                                                      error: str) -> None:
    from phiguard.web.api import RequestError, read_submission

    with pytest.raises(RequestError) as raised:
        read_submission(payload, checker.settings)
    assert str(raised.value).startswith(error)


def test_the_page_ships_in_the_wheel(tmp_path: Path) -> None:
    """The static files are package data: in the built wheel, read with importlib."""
    import subprocess as sp
    import sys
    import zipfile

    from phiguard.web.server import PAGES

    root = Path(__file__).resolve().parents[1]
    sp.run([sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(tmp_path)],
           cwd=root, check=True, capture_output=True, timeout=300)
    [wheel] = tmp_path.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {f"phiguard/web/static/{name}" for name, _ in PAGES.values()} <= names
