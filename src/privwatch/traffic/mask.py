"""Show personal data and secrets masked: enough to recognise, not to reuse.

Every value privwatch prints from traffic goes through ``mask``: persona
values, detected numbers, and never a cookie value or token in the clear.
"""

from __future__ import annotations

import re

_DIGIT = re.compile(r"\d")


def mask(value: str, data_type: str = "") -> str:
    value = value.strip()
    if not value:
        return ""
    if data_type == "email" or ("@" in value and data_type in ("", "persona")):
        local, _, domain = value.partition("@")
        return f"{local[:2]}***@{domain}"
    if data_type in (
        "phone",
        "card",
        "brn",
        "passport",
        "driver_license",
        "customs_code",
    ):
        digits = [i for i, ch in enumerate(value) if ch.isdigit()]
        keep = set(digits[-4:])
        return "".join(
            ch if (i in keep or not ch.isdigit()) else "*" for i, ch in enumerate(value)
        )
    if data_type in ("rrn", "frn"):
        return (
            value[:8] + _DIGIT.sub("*", value[8:])
            if "-" in value[:8]
            else value[:7] + "*" * max(0, len(value) - 7)
        )
    if data_type == "location":
        return re.sub(r"(\d+\.\d)\d+", r"\1***", value)
    if len(value) <= 4:
        return value[0] + "***"
    if not value.isascii():  # Korean names and addresses: first character only
        return value[0] + "*" * (len(value) - 1)
    return f"{value[:2]}***{value[-2:]}"
