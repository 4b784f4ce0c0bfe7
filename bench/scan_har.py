"""Scan throughput on a large generated HAR, against json.load and grep.

    python bench/scan_har.py [--mb 200] [--containers] [--small] [--first-party] [--keep]
    python bench/scan_har.py --long-string 100   # one 100 MB request body

Writes a HAR of about --mb megabytes (requests carrying planted persona values
among ordinary traffic, responses with bulky bodies as real sessions have),
then measures, each in its own process so peak memory is its own:
``json.load`` of the file, ``privwatch``'s scan with the persona, and
``grep -c -F -f`` of the persona's variant strings. Prints MB/s, the ratios
and peak resident memory. ``--containers`` plants tests/hars.py's container
fixtures too (JWTs, WebSocket frames, zlib and deflate bodies, base64 JSON
values, multipart), so the decoders' own cost shows. ``--small`` leaves out
the bulky response bodies: many requests, so many flows, per megabyte (memory
follows flows). ``--long-string MB`` writes instead a HAR whose one request
sends a body of MB megabytes with an e-mail at its end, among a few planted
requests, then a response of the same size: time must grow linearly with it.
``--first-party`` serves the ordinary traffic from the site's own names, a
quarter of it on paths that look like trackers' (/b/ss/…, /api/collect, /tr),
and plants tests/hars.py's cloaked-tracker fixtures: every request then goes
through the check for a tracker behind the site's name.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.hars import (  # noqa: E402
    PERSONA,
    cloaked_entries,
    container_entries,
    entry,
    planted_entries,
)

MEASURE = {
    "json.load": "import json,sys; json.load(open(sys.argv[1], 'rb'))",
    "privwatch scan": (
        "import sys; from pathlib import Path;"
        "from privwatch.attribution import Registry; from privwatch.detectors import DetectorRegistry;"
        "from privwatch.traffic.persona import Persona; from privwatch.traffic.scan import scan_har;"
        "import yaml; p = Persona.model_validate(yaml.safe_load(open(sys.argv[2])));"
        "r = scan_har(Path(sys.argv[1]), site='shop.example.kr', detectors=DetectorRegistry.builtin(),"
        " registry=Registry.builtin(), persona=p); print(len(r.flows), file=sys.stderr)"
    ),
}
# the peak of this process alone: ru_maxrss of a child starts at its parent's
# resident size (the bench holding a generated HAR); VmHWM is the new process's
REPORT = (
    "; import resource, re; status = open('/proc/self/status').read()"
    " if sys.platform == 'linux' else '';"
    " hwm = re.search(r'VmHWM:\\s*(\\d+)', status);"
    " print(hwm.group(1) if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)"
)


def generate_long(path: Path, megabytes: int) -> int:
    """A session whose one request sends ``megabytes`` MB in its body."""
    body = "lorem ipsum dolor sit amet " * (megabytes * 1024 * 1024 // 27)
    long = entry(
        "https://collect.tracker.example/replay",
        method="POST",
        body=body + " " + PERSONA["email"],
        mime="text/plain",
    )
    long["response"] = dict(long["response"], content={"text": body})
    entries = [*planted_entries()[:5], long, *planted_entries()[5:]]
    with path.open("w", encoding="utf-8") as out:
        json.dump({"log": {"version": "1.2", "entries": entries}}, out)
    return len(entries)


#: first-party paths of the --first-party traffic: assets, and look-alikes of
#: trackers' paths that pass the cheap marker test but are no tracker's protocol
FIRST_PARTY = (
    "asset/{n}.js?v={v}",
    "asset/{n}.css?v={v}",
    "b/ss/img/{n}.png?v={v}",
    "api/collect?page={n}&v={v}",
    "tr?lang=ko&n={n}",
    "asset/{n}.woff2",
    "product/{n}?ref={v}",
    "search?q={n}",
)


def _filler_url(rng: random.Random, first_party: bool) -> str:
    n, v = rng.randrange(10**9), rng.randrange(10**6)
    if first_party:
        path = FIRST_PARTY[rng.randrange(len(FIRST_PARTY))].format(n=n, v=v)
        return f"https://www.shop.example.kr/{path}"
    return f"https://cdn{rng.randrange(50)}.example.com/asset/{n}.js?v={v}"


def generate(
    path: Path,
    megabytes: int,
    containers: bool = False,
    small: bool = False,
    first_party: bool = False,
) -> int:
    rng = random.Random(7)
    planted = planted_entries() + (container_entries() if containers else [])
    planted += cloaked_entries() if first_party else []
    filler = "lorem ipsum dolor sit amet " * 2000  # ~54 KB response bodies
    target = megabytes * 1024 * 1024
    count = 0
    with path.open("w", encoding="utf-8") as out:
        out.write(
            '{"log": {"version": "1.2", "creator": {"name": "bench", "version": "1"}, "entries": ['
        )
        while out.tell() < target:
            if rng.random() < 0.3:
                item = planted[rng.randrange(len(planted))]
            else:
                item = entry(
                    _filler_url(rng, first_party),
                    headers=[
                        ("User-Agent", "Mozilla/5.0 bench"),
                        ("Referer", "https://www.shop.example.kr/"),
                    ],
                )
            item = dict(item)
            if small:
                out.write(("," if count else "") + json.dumps(item, ensure_ascii=False))
                count += 1
                continue
            item["response"] = dict(
                item["response"],
                content={
                    "size": len(filler),
                    "mimeType": "text/javascript",
                    "text": filler,
                },
            )
            out.write(("," if count else "") + json.dumps(item, ensure_ascii=False))
            count += 1
        out.write("]}}")
    return count


def run(code: str, *args: str) -> tuple[float, int, str]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code + REPORT, *args],
        capture_output=True,
        text=True,
        check=True,
    )
    elapsed = time.perf_counter() - start
    lines = done.stderr.strip().splitlines()
    return elapsed, int(lines[-1]), " ".join(lines[:-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=200)
    parser.add_argument("--containers", action="store_true")
    parser.add_argument("--small", action="store_true", help="no response bodies")
    parser.add_argument("--first-party", action="store_true")
    parser.add_argument("--long-string", type=int, metavar="MB")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    from privwatch.traffic.persona import Persona
    from privwatch.traffic.seeds import variants

    with tempfile.TemporaryDirectory() as folder:
        har = Path(folder) / "big.har"
        persona = Path(folder) / "persona.yaml"
        patterns = Path(folder) / "patterns.txt"
        import yaml

        persona.write_text(yaml.safe_dump(PERSONA, allow_unicode=True), "utf-8")
        values = Persona.model_validate(PERSONA).values()
        patterns.write_text(
            "\n".join(v for key, value in values for v in variants(key, value)) + "\n",
            "utf-8",
        )
        if args.long_string:
            entries = generate_long(har, args.long_string)
        else:
            entries = generate(
                har, args.mb, args.containers, args.small, args.first_party
            )
        size = har.stat().st_size / 1e6
        print(
            f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        )
        print(f"HAR: {size:.0f} MB, {entries} entries")
        results = {}
        for name, code in MEASURE.items():
            seconds, rss, said = run(code, str(har), str(persona))
            results[name] = seconds
            flows = f"  flows {said}" if said else ""
            print(
                f"{name:16} {seconds:7.2f} s  {size / seconds:7.1f} MB/s  peak RSS {rss / 1024:7.0f} MB{flows}"
            )
        start = time.perf_counter()
        subprocess.run(
            ["grep", "-c", "-F", "-f", str(patterns), str(har)],
            capture_output=True,
            check=False,
        )
        results["grep"] = time.perf_counter() - start
        print(
            f"{'grep -c -F -f':16} {results['grep']:7.2f} s  {size / results['grep']:7.1f} MB/s"
        )
        print(
            f"scan / json.load = {results['privwatch scan'] / results['json.load']:.2f}; "
            f"scan / grep = {results['privwatch scan'] / results['grep']:.2f}"
        )
        if args.keep:
            kept = ROOT / "big.har"
            har.replace(kept)
            print(f"kept {kept}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
