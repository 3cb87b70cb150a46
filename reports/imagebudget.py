"""How many image pixels one request may decode: a ceiling on the time and memory a worker spends.

Each accepted photo is decoded once (to prove it is whole and to make the copy without EXIF/GPS).
The cost grows with its pixels, not its bytes: a 349 KB PNG can hold 120 megapixels. Two bounds:

* per image, MAX_DECODED_PIXELS (25 MP) after JPEG draft scaling: decoding takes at most about
  4 bytes per pixel (~100 MB), the orientation fix a second buffer while it runs, the re-encode
  a few MB more, so one image costs a worker ~250 MB at most;
* per request, settings.NETRALITAS_IMAGE_PIXELS_PER_REQUEST (default 150 MP, ten 12-MP phone
  photos with room to spare; about 5 s of decoding and re-encoding on this machine), counted by
  the middleware below; images beyond it are refused with a message, and the citizen sends them
  in the next attempt (the accepted ones are kept as drafts).

Images are decoded one after the other and released, so the memory ceiling of a worker for
evidence checks is that of one image: ~250 MB.
"""

from __future__ import annotations

import contextvars

from django.conf import settings

MAX_DECODED_PIXELS = 25_000_000
_spent: contextvars.ContextVar[int | None] = contextvars.ContextVar("netralitas_image_pixels", default=None)


class BudgetExceeded(Exception):
    """Decoding this image would take the request past its pixel budget."""


def spend(pixels: int) -> None:
    """Count ``pixels`` against the current request's budget; BudgetExceeded (nothing counted) when over.

    Outside a request (a management command, a task) there is no per-request budget.
    """
    spent = _spent.get()
    if spent is None:
        return
    if spent + pixels > settings.NETRALITAS_IMAGE_PIXELS_PER_REQUEST:
        raise BudgetExceeded
    _spent.set(spent + pixels)


class ImageBudgetMiddleware:
    """Give every request a fresh image-pixel budget."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _spent.set(0)
        try:
            return self.get_response(request)
        finally:
            _spent.reset(token)
