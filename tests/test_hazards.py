"""Hazard and recall lists: each agency's format read from a fixture we wrote
in it (made-up products, the real field structure), mappings as data, and the
errors a broken file or mapping gives (one line, exit 2, naming file and row)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from privwatch.cli import main
from privwatch.errors import InputError
from privwatch.products.hazards import builtin_ids, gtin_valid, read_hazards
from privwatch.products.records import HazardRecord
from tests.conftest import FIXTURES

HAZARDS = FIXTURES / "hazards"


def read(path: Path, mapping: str | None = None) -> list[HazardRecord]:
    return list(read_hazards(path, mapping))


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    captured = capsys.readouterr()
    return int(exit_info.value.code or 0), captured.out, captured.err


def one_line_error(code: int, err: str, *expected: str) -> str:
    assert code == 2, err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("privwatch: ")
    for text in expected:
        assert text in lines[0], lines[0]
    return lines[0]


# --- the check digit -------------------------------------------------------


@pytest.mark.parametrize(
    "code",
    ["4006381333931", "084123456784", "01234565", "8 801234 567893", "10012345678902"],
)
def test_valid_gtins_pass(code: str) -> None:
    assert gtin_valid(code)


@pytest.mark.parametrize(
    "code", ["4006381333932", "084123456785", "1234", "88012345678933", "ABC", ""]
)
def test_invalid_gtins_fail(code: str) -> None:
    assert not gtin_valid(code)


# --- one reader per agency's format --------------------------------------


def test_cpsc_json() -> None:
    first, second = read(HAZARDS / "cpsc.json")
    assert first.source == "us-cpsc"
    assert first.record_id == "27901"
    assert first.date == "2026-10-15"
    assert first.country == "US"
    assert first.names == {"en": "Lumora Moon Night Light"}
    assert first.brand == "Shenzhen Lumora Lighting Co., Ltd., of China"
    assert first.identifiers.model == ("LN-200", "LN-210")  # one cell, split
    assert first.identifiers.gtin == ("084123456784",)
    assert first.identifiers.other == ("084123456785",)  # bad check digit: kept
    assert first.hazard.startswith("The night light can overheat")
    assert first.measure.endswith("; Refund")  # Remedies then RemedyOptions
    assert first.category == "Lighting"
    assert first.url.startswith("https://www.cpsc.gov/Recalls/")
    assert first.images == ("https://www.cpsc.gov/s3fs-public/example-lumora-1.png",)
    # two products in one recall: both names, both models; no manufacturer,
    # so the importer names the firm
    assert second.names["en"] == (
        "Tidewell Infant Bath Seat; Tidewell Infant Bath Seat Deluxe"
    )
    assert second.identifiers.model == ("TW-BS01", "TW-BS02")
    assert second.brand == "Tidewell Baby Inc."
    assert second.identifiers.gtin == ()


def test_safety_gate_weekly_xml() -> None:
    hazards = read_hazards(HAZARDS / "safety-gate.xml")
    first, second = list(hazards)
    assert hazards.mapping.id == "eu-safety-gate"
    assert first.record_id == "SR/09001/26"
    assert first.date == "2026-11-20"  # the weekly report's date, dd/mm/yyyy
    assert first.country == "DE"  # "Germany" through the mapping's table
    assert first.names == {"en": "Galaxy Slime Kit"}
    assert first.brand == "Glimmo"
    assert first.identifiers.model == ("GS-12", "GS-12B")
    assert first.identifiers.batch == ("L2405",)
    assert first.identifiers.gtin == ("4006381333931",)
    assert "4006381333932" in first.identifiers.other
    assert "GLM-R-2611" in first.identifiers.other
    assert first.hazard.startswith("Chemical: The product contains too much boron")
    assert "Recall of the product from end users" in first.measure
    assert len(first.images) == 2
    # no name: the product type stands in; "Unknown" brand is no brand
    assert second.names == {"en": "Travel adaptor"}
    assert second.brand == ""
    # a country the table does not know: left empty, and told
    assert second.country == ""
    assert hazards.unmapped == {("country", "Moldavia"): 1}
    assert hazards.moved_gtins == 1


def test_oecd_globalrecalls_csv() -> None:
    first, second = read(HAZARDS / "globalrecalls.csv")
    assert first.source == "oecd-globalrecalls"
    assert (first.country, second.country) == ("AU", "CA")
    assert (first.date, second.date) == ("2026-09-30", "2026-09-30")  # two formats
    assert first.identifiers.model == ("KF-W3", "KF-W3S")  # quoted cell with a comma
    assert first.identifiers.gtin == ("9312345678907",)
    assert second.hazard == "Fire: The charger can overheat."
    assert second.images == (
        "https://example.org/img1.jpg",
        "https://example.org/img2.jpg",
    )


def test_korean_consumer24_json() -> None:
    first, second = read(HAZARDS / "consumer24.json")
    assert first.source == "kr-consumer24-recalls"
    assert first.names == {"ko": "어린이용 물놀이 튜브 (해피웨이브)"}
    assert first.date == "2026-11-04"  # yyyymmdd
    assert first.country == "KR"
    assert first.category == "공산품"  # cntntsId 0101 through the table
    assert first.identifiers.model == ("HW-T100", "HW-T120")
    assert first.identifiers.gtin == ("8801234567893",)
    assert first.identifiers.batch == ("2026-05 제조분",)
    assert first.measure == "리콜명령"
    assert len(first.images) == 2  # "||" between addresses
    assert second.category == "해외리콜"
    assert second.date == "2026-11-05"  # yyyy-mm-dd in the same list
    assert second.brand == "Sunnybee Ltd."  # no maker: the business
    assert second.identifiers.gtin == ()
    assert second.identifiers.other == ("1234",)


def test_korean_kats_csv_in_cp949() -> None:
    first, second = read(HAZARDS / "kats-cp949.csv")
    assert first.source == "kr-kats-recalls"
    assert first.names == {"ko": "전기 방석"}
    assert first.brand == "온누리"
    assert first.date == "2026-11-12"
    assert first.identifiers.model == ("EM-300", "EM-300S")
    assert first.hazard == "온도 기준 초과로 화재·화상 위험"
    assert second.brand == "반짝상사"  # no brand column value: the firm


def test_korean_kca_overseas_csv_names_in_three_languages() -> None:
    first, second = read(HAZARDS / "kca-overseas.csv")
    assert first.names == {
        "ko": "자석 블록 장난감",
        "en": "Magnetic Building Blocks",
        "zh": "磁力积木玩具",
    }
    assert first.measure == "판매차단"
    assert first.identifiers.gtin == ("6901234567892",)
    assert second.identifiers.model == ("PF-2", "PF-2 PLUS")
    assert second.identifiers.other == ("6901234567899",)


def test_every_builtin_mapping_has_a_fixture_read_by_recognition() -> None:
    seen = set()
    for path in sorted(HAZARDS.iterdir()):
        seen |= {r.source for r in read(path)}
    assert seen == set(builtin_ids())


def test_reading_streams_records_before_a_later_break(tmp_path: Path) -> None:
    """The first records arrive before the reader meets a broken one."""
    good = json.loads((HAZARDS / "cpsc.json").read_text("utf-8"))[0]
    path = tmp_path / "recalls.json"
    path.write_text("[" + json.dumps(good) + ', {"RecallNumber": ', "utf-8")
    records = iter(read_hazards(path))
    assert next(records).record_id == "27901"
    with pytest.raises(InputError) as error:
        next(records)
    assert error.value.key == "hazards.bad_record"
    assert error.value.params["row"] == 2


# --- a new agency: a mapping file, no code --------------------------------


def _xlsx(path: Path, rows: list[list[str | int]]) -> None:
    """A real XLSX: strings shared or inline, numbers as numbers."""
    shared: list[str] = []
    cells = []
    for r, row in enumerate(rows, start=1):
        out = []
        for c, value in enumerate(row):
            ref = f"{chr(65 + c)}{r}"
            if isinstance(value, int):
                out.append(f'<c r="{ref}"><v>{float(value):.12E}</v></c>')
            elif c % 2:
                out.append(
                    f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'
                )
            else:
                shared.append(value)
                out.append(f'<c r="{ref}" t="s"><v>{len(shared) - 1}</v></c>')
        cells.append(f'<row r="{r}">{"".join(out)}</row>')
    main_ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel_ns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{main_ns}" xmlns:r="{rel_ns}"><sheets>'
            '<sheet name="목록" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        book.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            'relationships"><Relationship Id="rId1" Target="worksheets/sheet1.xml"'
            ' Type="worksheet"/></Relationships>',
        )
        book.writestr(
            "xl/sharedStrings.xml",
            f'<sst xmlns="{main_ns}">'
            + "".join(f"<si><t>{escape(s)}</t></si>" for s in shared)
            + "</sst>",
        )
        book.writestr(
            "xl/worksheets/sheet1.xml",
            f'<worksheet xmlns="{main_ns}"><sheetData>{"".join(cells)}</sheetData>'
            "</worksheet>",
        )


MAPPING = """
id: tw-example
name: "A made-up agency's XLSX list"
format: xlsx
records: 목록
date_formats: ["%Y/%m/%d"]
country: TW
source:
  publisher: "Example agency"
  url: "https://example.org/recalls"
  terms: "Example terms"
  checked: "test mapping"
fields:
  record_id: {path: 編號}
  date: {path: 公告日期}
  names:
    zh-Hant: {path: 產品名稱}
    en: {path: Product}
  brand: {path: 品牌}
  gtin: {path: 條碼, split: "[,;]"}
  model: {path: 型號}
"""


def test_new_agency_xlsx_through_a_mapping_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = tmp_path / "list.xlsx"
    _xlsx(
        sheet,
        [
            ["編號", "公告日期", "產品名稱", "Product", "品牌", "條碼", "型號"],
            [
                "TW-001",
                "2026/11/01",
                "兒童電動牙刷",
                "Kids toothbrush",
                "Brushy",
                4712345678900,
                "KB 100",
            ],
        ],
    )
    mapping = tmp_path / "tw.yaml"
    mapping.write_text(MAPPING, "utf-8")
    code, out, err = run(
        ["products", "hazards", str(sheet), "--mapping", str(mapping), "-f", "json"],
        capsys,
    )
    assert code == 0, err
    (record,) = json.loads(out)["records"]
    assert record["names"] == {"zh-Hant": "兒童電動牙刷", "en": "Kids toothbrush"}
    assert record["date"] == "2026-11-01"
    assert record["country"] == "TW"
    # a barcode saved as a number (4.7123456789E12) back to its digits, checked
    assert record["identifiers"]["gtin"] == ["4712345678900"]
    assert record["identifiers"]["model"] == ["KB 100"]
    assert "1 record(s) read with mapping tw-example" in err


# --- the command -----------------------------------------------------------


def test_command_reads_several_files_as_json(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(
        [
            "products",
            "hazards",
            str(HAZARDS / "cpsc.json"),
            str(HAZARDS / "kca-overseas.csv"),
            "-f",
            "json",
        ],
        capsys,
    )
    assert code == 0, err
    document = json.loads(out)
    assert document["schema"] == "privwatch.hazards/1"
    assert [r["source"] for r in document["records"]] == ["us-cpsc"] * 2 + [
        "kr-kca-overseas"
    ] * 2
    assert [f["records"] for f in document["files"]] == [2, 2]
    assert document["files"][0]["gtins_kept_as_other"] == 1


def test_command_table_is_one_line_per_record(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(
        ["products", "hazards", str(HAZARDS / "kats-cp949.csv"), "--lang", "ko"], capsys
    )
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == 2
    assert lines[0].split("\t")[:6] == [
        "kr-kats-recalls",
        "R2026-0101",
        "2026-11-12",
        "KR",
        "온누리",
        "전기 방석",
    ]
    assert "레코드 2건을 읽었습니다" in err


# --- errors: one line, exit 2, the file and the row -----------------------


def test_unknown_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n", "utf-8")
    one_line_error(
        *run(["products", "hazards", str(path)], capsys)[::2], str(path), "--mapping"
    )


def test_broken_json_names_the_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = json.loads((HAZARDS / "cpsc.json").read_text("utf-8"))
    path = tmp_path / "recalls.json"
    path.write_text(json.dumps(good)[:-3] + "@@", "utf-8")
    code, out, err = run(["products", "hazards", str(path), "-m", "us-cpsc"], capsys)
    one_line_error(code, err, str(path), "record 2")
    assert out == ""  # nothing printed from a file that broke


def test_bad_date_names_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (HAZARDS / "globalrecalls.csv").read_text("utf-8")
    path = tmp_path / "gr.csv"
    path.write_text(text.replace("30/09/2026", "Sept 30th"), "utf-8")
    code, _, err = run(["products", "hazards", str(path)], capsys)
    one_line_error(code, err, str(path), "line 3", "'Sept 30th'", "%d/%m/%Y")


def test_extra_cells_name_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (HAZARDS / "kca-overseas.csv").read_text("utf-8-sig")
    path = tmp_path / "kca.csv"
    path.write_text(text + "KCA-X,2026-11-21,a,b,c,d,e,f,g,h,i,j,k,EXTRA\n", "utf-8")
    code, _, err = run(["products", "hazards", str(path), "--lang", "ko"], capsys)
    one_line_error(code, err, str(path), "4번째 줄", "14개")


def test_missing_record_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "sg.xml"
    text = (HAZARDS / "safety-gate.xml").read_text("utf-8")
    path.write_text(text.replace("<caseNumber>SR/09002/26</caseNumber>", ""), "utf-8")
    code, _, err = run(
        ["products", "hazards", str(path), "-m", "eu-safety-gate"], capsys
    )
    one_line_error(code, err, str(path), "record 2", "caseNumber")


def test_broken_xml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "sg.xml"
    text = (HAZARDS / "safety-gate.xml").read_text("utf-8")
    path.write_text(text[: text.index("</notifications>") + 30] + "<<", "utf-8")
    code, _, err = run(
        ["products", "hazards", str(path), "-m", "eu-safety-gate"], capsys
    )
    one_line_error(code, err, str(path), "not valid XML")


def test_wrong_format_for_the_mapping(capsys: pytest.CaptureFixture[str]) -> None:
    path = HAZARDS / "globalrecalls.csv"
    code, _, err = run(["products", "hazards", str(path), "-m", "us-cpsc"], capsys)
    one_line_error(code, err, str(path), "us-cpsc", "json")


def test_unknown_mapping_id(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(
        ["products", "hazards", str(HAZARDS / "cpsc.json"), "-m", "nope"], capsys
    )
    one_line_error(code, err, "nope", "us-cpsc")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("country: TW", "country: Taiwan"), "country"),
        (("country: TW", "country: XK"), "not an ISO 3166-1 code"),
        (
            ("  model: {path: 型號}", "  country: {path: 國, values: {臺灣: RC}}"),
            "'RC' is not an ISO 3166-1 code",
        ),
        (('split: "[,;]"', 'split: "[,;"'), "split pattern"),
        (('["%Y/%m/%d"]', '["YYYY-MM-DD"]'), "date format"),
        (("  model: {path: 型號}", "  modle: {path: 型號}"), "modle"),
        (("    en: {path: Product}", "    English: {path: Product}"), "language tag"),
        (("format: xlsx", "format: xlsx\n  - ["), "invalid hazard list mapping"),
        (("format: xlsx\nrecords: 목록", "format: xml"), "XML mapping names"),
    ],
)
def test_mapping_errors(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    change: tuple[str, str],
    expected: str,
) -> None:
    assert change[0] in MAPPING
    mapping = tmp_path / "m.yaml"
    mapping.write_text(MAPPING.replace(*change), "utf-8")
    code, _, err = run(
        ["products", "hazards", str(HAZARDS / "cpsc.json"), "-m", str(mapping)], capsys
    )
    one_line_error(code, err, str(mapping), expected)


def test_missing_file_and_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(["products", "hazards", str(tmp_path / "none.json")], capsys)
    one_line_error(code, err, "none.json")
    code, _, err = run(["products", "hazards", str(tmp_path)], capsys)
    one_line_error(code, err, str(tmp_path))


def test_not_decodable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "kats.csv"
    path.write_bytes((HAZARDS / "kats-cp949.csv").read_bytes() + b"\xff\xfe\xff\n")
    code, _, err = run(
        ["products", "hazards", str(path), "-m", "kr-kats-recalls"], capsys
    )
    one_line_error(code, err, str(path))


# --- the built-in mappings: sourced, and their codes real ------------------


@pytest.mark.parametrize("mapping_id", builtin_ids())
def test_builtin_mappings_cite_source_terms_and_what_was_checked(
    mapping_id: str,
) -> None:
    from privwatch.fields import countries
    from privwatch.products.hazards.mapping import builtin

    mapping = builtin(mapping_id)
    assert mapping.id == mapping_id
    assert mapping.source.url.startswith("https://")
    assert mapping.source.terms and mapping.source.checked
    assert mapping.detect, "a built-in mapping is recognised by its fields"
    assert mapping.country in countries() | {""}
    spec = mapping.fields.country
    for code in spec.values.values() if spec else ():
        assert code in countries(), code


def test_json_output_is_each_records_to_dict(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The command writes records out field by field: the same as to_dict."""
    path = HAZARDS / "safety-gate.xml"
    code, out, _ = run(["products", "hazards", str(path), "-f", "json"], capsys)
    assert code == 0
    expected = [json.loads(json.dumps(r.to_dict())) for r in read(path)]
    assert json.loads(out)["records"] == expected


def test_xml_records_before_a_break_arrive_and_the_break_is_numbered(
    tmp_path: Path,
) -> None:
    path = tmp_path / "sg.xml"
    text = (HAZARDS / "safety-gate.xml").read_text("utf-8")
    cut = text.index("</notifications>") + len("</notifications>")
    path.write_text(text[:cut] + "<notifications><caseNumber>x</case></notifications>")
    records = iter(read_hazards(path, "eu-safety-gate"))
    assert next(records).record_id == "SR/09001/26"
    with pytest.raises(InputError) as error:
        next(records)
    assert error.value.key == "hazards.bad_record"
    assert error.value.params["row"] == 2


def test_xml_entities_do_not_expand_without_bound(tmp_path: Path) -> None:
    """A billion-laughs document is refused by the parser, not expanded."""
    lol = "".join(
        f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    )
    path = tmp_path / "lol.xml"
    path.write_text(
        f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY l0 "lol">{lol}]>'
        "<r><report_date>01/01/2026</report_date><notifications>"
        "<caseNumber>&l9;</caseNumber><riskType>x</riskType></notifications></r>",
        "utf-8",
    )
    with pytest.raises(InputError) as error:
        list(read_hazards(path, "eu-safety-gate"))
    assert error.value.key in ("hazards.bad_record", "hazards.bad_file")


def test_a_csv_mapping_reads_the_same_list_saved_as_xlsx(tmp_path: Path) -> None:
    """Korean agencies offer the same list as CSV or XLSX: one mapping reads
    both, and the sheet is recognised without --mapping."""
    import csv

    with (HAZARDS / "kca-overseas.csv").open(encoding="utf-8-sig", newline="") as f:
        rows: list[list[str | int]] = [list(r) for r in csv.reader(f)]
    rows[1][7] = int(rows[1][7])  # the barcode saved as a number
    sheet = tmp_path / "kca.xlsx"
    _xlsx(sheet, rows)
    hazards = read_hazards(sheet)
    from_sheet = list(hazards)
    assert hazards.mapping.id == "kr-kca-overseas"
    assert from_sheet == read(HAZARDS / "kca-overseas.csv")


def test_json_with_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + (HAZARDS / "consumer24.json").read_bytes())
    assert read(path) == read(HAZARDS / "consumer24.json")
