"""Reading hazard and recall lists: records per second on generated exports.

    python bench/hazards_read.py [--records 50000] [--repeat 3] [--cli]

Writes one 50,000-record file per container format into a temporary folder,
in each agency's structure (US CPSC JSON, EU Safety Gate weekly XML, OECD
GlobalRecalls CSV, Korean 한국소비자원 CSV, and the same Korean list saved as
XLSX), made-up products with the variations real lists have (several
models in one cell, one barcode in ten failing its check digit). Prints the
best of N in-process reads of each, and with --cli ``privwatch products hazards
FILE -f json`` end to end (a new process, output to /dev/null).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape

from privwatch.products.hazards import read_hazards

ROOT = Path(__file__).resolve().parent.parent


def gtin(n: int) -> str:
    """A GTIN-13; every tenth with a wrong check digit."""
    body = f"880{n:09d}"
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    check = (10 - total % 10) % 10
    return body + str((check + (1 if n % 10 == 0 else 0)) % 10)


def cpsc(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write("[")
        for n in range(count):
            record = {
                "RecallID": n,
                "RecallNumber": f"{20000 + n}",
                "RecallDate": f"2026-{n % 12 + 1:02d}-{n % 28 + 1:02d}T00:00:00",
                "URL": f"https://www.cpsc.gov/Recalls/2026/example-{n}",
                "Title": f"Example Co. Recalls Heaters Model {n} Due to Fire Hazard",
                "Products": [
                    {
                        "Name": f"Example space heater {n}",
                        "Model": f"EH-{n}, EH-{n}B",
                        "Type": "Heaters",
                    }
                ],
                "Manufacturers": [{"Name": f"Example Manufacturing {n % 500}"}],
                "ProductUPCs": [{"UPC": gtin(n)}],
                "Hazards": [{"Name": "The heater can overheat, posing a fire hazard."}],
                "Remedies": [{"Name": "Stop using and contact the firm for a refund."}],
                "Images": [{"URL": f"https://www.cpsc.gov/img/{n}.png"}],
            }
            out.write(("," if n else "") + json.dumps(record))
        out.write("]")


def safety_gate(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<weeklyReport>')
        out.write("<report_date>20/11/2026</report_date>")
        for n in range(count):
            out.write(
                "<notifications>"
                f"<caseNumber>SR/{n:05d}/26</caseNumber>"
                f"<reference>https://ec.europa.eu/safety-gate-alerts/x/{n}</reference>"
                "<category>Toys</category><product>Slime toy</product>"
                f"<brand>Brand {n % 700}</brand><name>Slime kit {n}</name>"
                f"<type_numberOfModel>SK-{n}; SK-{n}B</type_numberOfModel>"
                f"<batchNumber>L{n}</batchNumber><barcode>{gtin(n)}</barcode>"
                "<riskType>Chemical</riskType>"
                f"<danger>{escape('Too much boron (>300 mg/kg).')}</danger>"
                "<measures>Withdrawal of the product from the market</measures>"
                "<notifyingCountry>Germany</notifyingCountry>"
                f"<pictures><picture>https://example.org/{n}.jpg</picture></pictures>"
                "</notifications>"
            )
        out.write("</weeklyReport>")


def globalrecalls(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(
            [
                "Recall ID",
                "Date",
                "Jurisdiction",
                "Product name",
                "Product category",
                "Brand",
                "Model",
                "Barcode",
                "Batch number",
                "Hazard type",
                "Hazard",
                "Remedy",
                "URL",
                "Image",
            ]
        )
        for n in range(count):
            writer.writerow(
                [
                    f"GR-{n}",
                    "2026-09-30",
                    "Australia",
                    f"Baby walker {n}",
                    "Children",
                    f"Brand {n % 300}",
                    f"KF-{n}, KF-{n}S",
                    gtin(n),
                    "",
                    "Injury",
                    "Can fold during use.",
                    "Refund",
                    f"https://example.org/{n}",
                    "",
                ]
            )


KCA_HEADER = [
    "관리번호",
    "등록일",
    "제품명(국문)",
    "제품명(영문)",
    "제품명(중문)",
    "브랜드",
    "모델명",
    "바코드",
    "품목",
    "위해내용",
    "조치내용",
    "URL",
]


def kca_rows(count: int) -> list[list[str]]:
    return [
        [
            f"KCA-{n}",
            "2026-11-20",
            f"자석 블록 장난감 {n}",
            f"Magnetic blocks {n}",
            f"磁力积木 {n}",
            f"Brand{n % 400}",
            f"MB-{n}; MB-{n}X",
            gtin(n),
            "완구",
            "자석을 삼키면 장 손상 위험",
            "판매차단",
            "",
        ]
        for n in range(count)
    ]


def kca(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(KCA_HEADER)
        writer.writerows(kca_rows(count))


def _col(index: int) -> str:
    return chr(65 + index)


def xlsx(path: Path, count: int) -> None:
    main_ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel_ns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{main_ns}" xmlns:r="{rel_ns}"><sheets>'
            '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        book.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            'relationships"><Relationship Id="rId1" Target="worksheets/sheet1.xml"'
            ' Type="worksheet"/></Relationships>',
        )
        with book.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(f'<worksheet xmlns="{main_ns}"><sheetData>'.encode())
            for r, row in enumerate([KCA_HEADER, *kca_rows(count)], start=1):
                cells = "".join(
                    f'<c r="{_col(c)}{r}" t="inlineStr"><is><t>{escape(v)}</t></is></c>'
                    for c, v in enumerate(row)
                )
                sheet.write(f'<row r="{r}">{cells}</row>'.encode())
            sheet.write(b"</sheetData></worksheet>")


def best(read: Callable[[], int], repeat: int) -> tuple[float, float, int]:
    """The best wall-clock and CPU seconds of ``repeat`` reads (CPU time is
    this process's alone: on a machine others load, it is the steadier one)."""
    walls, cpus, count = [], [], 0
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        count = read()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus), count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cli", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        files: list[tuple[str, Path, str | None]] = []
        for name, write, suffix in (
            ("us-cpsc", cpsc, "json"),
            ("eu-safety-gate", safety_gate, "xml"),
            ("oecd-globalrecalls", globalrecalls, "csv"),
            ("kr-kca-overseas", kca, "csv"),
            ("xlsx (kr-kca-overseas mapping)", xlsx, "xlsx"),
        ):
            path = base / f"{name.split()[0]}.{suffix}"
            write(path, args.records)
            files.append((name, path, None))  # each recognised by its mapping
        load = os.getloadavg()[0]
        print(
            f"{args.records:,} records per file, best of {args.repeat}; "
            f"{os.cpu_count()} CPUs, load average {load:.1f}"
        )
        for name, path, mapping in files:
            wall, cpu, count = best(
                lambda p=path, m=mapping: sum(1 for _ in read_hazards(p, m)),
                args.repeat,
            )
            size = path.stat().st_size / 1e6
            print(
                f"  {name:32} {size:5.1f} MB  {count:,} records: {wall:5.2f} s wall"
                f" ({count / wall:7,.0f}/s), {cpu:5.2f} s CPU ({count / cpu:7,.0f}/s)"
            )
        if args.cli:
            env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
            for name, path, mapping in files:
                argv = [
                    sys.executable,
                    "-m",
                    "privwatch",
                    "products",
                    "hazards",
                    str(path),
                    "-f",
                    "json",
                ]
                argv += ["--mapping", mapping] if mapping else []
                start = time.perf_counter()
                subprocess.run(
                    argv,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    check=True,
                )
                seconds = time.perf_counter() - start
                print(f"  cli {name:28} {seconds:5.2f} s end to end (-f json)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
