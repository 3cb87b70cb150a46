"""netralitas.security.randomness: one read of the OS's generator per string, every character uniform."""

from __future__ import annotations

import collections
import secrets

import pytest
from django.contrib.sessions.backends.base import VALID_KEY_CHARS

from netralitas.security import randomness
from netralitas.security.randomness import random_string
from reports.pins import ALPHABET, new_pin, new_tracking_code


def test_bytes_map_to_characters_and_the_biased_top_is_dropped(monkeypatch):
    # 29 letters: bytes 0..231 are 8 full rounds of the alphabet; 232..255 would favour its first 24 letters.
    reads = []
    monkeypatch.setattr(
        randomness.secrets, "token_bytes", lambda n: reads.append(n) or bytes([255, 0, 232, 28, 29, 231])
    )
    assert random_string(ALPHABET, 4) == ALPHABET[0] + ALPHABET[28] + ALPHABET[0] + ALPHABET[231 % 29]
    assert reads == [16]  # one read for the four characters (with room for rejected bytes)


def test_a_string_is_read_again_only_when_too_many_bytes_were_dropped(monkeypatch):
    answers = iter([bytes([250] * 10), bytes([1, 2, 3] + [0] * 7)])
    monkeypatch.setattr(randomness.secrets, "token_bytes", lambda n: next(answers))
    assert random_string(ALPHABET, 3) == ALPHABET[1] + ALPHABET[2] + ALPHABET[3]


def test_every_character_is_drawn_uniformly():
    counts = collections.Counter(random_string(ALPHABET, 290_000))
    assert set(counts) == set(ALPHABET)
    expected = 290_000 / len(ALPHABET)
    chi_square = sum((counts[ch] - expected) ** 2 / expected for ch in ALPHABET)
    assert chi_square < 80  # 28 degrees of freedom: above 80 happens once in ~10^6 fair runs


def test_codes_pins_and_session_keys_keep_their_shape(monkeypatch):
    reads = []
    token_bytes = secrets.token_bytes
    monkeypatch.setattr(randomness.secrets, "token_bytes", lambda n: reads.append(n) or token_bytes(n))
    code, pin = new_tracking_code(), new_pin()
    assert code.startswith("NTR-") and len(code) == 13 and set(code[4:].replace("-", "")) <= set(ALPHABET)
    assert len(pin) == 19 and pin.count("-") == 3 and set(pin.replace("-", "")) <= set(ALPHABET)
    from netralitas.sessions import SessionStore

    key = SessionStore()._get_new_session_key()
    assert len(key) == 32 and set(key) <= set(VALID_KEY_CHARS)
    assert len(reads) == 3
    assert len({new_pin() for _ in range(1000)}) == 1000


@pytest.mark.parametrize("alphabet", ["", "a", "aab", "x" * 257])
def test_an_alphabet_must_have_2_to_256_distinct_characters(alphabet):
    with pytest.raises(ValueError):
        random_string(alphabet, 4)
