"""The draft token of the public report form: the uploads kept from a failed attempt wait under it.

The page carries it signed, so a token typed into a form cannot claim someone else's drafts.
"""

from __future__ import annotations

import secrets

from django.core import signing

DRAFT_SALT = "netralitas.intake.draft"


def new_draft_token() -> str:
    return secrets.token_urlsafe(24)


def sign_draft_token(token: str) -> str:
    return signing.Signer(salt=DRAFT_SALT).sign(token)


def read_draft_token(signed: str | None) -> str:
    """The draft token of a posted form, or "" when absent or tampered with."""
    try:
        return signing.Signer(salt=DRAFT_SALT).unsign(signed or "")
    except signing.BadSignature:
        return ""
