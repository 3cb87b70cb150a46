"""Passwords: at least 12 characters, Django's common-password list and a strength estimator (zxcvbn)
that knows the portal's words and the names of its places and organisations; Argon2 in production."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from tests.test_settings import settings_in_subprocess


def refusal(password: str, username: str = "operator.sleman") -> list[str]:
    user = get_user_model()(username=username, first_name="Operator", last_name="Sleman")
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        return error.messages
    return []


@pytest.mark.parametrize("password", ["Sleman2024", "netralitas", "P@ssw0rd2024", "bkpsdmsleman"])
def test_the_four_passwords_of_the_finding_are_refused(reference_data, password):
    assert refusal(password)


@pytest.mark.parametrize(
    "password",
    [
        "gunungkidul2024",  # a kabupaten of the reference data
        "KulonProgo#2024",
        "bawaslujawatengah",  # an organisation
        "PemerintahKotaYogyakarta",
        "Kemendagri12345",
        "pilkadaserentak2024",  # the portal's own words
        "netralitasasn2024",
    ],
)
def test_names_of_places_organisations_and_the_portal_are_refused(reference_data, password):
    assert refusal(password)


def test_twelve_characters_at_least_said_in_indonesian(reference_data):
    messages = refusal("Xk9#vQ2!mZ4")  # 11 random characters

    assert "Kata sandi terlalu pendek. Harus mengandung setidaknya 12 karakter." in messages


def test_a_weak_password_is_explained_in_indonesian(reference_data):
    assert "Kata sandi ini mudah ditebak" in " ".join(refusal("bkpsdmsleman"))


@pytest.mark.parametrize("password", ["kopi tubruk di lereng merapi jam tujuh", "Vq7!rT2#kW9@pL4$"])
def test_a_strong_password_passes(reference_data, password):
    assert refusal(password) == []


def test_an_administrator_setting_a_weak_password_sees_the_error_next_to_the_field(cast):
    admin = Client()
    admin.force_login(cast["admin"])

    response = admin.post(
        "/admin/auth/user/add/",
        {"username": "operator.baru", "password1": "Sleman2024", "password2": "Sleman2024", "usable_password": "true"},
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "password2" in errors or "password1" in errors
    assert not get_user_model().objects.filter(username="operator.baru").exists()


def test_production_hashes_with_argon2_and_still_reads_older_hashes():
    result = settings_in_subprocess(
        {"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "k" * 60},
        "s.PASSWORD_HASHERS[0], 'django.contrib.auth.hashers.PBKDF2PasswordHasher' in s.PASSWORD_HASHERS",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.contrib.auth.hashers.Argon2PasswordHasher True"


def test_the_argon2_hasher_works_here(settings):
    from django.contrib.auth.hashers import check_password, make_password

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    encoded = make_password("kopi tubruk di lereng merapi")

    assert encoded.startswith("argon2$argon2id$")
    assert check_password("kopi tubruk di lereng merapi", encoded)
