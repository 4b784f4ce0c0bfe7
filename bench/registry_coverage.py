"""How much of a set of recorded sessions the organisation registry attributes.

    python bench/registry_coverage.py                      # every HAR in ../shared/traffic
    python bench/registry_coverage.py a.har DIR ...        # these HARs (a DIR: its *.har)
    python bench/registry_coverage.py --registry other.yaml  # another registry instead
    python bench/registry_coverage.py --json               # the same figures as JSON

For every HAR: the distinct request hosts, reduced to registrable domains
(eTLD+1 by tldextract's bundled Public Suffix List, as privwatch attributes),
and how many of each the registry attributes to an organisation; then the
same over all files together, and the unattributed domains with their hosts.
A host counts as attributed when ``Registry.lookup`` finds an organisation;
a domain when any of its hosts is attributed (they are by construction).
Bad input (a file that is not a HAR, an unreadable registry): one line on
stderr, exit 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from privwatch.attribution import Registry, registrable_domain  # noqa: E402
from privwatch.errors import PrivwatchError  # noqa: E402
from privwatch.traffic.har import read_entries  # noqa: E402

SHARED = ROOT.parent / "shared" / "traffic"


@dataclass
class Coverage:
    """Hosts of one or more HARs and the organisation each is attributed to."""

    hosts: dict[str, str | None] = field(default_factory=dict)  # host -> org id

    def domains(self) -> dict[str, str | None]:
        """Registrable domain -> an organisation id of its hosts (None if none)."""
        out: dict[str, str | None] = {}
        for host, org in sorted(self.hosts.items()):
            domain = registrable_domain(host)
            out[domain] = out.get(domain) or org
        return out

    def figures(self) -> dict[str, int]:
        domains = self.domains()
        return {
            "hosts": len(self.hosts),
            "hosts_attributed": sum(org is not None for org in self.hosts.values()),
            "domains": len(domains),
            "domains_attributed": sum(org is not None for org in domains.values()),
        }

    def unattributed(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for host, org in sorted(self.hosts.items()):
            if org is None:
                out.setdefault(registrable_domain(host), []).append(host)
        return dict(sorted(out.items()))


def hosts_of(path: Path) -> set[str]:
    """The distinct request hosts of the HAR at ``path`` (lower case)."""
    hosts: set[str] = set()
    for entry in read_entries(path):
        try:
            host = urlsplit(entry.url).hostname
        except ValueError:  # a malformed URL (bad IPv6 literal, port)
            continue
        if host:
            hosts.add(host.lower().rstrip("."))
    return hosts


def coverage(paths: list[Path], registry: Registry) -> dict[str, Coverage]:
    """Per file, and under "total" all files together."""
    per_file: dict[str, Coverage] = {}
    total = Coverage()
    for path in paths:
        cov = Coverage()
        for host in sorted(hosts_of(path)):
            org = registry.lookup(host)
            cov.hosts[host] = org.id if org else None
        per_file[path.name] = cov
        total.hosts.update(cov.hosts)
    per_file["total"] = total
    return per_file


class BadInput(Exception):
    """A path given that holds no HAR."""


def har_paths(arguments: list[str]) -> list[Path]:
    if not arguments:
        arguments = [str(SHARED)]
    paths: list[Path] = []
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            paths += sorted(path.glob("*.har"))
        elif path.exists():
            paths.append(path)
        else:
            raise BadInput(f"{argument}: no such file or directory")
    if not paths:
        raise BadInput(f"no .har file in {' '.join(arguments)}")
    return paths


def _fail(line: str) -> int:
    print(f"registry_coverage: {line}", file=sys.stderr)
    return 2


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "    -"


def table(result: dict[str, Coverage], registry_name: str) -> str:
    lines = [
        f"registry: {registry_name}",
        f"{'file':<28} {'hosts':>13} {'':>6} {'domains':>13} {'':>6}",
    ]
    for name, cov in result.items():
        f = cov.figures()
        lines.append(
            f"{name:<28} {f['hosts_attributed']:>5} of {f['hosts']:<5}"
            f" {_percent(f['hosts_attributed'], f['hosts'])}"
            f" {f['domains_attributed']:>5} of {f['domains']:<5}"
            f" {_percent(f['domains_attributed'], f['domains'])}"
        )
    missing = result["total"].unattributed()
    lines.append(f"\nunattributed domains ({len(missing)}):")
    lines += [f"  {domain}: {' '.join(hosts)}" for domain, hosts in missing.items()]
    return "\n".join(lines)


def as_json(result: dict[str, Coverage], registry_name: str) -> dict[str, Any]:
    return {
        "registry": registry_name,
        "files": {
            name: {**cov.figures(), "unattributed": cov.unattributed()}
            for name, cov in result.items()
            if name != "total"
        },
        "total": {
            **result["total"].figures(),
            "unattributed": result["total"].unattributed(),
            "attributed": {h: o for h, o in result["total"].hosts.items() if o},
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("hars", nargs="*", help="HAR files or folders of them")
    parser.add_argument("--registry", type=Path, help="an organisations YAML file")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args(argv)
    try:
        if args.registry:
            registry, name = Registry.from_file(args.registry), str(args.registry)
        else:
            registry, name = Registry.builtin(), "built-in"
        paths = har_paths(args.hars)
        result = coverage(paths, registry)
    except PrivwatchError as exc:
        return _fail(exc.render("en"))
    except BadInput as exc:
        return _fail(str(exc))
    if args.json:
        print(json.dumps(as_json(result, name), indent=2, ensure_ascii=False))
    else:
        print(table(result, name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
