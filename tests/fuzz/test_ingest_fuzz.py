"""Every document reader over generated and mutated inputs: HTML, PDF, DOCX,
Markdown, plain text in any encoding; zip bombs and huge object streams."""

from __future__ import annotations

import io
import struct
import time
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from privwatch.errors import PrivwatchError
from privwatch.ingest import Loaded, load, parse
from privwatch.ingest.decode import decode
from privwatch.ingest.source import RawSource
from tests.fuzz.contract import survives
from tests.fuzz.limited import run_limited

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
NAMES = ["a.html", "a.pdf", "a.docx", "a.md", "a.txt", "a", "https://x.example/p"]
CONTENT_TYPES = [
    None,
    "text/html; charset=euc-kr",
    "text/plain; charset=utf-16",
    "application/pdf",
    "text/html; charset=bogus",
]


def parse_bytes(
    data: bytes, name: str = "a.txt", content_type: str | None = None
) -> Loaded | PrivwatchError:
    raw = RawSource(
        data, name, "bytes", "2026-11-29T00:00:00Z", content_type=content_type
    )
    return survives(lambda: parse(raw))


@given(st.binary(max_size=3000), st.sampled_from(NAMES), st.sampled_from(CONTENT_TYPES))
def test_any_bytes(data: bytes, name: str, content_type: str | None) -> None:
    parse_bytes(data, name, content_type)


KOREAN = "제1조(목적) 회사는 이용자의 개인정보를 보호합니다. ① 수집 항목: 이메일"
ENCODINGS = [
    "utf-8",
    "utf-16-le",
    "utf-16-be",
    "utf-32",
    "cp949",
    "euc-kr",
    "latin-1",
    "shift_jis",
]


@given(
    st.lists(
        st.tuples(st.text(max_size=40) | st.just(KOREAN), st.sampled_from(ENCODINGS)),
        min_size=1,
        max_size=5,
    ),
    st.binary(max_size=8),
    st.sampled_from([None, "utf-8", "euc-kr", "utf-16", "ascii", "nonsense"]),
)
def test_mixed_encodings(
    parts: list[tuple[str, str]], junk: bytes, declared: str | None
) -> None:
    """Pieces in different encodings (UTF-16 without BOM, CP949 inside UTF-8),
    malformed UTF-8 and NUL bytes, decoded and parsed."""
    data = b"".join(text.encode(enc, "ignore") for text, enc in parts) + junk
    survives(lambda: decode(data, declared=declared, source="a.txt"))
    parse_bytes(data, "a.txt")
    parse_bytes(
        b"<html><meta charset='%s'><body><p>" % (declared or "x").encode() + data,
        "a.html",
    )


@given(
    st.text(
        alphabet=st.sampled_from(
            "<>/ div p ol li ul table tr td h1 a=\"'!-#*|`[]()\n\x00가"
        ),
        max_size=400,
    )
)
def test_markup_soup(text: str) -> None:
    for name in ("a.html", "a.md", "a.txt"):
        parse_bytes(text.encode("utf-8", "surrogatepass"), name)


@pytest.mark.parametrize(
    "doc, name",
    [
        ("<html><body>" + "<div>" * 3000 + "깊은 글" + "</div>" * 3000, "deep.html"),
        ("<html><body>" + "<ol><li>" * 3000 + "항목", "lists.html"),
        ("<html><body>" + "<table><tr><td>" * 1000 + "칸", "tables.html"),
        ("<html><body><p>" + "가" * (4 << 20), "line.html"),
        ("> " * 50_000 + "x", "quotes.md"),
        ("".join("  " * i + "- x\n" for i in range(3000)), "lists.md"),
        ("[" * 50_000 + "x" + "]" * 50_000, "brackets.md"),
        ("*a **" * 50_000, "emphasis.md"),
        ("| a |\n" * 50_000, "table.md"),
        ("a" * (8 << 20), "line.txt"),
    ],
)
def test_pathological_text(tmp_path: Path, doc: str, name: str) -> None:
    """Deep nesting and huge lines: read (or refused) within seconds. In this
    process: these inputs are small, the bombs run under a memory ceiling."""
    path = tmp_path / name
    path.write_text(doc, "utf-8")
    within_seconds(lambda: load(str(path)))


def test_deep_html_keeps_its_text() -> None:
    """Regression: the walk recursed once per element (RecursionError at about
    500 levels); deeper elements are now read as text."""
    result = parse_bytes(
        ("<html><body>" + "<div>" * 3000 + "깊은 글").encode(), "a.html"
    )
    assert isinstance(result, Loaded) and "깊은 글" in result.text


PDF = (FIXTURES / "policy_en.pdf").read_bytes()
DOCX = (FIXTURES / "policy_en.docx").read_bytes()


@given(st.integers(0, len(PDF)), st.binary(max_size=30), st.integers(0, len(PDF)))
def test_mutated_pdf(cut: int, noise: bytes, where: int) -> None:
    parse_bytes(PDF[:cut], "a.pdf")
    parse_bytes(PDF[:where] + noise + PDF[where + len(noise) :], "a.pdf")


@given(
    st.integers(0, len(DOCX)),
    st.binary(min_size=1, max_size=30),
    st.integers(0, len(DOCX)),
)
def test_mutated_docx(cut: int, noise: bytes, where: int) -> None:
    parse_bytes(DOCX[:cut], "a.docx")
    parse_bytes(DOCX[:where] + noise + DOCX[where + len(noise) :], "a.docx")


def _docx_with(document_xml: bytes, *, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(DOCX))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            archive.writestr(
                item.filename,
                document_xml if item.filename == "word/document.xml" else data,
            )
    return out.getvalue()


W = b"xmlns:w='http://schemas.openxmlformats.org/wordprocessingml/2006/main'"
LAUGHS = (
    b"<!DOCTYPE d [<!ENTITY a 'aaaaaaaaaa'>"
    + b"".join(
        b"<!ENTITY %c '%s'>" % (ord("b") + i, (b"&%c;" % (ord("a") + i)) * 10)
        for i in range(8)
    )
    + b"]>"
)


@given(
    st.binary(max_size=400)
    | st.text(alphabet="<>/w:pbodyrt =\"'&;!", max_size=200).map(str.encode)
)
def test_docx_garbage_document_xml(xml: bytes) -> None:
    parse_bytes(_docx_with(xml), "a.docx")


@pytest.mark.parametrize(
    "xml",
    [
        b"<w:document "
        + W
        + b"><w:body>"
        + b"<w:tbl><w:tr><w:tc>" * 5000
        + b"</w:body></w:document>",
        LAUGHS
        + b"<w:document "
        + W
        + b"><w:body><w:p><w:r><w:t>&i;</w:t></w:r></w:p></w:body></w:document>",
        b"<x",
        b"\x00\xff",
    ],
    ids=["deep", "billion-laughs", "unclosed", "binary"],
)
def test_docx_broken_xml_is_an_input_error(xml: bytes) -> None:
    """Regression: lxml's XMLSyntaxError escaped read_docx as a traceback."""
    stored = _docx_with(xml, method=zipfile.ZIP_STORED)  # no ratio to refuse
    result = parse_bytes(stored, "a.docx")
    assert isinstance(result, PrivwatchError) and result.key == "input.bad_file"


def test_docx_zip_bomb_refused(tmp_path: Path) -> None:
    xml = (
        b"<w:document "
        + W
        + b"><w:body><w:p><w:r><w:t>"
        + b"a" * (300 << 20)
        + b"</w:t></w:r></w:p></w:body></w:document>"
    )
    path = tmp_path / "bomb.docx"
    path.write_bytes(_docx_with(xml))
    report = run_limited("document", path)
    assert report["outcome"] == "error" and report["key"] == "input.zip_bomb"


def test_docx_huge_declared_sizes(tmp_path: Path) -> None:
    """Central directory entries claiming 4 GB: refused before unpacking."""
    data = bytearray(DOCX)
    at = data.find(b"PK\x01\x02")
    while at != -1:
        data[at + 24 : at + 28] = struct.pack("<I", 0xFFFFFFF0)
        at = data.find(b"PK\x01\x02", at + 4)
    result = parse_bytes(bytes(data), "a.docx")
    assert isinstance(result, PrivwatchError) and result.key == "input.zip_bomb"


def test_docx_many_members() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", b"<x/>")
        for number in range(10_001):
            archive.writestr(f"m{number}", b"")
    result = parse_bytes(out.getvalue(), "a.docx")
    assert isinstance(result, PrivwatchError) and result.key == "input.zip_bomb"


def _pdf(objects: list[bytes]) -> bytes:
    body = b"%PDF-1.4\n"
    offsets = []
    for number, obj in enumerate(objects, 1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    body += b"trailer<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return body


def _page(content: bytes, filters: bytes = b"") -> list[bytes]:
    return [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R"
        b"/Resources<</Font<</F1<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>>>>>>>",
        b"<</Length %d%s>>stream\n" % (len(content), filters)
        + content
        + b"\nendstream",
    ]


def test_pdf_flate_bomb(tmp_path: Path) -> None:
    """A page content stream of 1 GB of zeros, deflated to about 1 MB."""
    packer = zlib.compressobj(9)
    block = bytes(16 << 20)
    bomb = b"".join(packer.compress(block) for _ in range(64)) + packer.flush()
    path = tmp_path / "bomb.pdf"
    path.write_bytes(_pdf(_page(bomb, b"/Filter/FlateDecode")))
    report = run_limited("document", path, timeout=120)
    # pypdf refuses to inflate a stream past its own limit
    assert report["outcome"] == "error" and report["key"] == "input.bad_file"
    assert int(str(report["peak_rss"])) < 1 << 30, report


@pytest.mark.parametrize(
    "objects",
    [
        [b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[2 0 R]/Count 1>>"],
        [b"[" * 50_000 + b"]" * 50_000],
        [b"<</Type/Catalog/Pages 2 0 R/X " + b"<<" * 20_000 + b">>" * 20_000 + b">>"],
        _page(b"BT /F1 12 Tf 72 712 Td (" + b"A" * (4 << 20) + b") Tj ET"),
        _page(b"q " * 200_000),
    ],
    ids=["page-cycle", "deep-array", "deep-dict", "huge-string", "huge-stream"],
)
def test_pdf_pathological(tmp_path: Path, objects: list[bytes]) -> None:
    path = tmp_path / "odd.pdf"
    path.write_bytes(_pdf(objects))
    within_seconds(lambda: load(str(path)))


def within_seconds(call: Callable[[], object], limit: float = 20) -> None:
    started = time.monotonic()
    survives(call)
    assert time.monotonic() - started < limit


def test_pdf_unknown_filter() -> None:
    """Regression (found by the long run): a corrupt filter name raised
    pypdf's NotImplementedError as a traceback."""
    data = _pdf(_page(b"BT (x) Tj ET", b"/Filter/lateDecode"))
    result = parse_bytes(data, "a.pdf")
    assert isinstance(result, PrivwatchError) and result.key == "input.bad_file"


def test_html_nested_past_the_limit_is_refused_before_parsing() -> None:
    """lexbor's time grows with the square of the depth (minutes at 200,000
    levels): such a page is refused by a scan before the parse, in well under a
    second; a deep but allowed page (10,000 levels) still reads."""
    deep = "<html><body>" + "<div>" * 200_000 + "깊은 글" + "</div>" * 200_000
    started = time.perf_counter()
    refused = parse_bytes(deep.encode(), "deep.html")
    assert time.perf_counter() - started < 2
    assert isinstance(refused, PrivwatchError) and refused.key == "input.too_deep"
    assert "deep.html" in refused.render()
    allowed = "<html><body>" + "<div>" * 10_000 + "깊은 글" + "</div>" * 10_000
    read = parse_bytes(allowed.encode(), "allowed.html")
    assert isinstance(read, Loaded) and "깊은 글" in read.text
