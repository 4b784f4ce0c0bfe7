"""Compare privwatch's detectors with Microsoft Presidio's analyzer on the same
request texts (Presidio is not a dependency: give the Python of a venv that
has presidio-analyzer installed).

    python -m venv /tmp/presidio && /tmp/presidio/bin/pip install presidio-analyzer
    python bench/presidio_compare.py --presidio-python /tmp/presidio/bin/python [--requests 2000]

Presidio's default set-up downloads a spaCy model; to stay offline this uses a
blank English spaCy pipeline saved to disk, so Presidio runs its pattern
recognizers (email, phone, credit card, IP, Korean RRN...) without NER. The
texts are the searchable fields (URL, query, headers, cookies, bodies) of the
requests in a generated session.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.hars import entry, planted_entries, write_har  # noqa: E402

PRESIDIO = r"""
import json, sys, time, spacy
from presidio_analyzer import AnalyzerEngine
from presidio_analyzer.nlp_engine import SpacyNlpEngine
texts = json.load(open(sys.argv[1]))
model = sys.argv[2]
spacy.blank("en").to_disk(model)
engine = SpacyNlpEngine(models=[{"lang_code": "en", "model_name": model}])
analyzer = AnalyzerEngine(nlp_engine=engine, supported_languages=["en"])
analyzer.analyze(text="warm up a@b.com", language="en")
start = time.perf_counter()
found = sum(len(analyzer.analyze(text=t, language="en")) for t in texts)
print(json.dumps({"seconds": time.perf_counter() - start, "found": found}))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presidio-python", required=True)
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args()
    from privwatch.detectors import DetectorRegistry
    from privwatch.traffic.fields import request_fields
    from privwatch.traffic.har import read_entries

    with tempfile.TemporaryDirectory() as folder:
        planted = planted_entries()
        items = [
            planted[i % len(planted)]
            if i % 3 == 0
            else entry(f"https://cdn{i % 40}.example.com/a.js?v={i}")
            for i in range(args.requests)
        ]
        har = write_har(Path(folder) / "s.har", items)
        texts = [f.text for e in read_entries(har) for f in request_fields(e)]
        corpus = Path(folder) / "texts.json"
        corpus.write_text(json.dumps(texts), "utf-8")
        registry = DetectorRegistry.builtin()
        start = time.perf_counter()
        ours = sum(len(registry.detect(t, min_score=0.35)) for t in texts)
        mine = time.perf_counter() - start
        done = subprocess.run(
            [
                args.presidio_python,
                "-c",
                PRESIDIO,
                str(corpus),
                str(Path(folder) / "blank_en"),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        theirs = json.loads(done.stdout.strip().splitlines()[-1])
    size = sum(len(t.encode()) for t in texts) / 1e6
    print(f"{len(texts)} texts, {size:.2f} MB")
    print(
        f"privwatch detectors: {mine:.2f} s ({size / mine:.2f} MB/s), {ours} detections"
    )
    print(
        f"Presidio analyzer:   {theirs['seconds']:.2f} s ({size / theirs['seconds']:.2f} MB/s), {theirs['found']} results"
    )
    print(f"Presidio / privwatch time: {theirs['seconds'] / mine:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
