"""One request of each peer scenario before any load (bench/peer/run.sh): each must succeed.

python bench/peer/smoke.py RUN_DIR HELPDESK_PORT BARE_PORT
"""

from __future__ import annotations

import sys
import urllib.error
import urllib.request
from pathlib import Path


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _send(port: str, path: str, body: bytes | None, content_type: str, cookie: str) -> tuple[int, str, str]:
    headers = {"Cookie": cookie}
    if body is not None:
        headers["Content-Type"] = content_type
    request = urllib.request.Request(  # noqa: S310 - plain http on loopback, built here
        f"http://127.0.0.1:{port}{path}", data=body, method="POST" if body is not None else "GET", headers=headers
    )
    try:
        with urllib.request.build_opener(_NoRedirect).open(request, timeout=30) as response:
            return response.status, response.headers.get("Location", ""), response.read().decode(errors="replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Location", ""), exc.read().decode(errors="replace")


def main() -> None:
    run_dir, helpdesk, bare = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    urlencoded = "application/x-www-form-urlencoded"
    failed = []
    for system, port in (("peer", helpdesk), ("bare", bare)):
        work = run_dir / system
        cookie = (work / "cookie.txt").read_text()
        intake = "/tickets/submit/" if system == "peer" else "/form/"
        checks = [
            ("form", intake, None, "", (200,)),
            ("intake", intake, (work / "intake.body").read_bytes(), urlencoded, (302, 303)),
        ]
        if system == "peer":
            multipart = (work / "multipart-content-type.txt").read_text()
            checks.append(("intake-photo", intake, (work / "intake-photo.body").read_bytes(), multipart, (302,)))
            first = (work / "lookup.paths").read_text().splitlines()[0]
            checks.append(("lookup", first, None, "", (200,)))
        else:
            first = (work / "lookup.bodies").read_text().splitlines()[0].encode()
            checks.append(("lookup", "/status/", first, urlencoded, (200,)))
        for name, path, body, content_type, expected in checks:
            status, location, html = _send(port, path, body, content_type, cookie)
            ok = status in expected
            if name == "lookup":
                ok = ok and ("Report " in html if system == "bare" else "pelapor" not in html or "warga" in html)
            print(f"smoke {system} {name}: HTTP {status} -> {location or '-'}: {'ok' if ok else 'GAGAL'}")
            if not ok:
                failed.append(f"{system} {name}")
                print(html[:600])
    if failed:
        raise SystemExit(f"smoke failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
