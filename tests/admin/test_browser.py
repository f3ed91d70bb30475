"""End to end in headless Debian Chromium: sign in, filter, open, return with remarks, approve, export."""
import datetime as dt
import shutil
import tempfile
import threading
import time
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ready
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.support.ui import Select, WebDriverWait
from werkzeug.serving import make_server

from miniapp_backend.clock import local_today
from miniapp_backend.models import AppStatus, Application, ReviewStep
from miniapp_backend.services import drafts, submissions
from tests.admin.helpers import PASSWORD, submitted
from tests.factories import IN_WINDOW

CHROMEDRIVER = Path("/usr/bin/chromedriver")
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "admin"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run", "--window-size=1280,1000")
WAIT_SECONDS = 60  # a ceiling: waits end as soon as the page is there; CI machines can be loaded

pytestmark = pytest.mark.skipif(not CHROMEDRIVER.exists(), reason="run scripts/system-deps.sh (make test does)")


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for the module, with a fresh profile and a download folder."""
    profile, downloads = Path(tempfile.mkdtemp(prefix="zgzj-chromium-")), Path(tempfile.mkdtemp())
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS + (f"--user-data-dir={profile}",):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.downloads = downloads
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)
    shutil.rmtree(downloads, ignore_errors=True)


@pytest.fixture
def live(admin_app):
    """The admin app served by werkzeug on a free loopback port, in a thread."""
    server = make_server("127.0.0.1", 0, admin_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


def shot(driver, name):
    """Save a screenshot under test-artifacts/admin/."""
    driver.save_screenshot(str(ARTIFACTS / f"{name}.png"))


def sign_in(driver, base, username):
    """Sign in through the form."""
    driver.delete_all_cookies()
    driver.get(f"{base}/admin/login")
    driver.find_element(By.ID, "username").send_keys(username)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.ID, "login").click()
    try:
        WebDriverWait(driver, WAIT_SECONDS).until(ready.presence_of_element_located((By.TAG_NAME, "nav")))
    except TimeoutException:
        shot(driver, f"sign-in-failed-{username}")
        body = driver.find_element(By.TAG_NAME, "body").text[:400]
        raise AssertionError(f"sign-in as {username} did not reach a page with <nav>: {driver.current_url} {body}")


def decide(driver, decision, opinion, deadline=None, remarks=()):
    """Fill and send the review form of the open application."""
    for key, text in remarks:
        driver.find_element(By.NAME, f"remark:{key}").send_keys(text)
    driver.find_element(By.ID, "opinion").send_keys(opinion)
    Select(driver.find_element(By.ID, "decision")).select_by_value(decision)
    if deadline:
        driver.execute_script("arguments[0].value = arguments[1]", driver.find_element(By.ID, "rectify_deadline"),
                              deadline.isoformat())
    driver.find_element(By.ID, "decide").click()
    WebDriverWait(driver, WAIT_SECONDS).until(ready.presence_of_element_located((By.CSS_SELECTOR, ".flash.info")))


def open_first(driver):
    """Open the first application of the list."""
    driver.find_element(By.CSS_SELECTOR, "#application-list td a").click()
    WebDriverWait(driver, WAIT_SECONDS).until(ready.presence_of_element_located((By.ID, "status")))


def test_review_chain_in_a_real_browser(browser, live, admin_world, tmp_path):
    app = submitted(admin_world, tmp_path)
    submitted(admin_world, tmp_path, admin_world.direct_unit, admin_world.direct_chair)
    sign_in(browser, live, "system")
    browser.get(f"{live}/admin/applications")
    Select(browser.find_element(By.ID, "f-kind")).select_by_value("model_home")
    browser.find_element(By.ID, "f-q").send_keys("良乡")
    browser.find_element(By.ID, "apply-filters").click()
    WebDriverWait(browser, WAIT_SECONDS).until(ready.url_contains("kind=model_home"))
    rows = browser.find_elements(By.CSS_SELECTOR, "#application-list td a")
    assert [r.text for r in rows] == [admin_world.unit.full_name]
    shot(browser, "1-filtered-list")
    open_first(browser)
    shot(browser, "2-application")
    decide(browser, "return", "第5项照片不清楚，请补拍", local_today() + dt.timedelta(days=10),
           [("model_home_checklist:item.5", "照片看不清")])
    assert browser.find_element(By.ID, "status").text == "退回整改"
    shot(browser, "3-returned")

    returned = Application.get_by_id(app.id)
    drafts.write_answer(returned, admin_world.chair, "model_home_checklist:item.5", {"done": True, "note": "已补拍"},
                        today=IN_WINDOW)
    submissions.submit(returned, admin_world.chair, today=IN_WINDOW)
    browser.refresh()
    decide(browser, "approve", "同意上报")
    sign_in(browser, live, "district")
    browser.get(f"{live}/admin/applications?mine=1")
    open_first(browser)
    decide(browser, "approve", "验收合格")
    assert browser.find_element(By.ID, "status").text == "已通过"
    shot(browser, "4-approved")
    steps = ReviewStep.select().where(ReviewStep.application == app.id, ReviewStep.version == 2)
    assert [(s.level, s.reviewer_id) for s in steps.order_by(ReviewStep.seq)] == [
        ("system", admin_world.system_admin.id), ("district", admin_world.district_admin.id)]
    assert Application.get_by_id(app.id).status == AppStatus.APPROVED

    browser.get(f"{live}/admin/applications?status=approved")
    browser.find_element(By.ID, "export").click()
    deadline = time.monotonic() + WAIT_SECONDS
    while not list(browser.downloads.glob("*.xlsx")) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert list(browser.downloads.glob("*.xlsx")), "the export did not download"
    browser.set_window_size(390, 844)  # a phone
    browser.get(f"{live}/admin/")
    shot(browser, "5-dashboard-phone")
    browser.set_window_size(1280, 1000)
