"""Detector findings on real traffic with no persona: every one is a false
positive when no personal data was planted (issue 19, deliver 6).

    python bench/false_positives.py [HAR ...]      # default: ../shared/traffic/*.har

For each HAR: the flows ``privwatch scan`` reports from its detectors (no
persona), per detector, and the candidates under the scan's threshold
(``MIN_SCORE``) that a lower threshold would report, per detector, with the
site-contact note if any. The site is taken from the HAR's file name
(``cnn-chrome.har`` -> cnn.com).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "traffic"


def _site(path: Path) -> str:
    stem = path.stem.split("-")[0]
    return stem if "." in stem else f"{stem}.com"


def _candidates(path: Path, detectors: object) -> Counter[str]:
    """Detections at any score above 0 and under MIN_SCORE, per entity."""
    from privwatch.traffic.fields import request_fields
    from privwatch.traffic.har import read_entries
    from privwatch.traffic.scan import MIN_SCORE

    below: Counter[str] = Counter()
    for entry in read_entries(path):
        seen = set()
        for item in request_fields(entry):
            label = f"{item.name}: " if item.name else ""
            for d in detectors.detect(label + item.text):  # type: ignore[attr-defined]
                key = (d.entity, item.location, item.name)
                if d.score < MIN_SCORE and d.start >= len(label) and key not in seen:
                    seen.add(key)
                    below[d.entity] += 1
    return below


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("hars", nargs="*", type=Path)
    args = parser.parse_args()
    hars = args.hars or sorted(SHARED.glob("*.har"))
    from privwatch.attribution import Registry
    from privwatch.detectors import DetectorRegistry
    from privwatch.errors import InputError
    from privwatch.traffic.scan import scan_har

    detectors, registry = DetectorRegistry.builtin(), Registry.builtin()
    total: Counter[str] = Counter()
    total_below: Counter[str] = Counter()
    print(f"{'HAR':<22} {'entries':>7}  reported (per detector)  |  under threshold")
    for path in hars:
        try:
            result = scan_har(
                path, site=_site(path), detectors=detectors, registry=registry
            )
        except InputError as exc:
            print(f"{path.name:<22} not scanned: {exc}", file=sys.stderr)
            continue
        found = Counter(
            f.detail.split(":")[0] for f in result.flows if f.source == "detector"
        )
        below = _candidates(path, detectors)
        total += found
        total_below += below
        notes = [p for k, p in result.warnings if k == "scan.site_contacts"]
        extra = f"  site contacts left out: {notes[0]['count']}" if notes else ""
        print(
            f"{path.name:<22} {result.entries:>7}  {dict(found) or '-'!s:<24} |  "
            f"{dict(below) or '-'}{extra}"
        )
    print(
        f"{'total':<22} {'':>7}  {dict(total) or '-'!s:<24} |  {dict(total_below) or '-'}"
    )
    print(
        f"reported: {sum(total.values())}, under threshold: {sum(total_below.values())}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
