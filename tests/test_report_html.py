"""The HTML reports of audit, scan and audit --traffic: one self-contained file,
evidence highlighted in the policy text exactly at its offsets and linked both
ways, statutes quoted, flows charted with cross-border flows marked, Korean and
English, everything from a policy or a HAR escaped. Checked by parsing (the
standard library's parser and lexbor) and by opening the files in the real
headless Chromium, which also takes the screenshots people look at."""

from __future__ import annotations

import os
import random
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from privwatch import __version__
from privwatch.i18n import message
from privwatch.ingest.render import CHROMIUM_ARGS, find_chromium
from privwatch.models import Audit, Document, Evidence, Finding, SourceInfo
from privwatch.pipeline import audit_document, ingest_document
from privwatch.report.html import article_key, render_html
from privwatch.report.policy_text import Highlight, policy_markup
from privwatch.rules import load_pack
from tests.conftest import ROOT
from tests.hars import entry, planted_entries, write_har, write_persona
from tests.test_cli import run

EXAMPLE = ROOT / "examples" / "hanbit-market-privacy-ko.html"
NURI = ROOT / "examples" / "nuri-market"
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
#: elements that fetch, run or submit something
ACTIVE = {
    "script",
    "link",
    "iframe",
    "frame",
    "object",
    "embed",
    "img",
    "image",
    "picture",
    "audio",
    "video",
    "source",
    "track",
    "base",
    "form",
    "use",
    "portal",
    "noscript",
}
FETCHING_ATTRS = {"src", "srcset", "action", "formaction", "poster", "background"}
HANGUL = re.compile("[가-힣]")


# --- parsing helpers -------------------------------------------------------


class Offsets(HTMLParser):
    """The text nodes of ``#policy-text`` in order, where each element with an
    id starts in that text, and where each link in it sits."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.pieces: list[str] = []
        self.position = 0
        self.ids: dict[str, int] = {}
        self.links: list[tuple[str, str, int]] = []  # (class, href, offset)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if attributes.get("id") == "policy-text":
            self.depth = 1
            return
        if not self.depth:
            return
        self.depth += 1
        if attributes.get("id"):
            self.ids[str(attributes["id"])] = self.position
        if tag == "a":
            self.links.append(
                (
                    str(attributes.get("class")),
                    str(attributes.get("href")),
                    self.position,
                )
            )

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.pieces.append(data)
            self.position += len(data)

    @property
    def text(self) -> str:
        return "".join(self.pieces)


def offsets(page: str) -> Offsets:
    parser = Offsets()
    parser.feed(page)
    parser.close()
    return parser


def assert_self_contained(page: str) -> LexborHTMLParser:
    """No element that fetches, runs or submits; no outside reference in any
    attribute or style; every in-page link resolves; a CSP that forbids the
    rest."""
    tree = LexborHTMLParser(page)
    ids = {node.attributes["id"] for node in tree.css("[id]")}
    for node in tree.css("*"):
        assert node.tag not in ACTIVE, node.html
        for name, value in node.attributes.items():
            assert name not in FETCHING_ATTRS, node.html
            assert not name.startswith("on"), node.html
            assert "href" not in name or name == "href", node.html
            if name == "href":
                assert value and value.startswith("#"), node.html
                assert value[1:] in ids, f"link to a missing anchor: {value}"
            if name == "style":
                assert "url(" not in (value or "") and "@import" not in (value or "")
        if node.tag == "meta" and "http-equiv" in node.attributes:
            assert node.attributes["http-equiv"].lower() == "content-security-policy"
    styles = " ".join(node.text() for node in tree.css("style"))
    assert "url(" not in styles and "@import" not in styles
    csp = tree.css_first('meta[http-equiv="Content-Security-Policy"]')
    assert csp is not None and "default-src 'none'" in csp.attributes["content"]
    return tree


def text_of(tree: LexborHTMLParser) -> str:
    assert tree.body is not None
    return tree.body.text(deep=True, separator=" ")


# --- building audits -------------------------------------------------------


def document(text: str, title: str = "Test policy") -> Document:
    import hashlib

    return Document(
        source=SourceInfo(
            uri="policy.txt",
            kind="file",
            media_type="text/plain",
            encoding="utf-8",
            size=len(text.encode()),
            bytes_sha256=hashlib.sha256(text.encode()).hexdigest(),
        ),
        fetched_at="2026-11-29T00:00:00+00:00",
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        language="en",
        title=title,
        text=text,
    )


def finding(
    number: int,
    spans: list[tuple[int, int]],
    text: str,
    *,
    article: str = "30(1)",
    severity: str = "medium",
) -> Finding:
    return Finding(
        rule=f"test.rule{number}",
        law="PIPA",
        article=article,
        severity=severity,
        evidence=tuple(Evidence(s, e, text[s:e]) for s, e in spans),
    )


def audited(text: str, findings: list[Finding]) -> Audit:
    return Audit(
        document=document(text),
        facts=(),
        findings=tuple(findings),
        packs=(("test-pack", "1"),),
    )


def assert_anchor_pairs(page: str, audit: Audit) -> None:
    """Each finding's quoted offsets link to an anchor that starts exactly at
    the evidence in the text, and a reference back to the finding sits exactly
    where the evidence ends."""
    tree = LexborHTMLParser(page)
    found = offsets(page)
    assert found.text == audit.document.text
    references = {
        (href, offset) for cls, href, offset in found.links if "ref" in cls.split()
    }
    cards = tree.css("article.finding")
    assert len(cards) == len(audit.findings)
    # cards come in the natural order of articles, each showing its rule,
    # the certain findings first, then the review items
    shown = sorted(
        audit.findings, key=lambda f: (f.certainty == "review", article_key(f))
    )
    for card, source in zip(cards, shown, strict=True):
        rule = card.css_first(".rule")
        assert rule is not None and rule.text() == source.rule
        expected = sorted(
            (e.start, e.end) for e in source.evidence if e.entry_index is None
        )
        seen = []
        for link in card.css("a.off"):
            start, end = map(int, re.findall(r"\d+", link.text()))
            anchor = str(link.attributes["href"])[1:]
            assert found.ids[anchor] == start, (anchor, start)
            assert (f"#{card.attributes['id']}", end) in references
            seen.append((start, end))
        assert sorted(seen) == expected


# --- the policy text -------------------------------------------------------


def test_policy_text_rebuilds_exactly_with_overlapping_evidence() -> None:
    """Nested, identical, crossing, touching and empty spans, spans over line
    ends, markup-like and Korean characters: the text nodes are the text."""
    text = (
        "제1조(목적) 회사는 <b>&amp; 개인정보를 처리합니다.\n"
        'We share data with partners & "affiliates" <script>x</script>.\n'
        "\n"
        "끝."
    )
    spans = [(0, 7), (0, 7), (3, 20), (8, 12), (12, 30), (30, 30), (40, 90)]
    spans += [(len(text) - 2, len(text)), (len(text), len(text)), (0, 0)]
    findings = [
        finding(i, [span], text, severity=("high", "medium", "low")[i % 3])
        for i, span in enumerate(spans)
    ]
    audit = audited(text, findings)
    page = render_html(audit, lang="en", statutes={})
    assert_self_contained(page)
    assert_anchor_pairs(page, audit)
    tree = LexborHTMLParser(page)
    policy = tree.css_first("#policy-text")
    assert policy is not None
    assert policy.text(deep=True, separator="", strip=False) == text
    assert not tree.css("#policy-text script, #policy-text b")


def test_policy_text_rebuilds_for_random_spans() -> None:
    rng = random.Random(20261129)
    alphabet = "가나다 ab<>&\"'\n;#"
    for _ in range(150):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 70)))
        findings = []
        for number in range(rng.randint(0, 6)):
            spans = []
            for _ in range(rng.randint(1, 3)):
                start = rng.randint(0, len(text))
                spans.append((start, rng.randint(start, len(text))))
            findings.append(finding(number, spans, text))
        audit = audited(text, findings)
        assert_anchor_pairs(render_html(audit, lang="ko", statutes={}), audit)


def test_policy_markup_alone_marks_the_innermost_span() -> None:
    text = "abcdefghij"
    outer = Highlight(0, 10, "ev-1", "#f-1", "low", "1", "outer")
    inner = Highlight(3, 5, "ev-2", "#f-2", "high", "2", "inner")
    markup = policy_markup(text, [outer, inner])
    tree = LexborHTMLParser(markup)
    marks = tree.css("mark")
    assert [m.text() for m in marks] == ["abc", "de", "fghij"]
    middle = marks[1]
    assert "high" in str(middle.attributes["class"]).split()
    assert "multi" in str(middle.attributes["class"]).split()
    assert middle.parent is not None and middle.parent.attributes["href"] == "#f-2"
    assert marks[0].attributes["id"] == "ev-1" and middle.attributes["id"] == "ev-2"


# --- the audit report --------------------------------------------------------


@pytest.fixture(scope="module")
def example_audit() -> Audit:
    return audit_document(ingest_document(str(EXAMPLE)), [load_pack("kr-pipa")])


def cli_report(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, argv: list[str]
) -> tuple[Path, str]:
    target = tmp_path / name
    code, _, err = run([*argv, "-f", "html", "-o", str(target)], capsys)
    assert code == 0, err
    return target, target.read_text("utf-8")


def test_audit_report_of_the_example(example_audit: Audit) -> None:
    page = render_html(example_audit, lang="en")
    tree = assert_self_contained(page)
    assert_anchor_pairs(page, example_audit)
    document = example_audit.document
    text = text_of(tree)
    # provenance
    for value in (
        f"privwatch {__version__}",
        f"kr-pipa {load_pack('kr-pipa').version}",
        document.source.uri,
        document.source.bytes_sha256,
        document.sha256,
        document.fetched_at,
    ):
        assert value in text, value
    # the summary: counts by severity, articles in natural order
    counts = {
        s: sum(f.severity == s for f in example_audit.findings)
        for s in ("high", "medium", "low")
    }
    stats = {
        node.css_first("span").text(): int(node.css_first("b").text())
        for node in tree.css("#summary .stat")
    }
    review = sum(f.certainty == "review" for f in example_audit.findings)
    assert stats == {
        message("html.summary.findings", "en"): len(example_audit.findings),
        "High": counts["high"],
        "Medium": counts["medium"],
        "Low": counts["low"],
        # the officer's e-mail is not said to take access requests (Art. 35)
        message("audit.review_items", "en"): review,
    }
    rows = [r.css_first("th").text() for r in tree.css("table.summary tbody tr")]
    assert rows == [
        "PIPA Art. 22(3)",
        "PIPA Art. 28-8(1)",
        "PIPA Art. 28-8(2)",
        "PIPA Art. 30(1)",
        "PIPA Art. 30(2)",
        "PIPA Art. 40(1)",
    ]
    # the statute of a cited article, from the pack (render_html reads it by default)
    statute = next(
        r.statute
        for r in load_pack("kr-pipa").rules
        if r.id == "kr-pipa.28-8.no_legal_basis"
    )
    assert statute and statute in text
    # the two findings quoting the same cells both link to them (a finding
    # quotes at most three spans: engine.MAX_SPANS)
    policy = tree.css_first("#policy-text")
    assert policy is not None
    refs = [a.attributes["href"] for a in policy.css("a.ref")]
    high = next(
        c.attributes["id"]
        for c in tree.css("article.finding")
        if "kr-pipa.28-8.no_legal_basis" in c.text()
    )
    assert refs.count(f"#{high}") == 3


@pytest.mark.corpus
def test_real_policies_rebuild_and_link(shared: Path) -> None:
    """Every policy in ../shared: real findings, overlapping as they come."""
    pack = load_pack("kr-pipa")
    policies = sorted((shared / "corpus" / "policies").iterdir())
    assert policies
    for path in policies:
        audit = audit_document(ingest_document(str(path)), [pack])
        page = render_html(audit, lang="en")
        assert_self_contained(page)
        assert_anchor_pairs(page, audit)


def test_articles_sort_naturally_and_counts_add_up() -> None:
    text = "x" * 50
    articles = ["30(10)", "30(2)", "28-8(2)", "3", "28(1)", "28-8(1)", "30(2)"]
    findings = [
        finding(i, [(i, i + 2)], text, article=a, severity=("high", "low")[i % 2])
        for i, a in enumerate(articles)
    ]
    tree = LexborHTMLParser(render_html(audited(text, findings), lang="en"))
    rows = tree.css("table.summary tbody tr")
    assert [r.css_first("th").text() for r in rows] == [
        "PIPA Art. 3",
        "PIPA Art. 28(1)",
        "PIPA Art. 28-8(1)",
        "PIPA Art. 28-8(2)",
        "PIPA Art. 30(2)",
        "PIPA Art. 30(10)",
    ]
    totals = [int(r.css("td.n")[-1].text()) for r in rows]
    assert totals == [1, 1, 1, 1, 2, 1]
    numbers = [c.css_first(".num").text() for c in tree.css("article.finding")]
    assert numbers == [f"#{n}" for n in range(1, 8)]


def test_interface_language_follows_lang(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    pages = {
        lang: cli_report(
            capsys, tmp_path, f"{lang}.html", ["--lang", lang, "audit", str(EXAMPLE)]
        )[1]
        for lang in ("ko", "en")
    }
    for lang, page in pages.items():
        tree = assert_self_contained(page)
        html = tree.css_first("html")
        assert html is not None and html.attributes["lang"] == lang
        headings = [h.text() for h in tree.css("h2")]
        assert headings[0] == message("html.section.summary", lang)
        assert message("html.section.policy", lang) in headings
        labels = [*headings, *(d.text() for d in tree.css("dl.meta dt"))]
        labels += [b.text() for b in tree.css("article.finding .badge")]
        for label in labels:
            assert bool(HANGUL.search(label)) == (lang == "ko"), label
    assert "개인정보 보호법 제28조의8제1항" in pages["ko"]
    assert "PIPA Art. 28-8(1)" in pages["en"]
    # the statute is quoted as enacted in either language
    assert "개인정보처리자는 제1항제1호에 따른 동의를 받을 때에는 미리" in pages["en"]


def test_untrusted_policy_is_escaped(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    policy = tmp_path / "policy.txt"
    policy.write_text(
        f"Privacy Policy {SCRIPT}\n\n"
        f"1. Retention\n\nWe keep your data as long as necessary. {IMG}\n\n"
        f'2. Sharing\n\nWe share your data with business partners{SCRIPT}"><svg onload=alert(1)>.\n',
        "utf-8",
    )
    _, page = cli_report(capsys, tmp_path, "x.html", ["audit", str(policy)])
    tree = assert_self_contained(page)
    assert not tree.css("script, img, [onerror], [onload]")
    text = text_of(tree)
    assert SCRIPT in text and IMG in text and "<svg onload" in text  # as text
    found = offsets(page)
    assert found.text == ingest_document(str(policy)).text
    assert any(SCRIPT in m.text() or IMG in m.text() for m in tree.css("mark"))


# --- scans and say versus do -------------------------------------------------


@pytest.fixture
def planted(tmp_path: Path) -> tuple[Path, Path]:
    return (
        write_har(tmp_path / "session.har", planted_entries()),
        write_persona(tmp_path / "persona.yaml"),
    )


def scan_args(har: Path, persona: Path, *extra: str) -> list[str]:
    return [
        "scan",
        str(har),
        "--persona",
        str(persona),
        "--site",
        "shop.example.kr",
        *extra,
    ]


def flow_rows(tree: LexborHTMLParser) -> dict[str, bool]:
    """Organisation -> whether its rows are marked cross-border."""
    rows: dict[str, bool] = {}
    for row in tree.css("table.flows tbody tr"):
        name = row.css_first("td strong")
        assert name is not None
        crossing = "xb" in str(row.attributes.get("class") or "").split()
        badge = row.css_first(".badge.xb")
        assert crossing == (badge is not None)
        rows[name.text()] = rows.get(name.text(), False) or crossing
    return rows


def test_scan_report_marks_cross_border_flows(
    planted: tuple[Path, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    har, persona = planted
    _, page = cli_report(capsys, tmp_path, "scan.html", scan_args(har, persona))
    tree = assert_self_contained(page)
    rows = flow_rows(tree)
    assert rows["Meta Platforms, Inc."] is True
    first = next(name for name in rows if "shop.example.kr" in name)
    assert rows[first] is False
    unknown = next(
        r for r in tree.css("table.flows tbody tr") if "unknown-tracker" in r.text()
    )
    assert unknown.css_first(".badge.unk") is not None  # no country: not "domestic"
    assert unknown.css_first(".badge.dom") is None
    svg = tree.css_first(".chart svg")
    assert svg is not None
    labels = [t.text() for t in svg.css("text")]
    assert "⚠ United States (US)" in labels and "Korea (KR)" in labels
    assert "Email address" in labels
    assert any("cross-border" in t for t in labels)  # the legend
    text = text_of(tree)
    assert result_sha(har) in text and f"privwatch {__version__}" in text
    # another users' country turns the marks around
    _, page = cli_report(
        capsys,
        tmp_path,
        "us.html",
        scan_args(har, persona, "--user-country", "US"),
    )
    rows = flow_rows(LexborHTMLParser(page))
    assert rows["Meta Platforms, Inc."] is False and rows[first] is True


def result_sha(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def payload_har(path: Path) -> Path:
    return write_har(
        path,
        [
            entry(f"https://{IMG}.example/p?e=ha.neul@example.org", ip=None),
            entry(
                f"https://tracker.example/c?{SCRIPT}=ha.neul@example.org",
                ip="8.8.8.8",
            ),
        ],
    )


def test_har_payloads_are_escaped(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    har = payload_har(tmp_path / "x.har")
    _, page = cli_report(
        capsys, tmp_path, "scan.html", ["scan", str(har), "--site", "shop.example.kr"]
    )
    tree = assert_self_contained(page)
    assert not tree.css("script, img, [onerror]")
    text = text_of(tree)
    assert f"{IMG}.example" in text and SCRIPT in text
    policy = tmp_path / "policy.md"
    policy.write_text("# Privacy\n\nWe share your email address with partners.\n")
    _, page = cli_report(
        capsys,
        tmp_path,
        "audit.html",
        ["audit", str(policy), "--traffic", str(har), "--site", "shop.example.kr"],
    )
    tree = assert_self_contained(page)
    assert not tree.css("script, img, [onerror]")
    assert f"{IMG}.example" in text_of(tree)


def test_audit_with_traffic_shows_flows_and_both_sides(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    har = NURI / "session.har"
    _, page = cli_report(
        capsys,
        tmp_path,
        "nuri.html",
        [
            "--lang",
            "ko",
            "audit",
            str(NURI / "privacy-ko.md"),
            "--traffic",
            str(har),
            "--persona",
            str(NURI / "persona.yaml"),
            "--site",
            "nurimarket.example",
            "--domestic",
        ],
    )
    tree = assert_self_contained(page)
    rows = flow_rows(tree)
    assert rows["Alibaba Group Holding Limited"] is True
    assert rows["www.nurimarket.example"] is False
    text = text_of(tree)
    assert result_sha(har) in text  # the session's hash beside the policy's
    said = {
        row.attributes["id"]: row for row in tree.css("table.svd tbody tr")
    }  # say versus do, linked from the flows table and from the text
    incorrect = next(r for r in said.values() if "incorrect" in str(r.attributes))
    assert "주민등록번호를 수집하지 않으며" in incorrect.text()
    found = offsets(page)
    backs = {href for cls, href, _ in found.links if "ref" in str(cls)}
    assert f"#{incorrect.attributes['id']}" in backs
    for link in tree.css("table.flows a"):
        assert str(link.attributes["href"])[1:] in said
    # flow findings point at the request's row in the flows table
    requests = [
        a for a in tree.css("article.finding a") if "flow-" in str(a.attributes)
    ]
    assert requests
    assert "ha.neul@example.org" not in page


# --- in the real browser -----------------------------------------------------


def artifacts() -> Path:
    folder = Path(os.environ.get("PRIVWATCH_ARTIFACTS") or ROOT / "test-artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    sync_api = pytest.importorskip("playwright.sync_api")
    path = find_chromium()
    if path is None:
        pytest.fail(
            "no Chromium found: install it (apt-get install -y chromium) or set"
            " PRIVWATCH_CHROMIUM to its path"
        )
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def open_report(browser, path: Path, screenshot: str | None = None):  # type: ignore[no-untyped-def]
    """Load the file; assert it asks for nothing but itself and raises no dialog."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    dialogs: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    url = path.resolve().as_uri()
    page.goto(url, wait_until="load")
    page.wait_for_timeout(300)
    assert requests == [url]
    assert dialogs == []
    missing = page.evaluate(
        """() => [...document.querySelectorAll('a[href^="#"]')]
            .map(a => a.getAttribute('href').slice(1))
            .filter(id => !document.getElementById(id))"""
    )
    assert missing == []
    if screenshot:
        page.screenshot(path=str(artifacts() / screenshot), full_page=True)
    return page


def test_reports_in_chromium(
    browser,  # type: ignore[no-untyped-def]
    planted: tuple[Path, Path],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    for lang in ("ko", "en"):
        path, _ = cli_report(
            capsys,
            tmp_path,
            f"audit-{lang}.html",
            ["--lang", lang, "audit", str(EXAMPLE)],
        )
        page = open_report(browser, path, f"audit-{lang}.png")
        # a highlight leads to its finding, the finding's offsets back to the text
        page.click("#policy-text a.hl >> nth=0")
        target = page.evaluate("location.hash")
        assert re.fullmatch(r"#f-\d+", target)
        page.click(f"{target} a.off >> nth=0")
        assert re.fullmatch(r"#ev-\d+", page.evaluate("location.hash"))
        assert page.evaluate("document.documentElement.lang") == lang
        page.close()
    har, persona = planted
    path, _ = cli_report(
        capsys, tmp_path, "scan.html", ["--lang", "ko", *scan_args(har, persona)]
    )
    page = open_report(browser, path, "scan-ko.png")
    box = page.locator(".chart svg").bounding_box()
    assert box is not None and box["width"] > 600 and box["height"] > 200
    page.close()
    path, _ = cli_report(
        capsys,
        tmp_path,
        "audit-traffic.html",
        [
            "--lang",
            "ko",
            "audit",
            str(NURI / "privacy-ko.md"),
            "--traffic",
            str(NURI / "session.har"),
            "--persona",
            str(NURI / "persona.yaml"),
            "--site",
            "nurimarket.example",
            "--domestic",
        ],
    )
    open_report(browser, path, "audit-traffic-ko.png").close()


def test_payloads_raise_no_dialog_in_chromium(
    browser,  # type: ignore[no-untyped-def]
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    policy = tmp_path / "policy.txt"
    policy.write_text(
        f"Privacy {SCRIPT}\n\nWe share data with partners. {IMG}\n", "utf-8"
    )
    har = payload_har(tmp_path / "x.har")
    for name, argv in (
        ("audit.html", ["audit", str(policy)]),
        ("scan.html", ["scan", str(har), "--site", "shop.example.kr"]),
        (
            "both.html",
            ["audit", str(policy), "--traffic", str(har), "--site", "shop.example.kr"],
        ),
    ):
        path, _ = cli_report(capsys, tmp_path, name, argv)
        open_report(browser, path).close()
