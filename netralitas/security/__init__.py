"""Staff sign-in and defence in depth: the second factor, lockout, session limits, re-authentication,
security headers, the security log, and how long sealed data is kept.

``log_event`` is the one way to write the security log; other code calls it for what it must record
(unsealing a reporter's identity, exports).
"""

from netralitas.security.log import log_event

__all__ = ["log_event"]
