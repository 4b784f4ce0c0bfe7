"""Accessibility (접근성) taken from the site as a visitor without an account
sees it: the policy page's answer (a login wall?), its title, and how many
links it is from the home page.

The crawl is breadth first from the home page, on the same site (registrable
domain), bounded in depth and pages, obeying robots.txt, one request at a time
with a pause between them. The first link to the policy found at the smallest
depth is the answer: a link to the policy's own address, else a link whose
text names the policy (「개인정보 처리방침」 or another name for it).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import unquote, urldefrag, urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx
from selectolax.lexbor import LexborHTMLParser

from privwatch.attribution.hosts import registrable_domain
from privwatch.errors import FetchError
from privwatch.evaluate.config import Config, PolicyNames
from privwatch.evaluate.model import Note, PageCheck, SiteCheck, note
from privwatch.ingest import netpolicy
from privwatch.ingest.decode import charset_from_content_type, charset_from_meta, decode
from privwatch.ingest.source import MAX_REDIRECTS, USER_AGENT, http_client

_SPACE = re.compile(r"\s+")
_TOKEN = re.compile(r"[^0-9a-z가-힣_-]+")


@dataclass(frozen=True)
class Page:
    """One answer to a GET, redirects followed."""

    url: str
    final_url: str
    status: int
    redirects: tuple[str, ...]
    content_type: str | None
    headers: dict[str, str]
    data: bytes

    @property
    def is_html(self) -> bool:
        kind = (self.content_type or "").lower()
        return "html" in kind or (not kind and b"<html" in self.data[:2048].lower())

    def html(self) -> str:
        declared = charset_from_content_type(self.content_type) or charset_from_meta(
            self.data
        )
        try:
            return decode(self.data, declared=declared, source=self.final_url)[0]
        except Exception:  # not text: nothing to read in it
            return ""


def squashed(text: str) -> str:
    """Lower case without white space: names compare this way."""
    return _SPACE.sub("", text).lower()


def names_policy(text: str, names: PolicyNames) -> str | None:
    """``accepted`` or ``other`` when ``text`` names a privacy policy."""
    flat = squashed(text)
    if any(squashed(n) in flat for n in names.accepted):
        return "accepted"
    if any(squashed(n) in flat for n in names.other):
        return "other"
    return None


@contextmanager
def client(timeout: float) -> Iterator[httpx.Client]:
    accept = "text/html,application/xhtml+xml,*/*;q=0.5"
    with http_client(timeout, accept=accept) as session:
        yield session


def get(session: httpx.Client, url: str, max_bytes: int) -> Page:
    """GET ``url``; any status comes back (a 403 is an answer here). Errors of
    the connection are FetchErrors, a body over ``max_bytes`` is cut there."""
    try:
        with session.stream("GET", url) as response:
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                chunks.append(chunk)
                size += len(chunk)
                if size >= max_bytes:
                    break
            return Page(
                url=url,
                final_url=str(response.url),
                status=response.status_code,
                redirects=tuple(str(r.url) for r in response.history),
                content_type=response.headers.get("content-type"),
                headers=dict(response.headers),
                data=b"".join(chunks)[:max_bytes],
            )
    except netpolicy.AddressRefused as exc:
        raise netpolicy.refused_error(url, exc) from None
    except httpx.TooManyRedirects:
        raise FetchError("fetch.redirects", url=url, limit=MAX_REDIRECTS) from None
    except httpx.TimeoutException:
        raise FetchError(
            "fetch.timeout", url=url, seconds=session.timeout.read
        ) from None
    except httpx.InvalidURL as exc:
        raise FetchError("fetch.invalid_url", url=url, reason=str(exc)) from None
    except httpx.HTTPError as exc:
        raise FetchError(
            "fetch.unreachable", url=url, reason=str(exc) or type(exc).__name__
        ) from None


def check_page(page: Page, config: Config) -> PageCheck:
    """Whether ``page`` is behind a login, its title, and a viewport hint."""
    tree = LexborHTMLParser(page.html()) if page.is_html else None
    title_node = tree.css_first("title") if tree is not None else None
    title = title_node.text(strip=True) if title_node is not None else None
    password = tree is not None and any(
        (node.attributes.get("type") or "").lower() == "password"
        for node in tree.css("input")
    )
    viewport = tree is not None and tree.css_first('meta[name="viewport"]') is not None
    wall = _wall(page, config, tree, password)
    return PageCheck(
        url=page.url,
        final_url=page.final_url,
        status=page.status,
        redirects=page.redirects,
        title=title or None,
        password_form=password,
        viewport=viewport,
        wall=wall,
    )


def _wall(
    page: Page, config: Config, tree: LexborHTMLParser | None, password: bool
) -> Note | None:
    login = config.login
    if page.status in login.statuses:
        return note("evaluate.wall.status", status=page.status)
    if page.redirects and login_address(page.final_url, login.url_words):
        return note("evaluate.wall.redirect", url=page.final_url)
    if password:
        body = tree.body if tree is not None else None
        text = body.text(separator=" ") if body is not None else ""
        readable = len(squashed(text)) >= login.min_policy_chars and names_policy(
            text, config.policy_names
        )
        if not readable:
            return note("evaluate.wall.password")
    return None


def login_address(url: str, words: list[str]) -> bool:
    """Whether the address's path or query has one of ``words`` as a word."""
    parts = urlsplit(url)
    tokens = set(_TOKEN.split(unquote(f"{parts.path} {parts.query}").lower()))
    return any(word.lower() in tokens for word in words)


def _links(page: Page) -> list[tuple[str, str]]:
    """``(absolute address without fragment, link text)`` of a page's links."""
    if not page.is_html:
        return []
    tree = LexborHTMLParser(page.html())
    base_node = tree.css_first("base[href]")
    base = (
        urljoin(page.final_url, base_node.attributes.get("href") or "")
        if base_node
        else page.final_url
    )
    found = []
    for anchor in tree.css("a[href]"):
        href = (anchor.attributes.get("href") or "").strip()
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
            continue
        address = urldefrag(urljoin(base, href))[0]
        if urlsplit(address).scheme not in ("http", "https"):
            continue
        text = anchor.text(separator=" ", strip=True) or (
            anchor.attributes.get("title") or ""
        )
        if not text:
            image = anchor.css_first("img[alt]")
            text = (image.attributes.get("alt") or "") if image is not None else ""
        found.append((address, " ".join(text.split())))
    return found


def _normal(url: str) -> str:
    parts = urlsplit(urldefrag(url)[0])
    path = parts.path or "/"
    query = f"?{parts.query}" if parts.query else ""
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{path}{query}"


def _site(url: str) -> str:
    return registrable_domain(urlsplit(url).hostname or "")


class _Robots:
    """robots.txt of each host, read once; a missing or broken one allows all."""

    def __init__(self, session: httpx.Client, max_bytes: int) -> None:
        self.session, self.max_bytes = session, max_bytes
        self.parsers: dict[str, RobotFileParser | None] = {}

    def allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self.parsers:
            self.parsers[origin] = self._read(origin)
        parser = self.parsers[origin]
        return parser is None or parser.can_fetch(USER_AGENT, url)

    def _read(self, origin: str) -> RobotFileParser | None:
        try:
            page = get(self.session, f"{origin}/robots.txt", self.max_bytes)
        except FetchError:
            return None
        if page.status != 200:
            return None
        parser = RobotFileParser()
        parser.parse(page.data.decode("utf-8", "replace").splitlines())
        return parser


def crawl(
    home: str,
    targets: set[str],
    config: Config,
    *,
    delay: float | None = None,
    session: httpx.Client | None = None,
) -> SiteCheck:
    """Breadth first from ``home`` until a link to the policy (an address in
    ``targets``, or a link text naming the policy) is found."""
    settings = config.crawl
    pause = settings.delay_seconds if delay is None else delay
    wanted = {_normal(t) for t in targets}
    with _session(session, settings.timeout_seconds) as http:
        robots = _Robots(http, settings.max_page_bytes)
        first = get(http, home, settings.max_page_bytes)
        if not 200 <= first.status < 300:
            raise FetchError(
                "fetch.status",
                url=home,
                status=first.status,
                reason=httpx.codes.get_reason_phrase(first.status),
            )
        site = _site(first.final_url)
        seen = {_normal(home), _normal(first.final_url)}
        level: list[tuple[Page, tuple[tuple[str, str], ...]]] = [(first, ())]
        pages, skipped, capped = 1, 0, False
        for depth in range(1, settings.max_depth + 1):
            candidates: list[tuple[str, str, tuple[tuple[str, str], ...]]] = []
            for page, trail in level:
                for address, text in _links(page):
                    candidates.append((address, text, trail))
            hit = next(
                (c for c in candidates if _normal(c[0]) in wanted), None
            ) or next(
                (c for c in candidates if names_policy(c[1], config.policy_names)),
                None,
            )
            if hit is not None:
                address, text, trail = hit
                return SiteCheck(
                    home=home,
                    found=True,
                    depth=depth,
                    url=address,
                    trail=(*trail, (address, text)),
                    pages=pages,
                    capped=False,
                    skipped_by_robots=skipped,
                )
            if depth == settings.max_depth:
                break
            following: list[tuple[Page, tuple[tuple[str, str], ...]]] = []
            for address, text, trail in candidates:
                key = _normal(address)
                if key in seen or _site(address) != site:
                    continue
                seen.add(key)
                if pages >= settings.max_pages:
                    capped = True
                    break
                if not robots.allowed(address):
                    skipped += 1
                    continue
                if pause:
                    time.sleep(pause)
                try:
                    page = get(http, address, settings.max_page_bytes)
                except FetchError:
                    continue
                pages += 1
                if 200 <= page.status < 300 and page.is_html:
                    following.append((page, (*trail, (address, text))))
            level = following
            if capped or not level:
                break
        return SiteCheck(
            home=home,
            found=False,
            depth=None,
            url=None,
            trail=(),
            pages=pages,
            capped=capped,
            skipped_by_robots=skipped,
        )


@contextmanager
def _session(given: httpx.Client | None, timeout: float) -> Iterator[httpx.Client]:
    if given is not None:
        yield given
        return
    with client(timeout) as session:
        yield session
