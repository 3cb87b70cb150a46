"""Tracking codes and PINs."""

import re

from hypothesis import given
from hypothesis import strategies as st

from reports.pins import ALPHABET, check_pin, hash_pin, new_pin, new_tracking_code, normalise_tracking_code


def test_tracking_code_shape_and_alphabet():
    code = new_tracking_code()
    assert re.fullmatch(r"NTR-[23456789ABCDEFGHJKMNPQRSTWXYZ]{4}-[23456789ABCDEFGHJKMNPQRSTWXYZ]{4}", code)
    assert not set("01ILOUV") & set(ALPHABET)


def test_pin_has_at_least_64_bits():
    import math

    pin = new_pin()
    body = pin.replace("-", "")
    assert len(body) * math.log2(len(ALPHABET)) >= 64
    assert re.fullmatch(r"([23456789ABCDEFGHJKMNPQRSTWXYZ]{4}-){3}[23456789ABCDEFGHJKMNPQRSTWXYZ]{4}", pin)


def test_pin_hash_is_salted_and_never_the_pin():
    pin = new_pin()
    first, second = hash_pin(pin), hash_pin(pin)
    assert first != second
    assert pin not in first and pin.replace("-", "") not in first
    assert check_pin(pin, first) and check_pin(pin, second)
    assert check_pin(pin.lower().replace("-", " "), first)
    assert not check_pin(new_pin(), first)
    assert not check_pin(pin, None)


@given(st.text(alphabet=ALPHABET, min_size=8, max_size=8))
def test_tracking_code_normalisation_round_trip(body):
    code = f"NTR-{body[:4]}-{body[4:]}"
    assert normalise_tracking_code(code) == code
    assert normalise_tracking_code(code.lower().replace("-", " ")) == code
    assert normalise_tracking_code(body) == code


def test_tracking_code_of_wrong_length_is_empty():
    assert normalise_tracking_code("NTR-ABC") == ""
