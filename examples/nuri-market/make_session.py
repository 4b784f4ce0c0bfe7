"""Write session.har: the recorded session of the invented 누리마켓 example.

    python examples/nuri-market/make_session.py

A real recording would come from a browser's HAR export or Playwright's
record_har_path; this writes the same shape with the test account's values.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from tests.hars import entry, write_har  # noqa: E402

EMAIL = "ha.neul@example.org"
IDFA = "38400000-8cf0-11bd-b23e-10b96e4ef00d"


def main() -> None:
    entries = [
        # the site itself: sign-up form
        entry(
            "https://www.nurimarket.example/signup",
            method="POST",
            ip="223.130.195.95",
            mime="application/x-www-form-urlencoded",
            body=f"name={quote('김하늘')}&email={quote(EMAIL)}&phone=01023456789",
        ),
        # Meta pixel: hashed email (disclosed: named recipient and item)
        entry(
            "https://www.facebook.com/tr?id=42&ev=Purchase&ud[em]="
            + hashlib.sha256(EMAIL.encode()).hexdigest(),
            ip="157.240.1.35",
        ),
        # Google: the advertising identifier (disclosed only as "광고 파트너")
        entry(
            "https://www.google-analytics.com/g/collect?v=2&tid=G-1",
            headers=[("x-adid", IDFA)],
            ip="142.250.1.1",
        ),
        # Alibaba's logging: the phone number, base64 (not disclosed at all)
        entry(
            "https://log.mmstat.com/v.gif",
            cookies=[("u", "MDEwMjM0NTY3ODk=")],
            ip="106.11.1.1",
        ),
        # an identity-check vendor abroad: a resident registration number (the policy denies collecting it)
        entry(
            "https://api.idcheck-vendor.example/verify",
            method="POST",
            ip="114.114.114.114",
            body=json.dumps({"rrn": "900101-1234568"}),
        ),
    ]
    write_har(HERE / "session.har", entries)


if __name__ == "__main__":
    main()
