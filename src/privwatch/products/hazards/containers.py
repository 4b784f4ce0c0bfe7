"""The container formats agencies export in, read one record at a time.

Each reader yields ``(where, record)``: ``where`` is the record's place for an
error message (its number, or for CSV/XLSX the line or sheet row), ``record``
a dict (JSON object; XML element as nested dicts; CSV/XLSX row by header).
Nothing is read whole: JSON through ijson, XML through expat, CSV through
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
CHUNK = 1 << 20  # bytes fed to the XML parser at a time
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
        if handle.read(3) != codecs.BOM_UTF8:  # a byte-order mark is no JSON
            handle.seek(0)
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
    """A tag without its namespace (``{uri}tag`` or ``prefix:tag``)."""
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


class _Node:
    """An element being read inside a record: its name, attributes, text
    and children so far."""

    __slots__ = ("children", "name", "text", "value")

    def __init__(self, name: str, attributes: dict[str, str]) -> None:
        self.name = name
        self.text: list[str] = []
        self.children: dict[str, Any] | None = (
            {f"@{_local(k)}": v for k, v in attributes.items()} if attributes else None
        )

    def done(self) -> Any:
        """A leaf is its text; otherwise a dict of children (a repeated child
        a list), ``@attribute``s, and ``#text`` when it has no children."""
        text = "".join(self.text).strip()
        if self.children is None:
            return text
        if not any(not k.startswith("@") for k in self.children):
            self.children["#text"] = text
        return self.children

    def add(self, name: str, value: Any) -> None:
        if self.children is None:
            self.children = {}
        known = self.children.get(name)
        if known is None and name not in self.children:
            self.children[name] = value
        elif isinstance(known, list):
            known.append(value)
        else:
            self.children[name] = [known, value]


def xml_records(
    path: Path, tag: str, document: dict[str, str]
) -> Iterator[tuple[int, Record]]:
    """Each ``tag`` element as nested dicts; leaves outside the records land
    in ``document`` (``report_date`` of a weekly report) as the stream passes
    them. Read with expat in 1 MB chunks: no tree is built."""
    from xml.parsers import expat

    parser = expat.ParserCreate()
    parser.buffer_text = True
    inside: list[_Node] = []  # the open elements of the current record
    outside: list[list[Any]] = []  # [name, text parts, has children] above it
    ready: list[Record] = []

    def start(name: str, attributes: dict[str, str]) -> None:
        local = _local(name)
        if inside or local == tag:
            inside.append(_Node(local, attributes))
        else:
            if outside:
                outside[-1][2] = True
            outside.append([local, [], False])

    def text(data: str) -> None:
        if inside:
            inside[-1].text.append(data)
        elif outside:
            outside[-1][1].append(data)

    def end(name: str) -> None:
        if inside:
            node = inside.pop()
            value = node.done()
            if inside:
                inside[-1].add(node.name, value)
            else:
                ready.append(value if isinstance(value, dict) else {})
            return
        local, parts, parent = outside.pop()
        if not parent:
            document.setdefault(local, "".join(parts).strip())

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    number = 0
    with path.open("rb") as handle:
        while True:
            chunk = handle.read(CHUNK)
            broken = None
            try:
                parser.Parse(chunk, not chunk)
            except expat.ExpatError as exc:
                broken = f"not valid XML: {exc}"
            for record in ready:  # the records before a break still arrive
                number += 1
                yield number, record
            ready.clear()
            if broken:
                raise BadRecord(number + 1, broken)
            if not chunk:
                return


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
    """The sheet's rows as (row number, cells), read with expat: a cell's
    value is its shared string, inline string or number as written."""
    from xml.parsers import expat

    parser = expat.ParserCreate()
    parser.buffer_text = True
    ready: list[tuple[int, list[str]]] = []
    row: dict[int, str] = {}
    state: dict[str, Any] = {"row": 0, "col": 0, "kind": "n", "text": None}

    def start(name: str, attributes: dict[str, str]) -> None:
        local = _local(name)
        if local == "c":
            state["col"] = _column(attributes.get("r", "A1"))
            state["kind"] = attributes.get("t", "n")
        elif local == "row":
            row.clear()
            state["row"] = int(attributes.get("r", "0") or 0)
        elif local in ("v", "t"):
            state["text"] = []

    def text(data: str) -> None:
        if state["text"] is not None:
            state["text"].append(data)

    def end(name: str) -> None:
        local = _local(name)
        if local in ("v", "t") and state["text"] is not None:
            value = "".join(state["text"])
            state["text"] = None
            kind = state["kind"]
            if kind == "s" and local == "v":
                index = int(value) if value.isdigit() else -1
                value = strings[index] if 0 <= index < len(strings) else ""
            elif kind == "n" and local == "v":
                value = _number(value)
            col = state["col"]
            row[col] = row.get(col, "") + value  # rich text: several <t>
        elif local == "row":
            cells = [row.get(i, "") for i in range(max(row, default=-1) + 1)]
            ready.append((state["row"], cells))

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    while True:
        chunk = handle.read(CHUNK)
        try:
            parser.Parse(chunk, not chunk)
        except expat.ExpatError as exc:
            raise BadRecord(0, f"not a readable XLSX sheet: {exc}") from None
        yield from ready
        ready.clear()
        if not chunk:
            return


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
