"""A slow e-mail "server" for the Celery integration test: one file per accepted message, after a delay.

Before the delay it leaves a marker (which worker process is sending which Message-ID), so the
test can kill a worker in the middle of a send, i.e. before the server accepted the message.
Each accepted message becomes its own file (written aside, then renamed), so duplicates show.
"""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class SlowFileBackend(BaseEmailBackend):
    def send_messages(self, messages) -> int:
        root = Path(os.environ["SLOW_MAIL_DIR"])
        delay = float(os.environ.get("SLOW_MAIL_DELAY", "1"))
        for message in messages:
            message_id = message.extra_headers.get("Message-ID", "")
            marker = root / "sending" / f"{os.getpid()}-{uuid.uuid4().hex}"
            marker.write_text(message_id)
            time.sleep(delay)  # the server has not answered yet
            temporary = root / "tmp" / uuid.uuid4().hex
            temporary.write_bytes(message.message().as_bytes())
            temporary.rename(root / "accepted" / temporary.name)
        return len(messages)
