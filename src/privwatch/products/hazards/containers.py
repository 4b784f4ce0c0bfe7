"""The container formats agencies export in, read one record at a time.

Each reader yields ``(where, record)``: ``where`` is the record's place for an
error message (its number, or for CSV/XLSX the line or sheet row), ``record``
a dict (JSON object; XML element as nested dicts; CSV/XLSX row by header).
Nothing is read whole: JSON through ijson, XML through iterparse, CSV through
the csv module, XLSX through its sheet's XML, so a 50,000-record export
streams in constant memory.
"""

from __future__ import annotations

import codecs
import csv
import functools
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any
from xml.etree import ElementTree

from privwatch.errors import InputError

Record = dict[str, Any]
SNIFF = 1 << 20  # bytes read to choose an encoding
MAX_UNPACKED = 1 << 30  # an XLSX sheet over this when unpacked is refused
MAX_RATIO = 200  # ... or compressed more than this


class BadRecord(Exception):
    """A record (or the file around it) cannot be read; ``where`` says which."""

    def __init__(self, where: int, reason: str) -> None:
        self.where = where
        self.reason = reason
        super().__init__(reason)


class ExtraCells(Exception):
    """A CSV row with more cells than the header has columns."""

    def __init__(self, where: int, cells: int, columns: int) -> None:
        self.where = where
        self.cells = cells
        self.columns = columns
        super().__init__(f"{cells} cells under {columns} columns")


def kind_of(path: Path) -> str:
    """``json``, ``xml``, ``xlsx`` or ``csv``, from the file's first bytes."""
    with path.open("rb") as handle:
        head = handle.read(4096)
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text[:1] in (b"[", b"{"):
        return "json"
    if text[:1] == b"<":
        return "xml"
    return "csv"


# --- JSON ----------------------------------------------------------------


def json_records(path: Path, prefix: str) -> Iterator[tuple[int, Record]]:
    import ijson

    number = 0
    with path.open("rb") as handle:
        try:
            for item in ijson.items(handle, prefix, use_float=True):
                number += 1
                if not isinstance(item, dict):
                    raise BadRecord(number, f"expected an object, got {_kind(item)}")
                yield number, item
        except ijson.JSONError as exc:
            first = " ".join(str(exc).splitlines()[0].split()) if str(exc) else ""
            raise BadRecord(number + 1, f"not valid JSON: {first}") from None


# --- XML -----------------------------------------------------------------


@functools.cache
def _local(tag: str) -> str:
    """A tag without its namespace."""
    return tag.rsplit("}", 1)[-1]


def _as_dict(element: ElementTree.Element) -> Any:
    """An element as nested dicts: a leaf is its text; repeated children
    become a list; attributes are ``@name``."""
    children = list(element)
    if not children and not element.attrib:
        return (element.text or "").strip()
    out: dict[str, Any] = {f"@{_local(k)}": v for k, v in element.attrib.items()}
    if not children:
        out["#text"] = (element.text or "").strip()
    for child in children:
        key = _local(child.tag)
        value = _as_dict(child)
        if key in out:
            if not isinstance(out[key], list):
                out[key] = [out[key]]
            out[key].append(value)
        else:
            out[key] = value
    return out


def xml_records(
    path: Path, tag: str, document: dict[str, str]
) -> Iterator[tuple[int, Record]]:
    """Each ``tag`` element; leaves outside the records land in ``document``
    (``report_date`` of a weekly report) as the stream passes them."""
    number = 0
    depth = 0  # how deep inside a record element
    try:
        for event, element in ElementTree.iterparse(path, events=("start", "end")):
            name = _local(element.tag)
            if event == "start":
                if name == tag or depth:
                    depth += 1
                continue
            if depth:
                depth -= 1
                if depth == 0:
                    number += 1
                    record = _as_dict(element)
                    yield number, record if isinstance(record, dict) else {}
                    element.clear()
            elif not len(element):
                document.setdefault(name, (element.text or "").strip())
    except ElementTree.ParseError as exc:
        raise BadRecord(
            number + 1, f"not valid XML: {' '.join(str(exc).split())}"
        ) from None


# --- CSV -----------------------------------------------------------------


def choose_encoding(path: Path, encodings: list[str]) -> str:
    """The first of ``encodings`` the file's start decodes in."""
    with path.open("rb") as handle:
        head = handle.read(SNIFF)
    for name in encodings:
        try:
            codecs.getincrementaldecoder(name)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        return name
    raise InputError("input.bad_encoding", source=path, encoding=" / ".join(encodings))


def csv_records(
    path: Path, encodings: list[str], delimiter: str
) -> Iterator[tuple[int, Record]]:
    encoding = choose_encoding(path, encodings)
    csv.field_size_limit(1 << 24)
    with path.open("r", encoding=encoding, newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        try:
            header = [h.strip() for h in next(reader, [])]
            for row in reader:
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) > len(header):
                    raise ExtraCells(reader.line_num, len(row), len(header))
                yield reader.line_num, dict(zip(header, row, strict=False))
        except csv.Error as exc:
            raise BadRecord(reader.line_num, f"not valid CSV: {exc}") from None
        except UnicodeDecodeError:
            raise BadRecord(
                reader.line_num + 1, f"does not decode as {encoding}"
            ) from None


def csv_header(path: Path, encodings: list[str], delimiter: str) -> list[str]:
    try:
        encoding = choose_encoding(path, encodings)
    except InputError:
        return []
    with path.open("r", encoding=encoding, newline="") as handle:
        try:
            return [
                h.strip() for h in next(csv.reader(handle, delimiter=delimiter), [])
            ]
        except (csv.Error, UnicodeDecodeError):
            return []


# --- XLSX ----------------------------------------------------------------

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_CELL = re.compile(r"([A-Z]+)(\d+)")


def _column(reference: str) -> int:
    letters = _CELL.match(reference)
    index = 0
    for char in letters.group(1) if letters else "A":
        index = index * 26 + ord(char) - 64
    return index - 1


def _sheet_member(book: zipfile.ZipFile, sheet: str) -> str:
    """The zip member of the sheet named ``sheet`` (the first when "")."""
    workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    for entry in workbook.iter(f"{_MAIN}sheet"):
        if not sheet or entry.get("name") == sheet:
            target = targets.get(entry.get(f"{_REL}id"), "")
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    raise BadRecord(0, f"no sheet named {sheet!r}")


def _shared_strings(book: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in book.namelist():
        return []
    strings: list[str] = []
    with book.open("xl/sharedStrings.xml") as handle:
        for _, element in ElementTree.iterparse(handle):
            if element.tag == f"{_MAIN}si":
                strings.append("".join(t.text or "" for t in element.iter(f"{_MAIN}t")))
                element.clear()
    return strings


def _number(text: str) -> str:
    """A numeric cell as written: an integer stored as a float (a barcode
    saved as 8.801234567893E12) back to its digits."""
    if re.fullmatch(r"-?\d+", text):
        return text
    try:
        value = float(text)
    except ValueError:
        return text
    return str(int(value)) if value.is_integer() and abs(value) < 1e18 else text


def _rows(handle: IO[bytes], strings: list[str]) -> Iterator[tuple[int, list[str]]]:
    for _, element in ElementTree.iterparse(handle):
        if element.tag != f"{_MAIN}row":
            continue
        cells: dict[int, str] = {}
        for cell in element.iter(f"{_MAIN}c"):
            kind = cell.get("t", "n")
            value = cell.find(f"{_MAIN}v")
            text = value.text or "" if value is not None else ""
            if kind == "s" and text:
                text = strings[int(text)] if int(text) < len(strings) else ""
            elif kind == "inlineStr":
                text = "".join(t.text or "" for t in cell.iter(f"{_MAIN}t"))
            elif kind == "n" and text:
                text = _number(text)
            cells[_column(cell.get("r", "A1"))] = text
        row = [cells.get(i, "") for i in range(max(cells, default=-1) + 1)]
        yield int(element.get("r", "0")), row
        element.clear()


def xlsx_records(path: Path, sheet: str) -> Iterator[tuple[int, Record]]:
    try:
        book = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise BadRecord(0, f"not a readable XLSX file: {exc}") from None
    with book:
        try:
            member = _sheet_member(book, sheet)
            info = book.getinfo(member)
            if info.file_size > MAX_UNPACKED or (
                info.compress_size and info.file_size / info.compress_size > MAX_RATIO
            ):
                raise BadRecord(0, f"sheet unpacks to {info.file_size} bytes: refused")
            strings = _shared_strings(book)
            with book.open(member) as handle:
                header: list[str] | None = None
                for number, row in _rows(handle, strings):
                    if header is None:
                        header = [h.strip() for h in row]
                        continue
                    if any(cell.strip() for cell in row):
                        yield number, dict(zip(header, row, strict=False))
        except (KeyError, ElementTree.ParseError, zipfile.BadZipFile) as exc:
            raise BadRecord(0, f"not a readable XLSX file: {exc}") from None


def _kind(value: Any) -> str:
    return "null" if value is None else type(value).__name__
