"""Email addresses.

Found from each ``@`` outwards rather than by a regex over the whole text, which
keeps megabyte bodies fast: the local part is read backwards, the domain with a
regex anchored after the ``@``. ``icon@2x.png`` style asset names are dropped.
Reference: RFC 5322 section 3.4.1 (addr-spec), restricted to the common subset.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from privwatch.detectors.base import Detection, Validation

#: characters of the local part; ``%``, ``=``, ``&``, ``/`` and quotes delimit
#: URLs and forms in traffic, so they end the address instead
_LOCAL = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._+-")
_DOMAIN = re.compile(
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+([A-Za-z]{2,24})"
    r"(?![A-Za-z0-9-]|\.[A-Za-z0-9])"
)
#: file extensions that look like a top-level domain in asset names
_ASSET_SUFFIX = re.compile(
    r"(?i)png|jpe?g|gif|svg|webp|avif|ico|bmp|css|m?js|json|map|html?|xml|txt"
    r"|pdf|mp[34]|webm|woff2?|ttf|otf|eot|php|jsp|aspx?"
)


class EmailDetector:
    """Email addresses (``local@domain.tld``); no checksum, so ``UNCHECKED``."""

    entity = "email"
    score = 0.9

    def detect(self, text: str) -> Iterator[Detection]:
        """Yield every address, cut at the characters that cannot belong to it."""
        at = text.find("@")
        while at != -1:
            detection = self._at(text, at)
            at = text.find("@", at + 1)
            if detection is not None:
                yield detection

    def _at(self, text: str, at: int) -> Detection | None:
        start = at
        floor = max(0, at - 64)
        while start > floor and text[start - 1] in _LOCAL:
            start -= 1
        if start == floor and floor > 0 and text[floor - 1] in _LOCAL:
            return None  # local part over 64 characters: a token, not an address
        while start < at and text[start] == ".":
            start += 1
        if start == at or text[at - 1] == "." or ".." in text[start:at]:
            return None
        domain = _DOMAIN.match(text, at + 1, min(len(text), at + 254))
        if domain is None or _ASSET_SUFFIX.fullmatch(domain.group(1)):
            return None
        end = domain.end()
        return Detection(
            self.entity, start, end, text[start:end], self.score, Validation.UNCHECKED
        )
