"""A document's title: its own heading or the page's ``<title>``, never a
site's navigation ("본문바로가기", "Skip to content", a menu's links).

Saved web pages often open with the site's menu: a skip link, the list of the
site's policies, a link to the previous version. The title is the reader's (the
page's ``<title>``, a Markdown file's first heading) when it names a document
(a privacy policy, terms, a notice); else the first short opening line that
names one, with any link text before it cut off; else the reader's unless it
is navigation; else the first unnumbered heading that names one; else none (a
page with no title rather than a menu item as one).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

#: words a skip link or menu opens with
_NAVIGATION = re.compile(
    r"^\s*(본문\s*바로\s*가기|본문으로\s*(바로\s*)?가기|메뉴\s*바로\s*가기|주\s*메뉴"
    r"|skip\s+to\b|skip\s+navigation|jump\s+to\s+(main\s+)?content|go\s+to\s+content"
    r"|main\s+menu\b|menu\b|navigation\b|home\s*[>›»|])",
    re.IGNORECASE,
)
#: a language switcher or a sign-in link anywhere on the line
_MENU = re.compile(
    r"한국어\s*\(Korean\)|\(English\)|로그인|로그아웃|sign\s+in\b|log\s*in\b",
    re.IGNORECASE,
)
#: what a document's own title names
_DOCUMENT = re.compile(
    r"개인\s*정보|처리\s*방침|취급\s*방침|약관|방침|고지|안내|privacy|policy|policies"
    r"|terms|agreement|notice|statement|conditions",
    re.IGNORECASE,
)
#: link text that may stand before the title on its line ("… 보기", "바로가기")
_LINK_BEFORE = re.compile(
    r"^.*(?:보기|바로\s*가기|버전'|그래픽'|\bview|\bback)\s+(?=\S)", re.IGNORECASE
)
MAX_TITLE = 80
MAX_LINE = 160


def is_navigation(line: str) -> bool:
    """A skip link, a menu's opening words, a language switcher."""
    return bool(_NAVIGATION.match(line) or _MENU.search(line))


def _short(line: str, limit: int = MAX_TITLE) -> bool:
    return 0 < len(line) <= limit and not line.endswith((".", "다", ":", ";"))


def _named(line: str) -> str | None:
    """``line`` as a title naming a document, link text before it cut off."""
    if not _DOCUMENT.search(line):
        return None
    rest = _LINK_BEFORE.sub("", line, count=1).strip()
    found = rest if rest and _DOCUMENT.search(rest) else line
    return found if _short(found) else None


def title_of(
    text: str,
    given: str | None,
    clauses: Sequence[tuple[int, int, str]],
    headings: Sequence[tuple[str, bool]],
    *,
    opening: int = 400,
) -> str | None:
    """The title of ``text``: ``given`` (the page's ``<title>`` or first heading)
    unless it is navigation; else as the module says. ``clauses`` are the first
    clauses' (start, end, kind) before the first heading, ``headings`` the
    sections' (heading, numbered)."""
    given = (given or "").strip()
    if given and not is_navigation(given) and _DOCUMENT.search(given):
        return given
    lines = [
        " ".join(text[start:end].split())
        for start, end, kind in clauses[:opening]
        if kind != "item" and "\n" not in text[start:end].strip()
    ]
    for line in lines:
        named = None if is_navigation(line) else _named(line)
        if named and _short(line, MAX_LINE):
            return named
    if given and not is_navigation(given):
        return given
    for heading, numbered in headings:
        named = None if numbered or is_navigation(heading) else _named(heading)
        if named:
            return named
    return None
