"""Browser tests: Playwright for Python driving Debian's chromium (never a downloaded browser)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test body are still
# synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is absent: run scripts/ensure-chromium.sh")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture(autouse=True)
def _close_contexts(request):
    """Close every browser context a test leaves open, while the live server still runs. An open context keeps
    keep-alive connections whose server threads, ending later (after the server stopped sharing the in-memory
    SQLite connection with them), failed closing it: the warnings other tests used to report."""
    chromium = request.getfixturevalue("browser") if "browser" in request.fixturenames else None
    yield
    for context in chromium.contexts if chromium else ():
        context.close()


@pytest.fixture
def login(browser, live_server, transactional_db):
    """login(username, password, size) → a signed-in page on the role's landing page (the dashboard for leaders
    and the office, the ledger list for the others); page.problems collects console and uncaught page errors.
    Its contexts close when the test ends, before the live server's database is flushed."""
    opened = []

    def sign_in(username: str, password: str, size: tuple[int, int] = (1366, 768)):
        context = browser.new_context(viewport={"width": size[0], "height": size[1]}, accept_downloads=True,
                                      locale="zh-CN")
        opened.append(context)
        page = context.new_page()
        page.problems = []
        page.on("console", lambda message: _console_error(page.problems, message))
        page.on("pageerror", lambda error: page.problems.append(str(error)))
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        # the login redirects through /start/ to the landing page: wait for that page, not the login form's idle
        page.wait_for_url(lambda url: not url.rstrip("/").endswith(("/login", "/start")), timeout=15_000)
        page.wait_for_load_state("load")
        return page

    yield sign_in
    for context in opened:
        context.close()


def _console_error(problems: list[str], message) -> None:
    # the browser's own favicon request is no error of the page
    if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
        problems.append(f"{message.text} ({message.location.get('url')})")


@pytest.fixture
def shot():
    ARTIFACTS.mkdir(exist_ok=True)

    def save(page, name: str) -> None:
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)

    return save


@pytest.fixture
def published_plan():
    """published_plan(office, year, titles, due) -> a published plan of the year with one item per title (重点工作,
    年内完成), each due on due(position)."""
    return _published_plan


def _published_plan(office, year: int, titles: list[str], due):
    from eduplan.ledger import services
    from eduplan.ledger.models import Plan, Task

    plan = Plan.objects.create(title=f"滨江市教育局{year}年工作要点", year=year)
    for position, title in enumerate(titles, start=1):
        Task.objects.create(plan=plan, position=position, section="重点工作", title=title,
                            content=f"{title}，年内完成。", due_date=due(position))
    services.publish_plan(office, plan)
    return plan
