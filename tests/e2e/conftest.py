"""Browser fixtures: Playwright's sync API driving Debian's Chromium against live_server.

Never `playwright install`: the browser is the system's /usr/bin/chromium.
"""

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# Playwright's sync API keeps an asyncio loop running in the test's thread, and Django
# then refuses the test's own ORM calls (SynchronousOnlyOperation) unless told otherwise.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "is_mobile": True, "has_touch": True}


def sideways_overflow(page, width: int) -> int:
    """How many CSS pixels the document is wider than a screen ``width`` wide (0: nothing scrolls sideways).

    Measured against the screen's width, not ``window.innerWidth``: a phone browser zooms out to show an
    overflowing page whole, so there the window grows with the document and the difference is always 0.
    """
    return page.evaluate("document.documentElement.scrollWidth") - width


# The portal's users browse in Indonesian; LocaleMiddleware follows Accept-Language.
LOCALE = "id-ID"


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live_server, started while MEDIA_URL is a string.

    MEDIA_URL is None on purpose (evidence is never served by URL), but Django's live
    server wraps the site in a media handler that parses MEDIA_URL once, at start, and
    then fails every request. A prefix that nothing links to keeps it out of the way.
    """
    from django.test import override_settings
    from pytest_django.live_server_helper import LiveServer

    addr = request.config.getvalue("liveserver") or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost"
    with override_settings(MEDIA_URL="/__media-not-served__/"):
        server = LiveServer(addr)
    yield server
    server.stop()


@pytest.fixture(scope="package")
def browser():
    """One Chromium for the browser tests (per xdist worker), so Playwright's event loop never outlives them.

    pytest-django runs every live-server test after the other database tests and this package's before
    the rest, so a worker starts Chromium (and Playwright's driver) once, not once per module.
    """
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} tidak ada / missing: apt-get install chromium"
        if os.environ.get("NETRALITAS_REQUIRE_SERVICES"):
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser) -> Iterator[Callable]:
    """Factory: new_page(phone=False, **context_options) opens a page in a fresh context."""
    contexts = []

    def open_page(phone: bool = False, **options):
        context = browser.new_context(locale=LOCALE, **(PHONE if phone else DESKTOP), **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """A desktop-sized page (1280x800)."""
    return new_page()


@pytest.fixture
def phone_page(new_page):
    """A phone-sized page (390x844, touch)."""
    return new_page(phone=True)


def staff_login(page, base_url: str, username: str, password: str, next_url: str = "/admin/") -> None:
    """Sign a staff user in through the real forms and wait for ``next_url``: the password, then a TOTP code.

    The one way browser tests log staff in (tests/e2e/signin.py computes the code; a user without a
    device is enrolled first).
    """
    from tests.e2e.signin import sign_in

    sign_in(page, base_url, username, password, next_url)


def choose_in_combobox(page, field_id: str, typed: str, option: str) -> None:
    """Type into the combobox ``field_id``, move to ``option`` with the arrow keys and press Enter."""
    box = page.locator(f"#{field_id}")
    box.fill(typed)
    listbox = page.locator(f"#{field_id}_listbox")
    listbox.get_by_role("option", name=option).wait_for()
    names = [name.strip() for name in listbox.get_by_role("option").all_inner_texts()]
    position = next(i for i, name in enumerate(names) if name.startswith(option))
    for _ in range(position + 1):
        box.press("ArrowDown")
    box.press("Enter")
