"""The front door in a real browser: the landing page and the admin login."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import sideways_overflow

pytestmark = pytest.mark.browser

SETLANG = "/i18n/setlang/"


def choose_language(page: Page, code: str) -> None:
    """Pick ``code`` in the landing page's language form and wait for the reload."""
    form = page.locator(f'form[action="{SETLANG}"]')
    expect(form).to_have_count(1)
    select = form.locator('select[name="language"]')
    with page.expect_navigation():
        if select.count():
            select.select_option(code)
            submit = form.locator('[type="submit"], button:not([type])')
            if submit.count() and submit.first.is_visible():
                submit.first.click()
            # else: the page's script submits the form on change
        else:
            form.locator(f'button[name="language"][value="{code}"]').click()


def test_landing_speaks_indonesian_and_links_to_intake_and_status(live_server, page):
    page.goto(live_server.url + "/")

    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.locator("main")).to_have_count(1)
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator('a[href="/lapor/"]').first).to_be_visible()
    expect(page.locator('a[href="/status/"]').first).to_be_visible()


def test_landing_switches_to_english(live_server, page):
    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "id")

    choose_language(page, "en")

    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url == live_server.url + "/"
    page.goto(live_server.url + "/")  # the choice sticks (language cookie)
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_landing_fits_a_phone_screen(live_server, phone_page):
    phone_page.goto(live_server.url + "/")

    expect(phone_page.locator("h1")).to_be_visible()
    assert sideways_overflow(phone_page, 390) <= 0


def test_admin_login_lets_staff_in(live_server, page, django_user_model, transactional_db):
    from tests.twofactor import enrol, next_code

    user = django_user_model.objects.create_user(
        **{django_user_model.USERNAME_FIELD: "operator"}, password="kata-sandi-uji-9731", is_staff=True
    )
    device = enrol(user)
    page.goto(live_server.url + "/admin/")
    assert page.url == live_server.url + "/admin/login/?next=/admin/"
    expect(page.locator("#site-name")).to_have_text("Netralitas ASN")
    expect(page.locator("#login-form")).to_be_visible()

    page.fill("#id_username", "operator")
    page.fill("#id_password", "kata-sandi-uji-9731")
    with page.expect_navigation():
        page.click('#login-form [type="submit"]')
    page.wait_for_url(live_server.url + "/masuk/kode/?next=/admin/")
    page.get_by_label("Kode dari aplikasi autentikator atau kode cadangan").fill(next_code(device))
    page.get_by_role("button", name="Verifikasi").click()
    page.wait_for_url(live_server.url + "/admin/")

    assert page.url == live_server.url + "/admin/"
    expect(page.locator("#content h1")).to_have_text("Penanganan laporan netralitas ASN")
    # The staff header (templates/staff/_header.html) replaced Django's #user-tools in the admin.
    expect(page.get_by_test_id("staff-who").locator("strong")).to_have_text("operator")
