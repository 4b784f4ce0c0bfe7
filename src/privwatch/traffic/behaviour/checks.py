"""The behaviour checks, each a fact with its evidence: the scan's flows and
the HAR's requests (index, URL, time) against the page record's events.

- keylogging: the persona's values sent after they were typed and before the
  first submit (or with no submit); to the site itself reported apart, weaker;
- session replay: a known recorder's script or upload host, and request bodies
  that are a recorded page by their structure (``dom``);
- fingerprinting: canvas, WebGL and audio calls per script (thresholds in
  ``data/behaviour.yaml``);
- third-party cookies: Set-Cookie on third-party responses and the record's
  third-party cookies;
- consent: requests carrying data to advertising organisations after "reject
  all" (the reject run), and before any consent (the "none" run).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict
from urllib.parse import urlsplit

from privwatch.attribution import Registry, registrable_domain
from privwatch.models import Evidence, Fact
from privwatch.traffic.behaviour.dom import Limits, judge
from privwatch.yamlfile import packaged

if TYPE_CHECKING:
    from privwatch.traffic.behaviour.record import Event, PageRecord
    from privwatch.traffic.har import Entry
    from privwatch.traffic.scan import Flow, ScanResult

SCHEMA = "privwatch.behaviour/1"
#: the checks, in the order they are reported
CHECKS = (
    "keylogging",
    "keylogging_first_party",
    "session_replay",
    "dom_upload",
    "fingerprinting",
    "third_party_cookie",
    "after_reject",
    "before_consent",
)


class _Data(TypedDict):
    session_replay: dict[str, Any]
    fingerprinting: dict[str, Any]
    advertising: dict[str, Any]


def data() -> _Data:
    return packaged("privwatch.traffic.behaviour", "data/behaviour.yaml", _Data)


@dataclass
class Behaviour:
    """What the checks found (``items``, each a dict with ``check`` and
    ``certainty``), and what they were read from."""

    record: dict[str, Any]
    items: list[dict[str, Any]] = field(default_factory=list)

    def of(self, check: str) -> list[dict[str, Any]]:
        return [i for i in self.items if i["check"] == check]

    def facts(self) -> list[Fact]:
        """One ``behaviour`` fact per item for the rule packs (docs/facts.md):
        after "reject all" whether a basis other than consent applies is for a
        person (``review: consent_basis``)."""
        out = []
        for item in self.items:
            attrs: dict[str, Any] = {
                "check": item["check"],
                "certainty": item["certainty"],
                "organization": item.get("organization"),
                "host": item.get("host") or None,
                "party": item.get("party") or "third",
            }
            if item["check"] == "after_reject":
                attrs["review"] = "consent_basis"
            index = item.get("entry_index")
            evidence = (
                (Evidence(-1, -1, "", None, entry_index=index, host=item.get("host")),)
                if index is not None
                else ()
            )
            who = item.get("organization") or item.get("host") or item.get("script")
            value = f"{item['check']} → {who}"
            out.append(Fact("behaviour", value, tuple(sorted(attrs.items())), evidence))
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "record": dict(self.record),
            "counts": {c: len(self.of(c)) for c in CHECKS},
            "items": [dict(i) for i in self.items],
        }


def when(text: str | None) -> datetime | None:
    """A HAR or record time as an aware datetime (naive read as UTC)."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds") if moment else None


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def run_checks(
    result: ScanResult, record: PageRecord, har: Path, registry: Registry
) -> Behaviour:
    """Every check over the scan of ``har`` and its page ``record``."""
    from privwatch.traffic.har import read_entries

    entries = {e.index: e for e in _light(read_entries(har))}
    behaviour = Behaviour(
        {
            "path": record.path,
            "sha256": record.sha256,
            "url": record.url,
            "consent_run": record.consent_run,
            # the run the consent checks judged it as (a single run: by its
            # consent events); null when neither applies
            "consent_as": consent_as(record),
            "har": record.har,
            "har_sha256": record.har_sha256,
            "events": len(record.events),
        }
    )
    by_entry: dict[int, list[Flow]] = {}
    for flow in result.flows:
        by_entry.setdefault(flow.entry_index, []).append(flow)
    behaviour.items += keylogging(result, record, entries)
    behaviour.items += session_replay(result, entries)
    behaviour.items += fingerprinting(record, result.site, registry)
    behaviour.items += cookies(result, record, entries, registry)
    behaviour.items += consent(result, record, entries, by_entry, registry)
    return behaviour


@dataclass(frozen=True)
class _Request:
    """What the checks need of an entry (bodies only while judged)."""

    index: int
    url: str
    host: str
    started: datetime | None
    sends: bool  # cookies, parameters, a body or frames: data, not a bare fetch
    set_cookies: tuple[str, ...]
    dom: Any  # the DOM upload judged in it, or None
    #: when each WebSocket frame the page sent left (its index -> time)
    frames: dict[int, datetime] = field(default_factory=dict)
    #: the script that started it (Chrome's ``_initiator``), else ""
    script: str = ""


def _light(entries: Any) -> list[_Request]:
    settings = dict(data()["session_replay"]["dom_upload"])
    settings["html_tags"] = frozenset(settings.get("html_tags") or ())
    limits = Limits(**settings)
    out = []
    for entry in entries:
        split = urlsplit(entry.url)
        out.append(
            _Request(
                entry.index,
                _shown(split),
                (split.hostname or "").lower(),
                when(entry.started),
                bool(
                    entry.cookies
                    or entry.header("cookie")
                    or split.query
                    or entry.query
                    or entry.body
                    or entry.params
                    or entry.frames
                ),
                entry.set_cookies,
                _dom(entry, limits),
                {
                    f.index: datetime.fromtimestamp(f.time, UTC)
                    for f in entry.frames
                    if f.time is not None
                },
                _shown(urlsplit(entry.initiator)) if entry.initiator else "",
            )
        )
    return out


def _shown(split: Any) -> str:
    """A request's URL as evidence: scheme, host and path. Its query may hold
    the persona's values in clear (the report masks them elsewhere); the
    request's index leads to the whole of it in the HAR."""
    return f"{split.scheme}://{split.netloc}{split.path}"


def _dom(entry: Entry, limits: Limits) -> Any:
    """The recorded page a body or sent frame carries (decoded as the scan
    decodes them), with where: (location, judgement)."""
    if not entry.body and not entry.frames:
        return None
    from privwatch.traffic.decode import json_value
    from privwatch.traffic.fields import request_fields

    for item in request_fields(entry):
        if item.location not in ("body", "websocket") or item.name:
            continue
        text = item.text.strip()
        if text[:1] not in ("{", "["):
            continue
        parsed = json_value(text)
        found = judge(parsed, limits) if parsed is not None else None
        if found is not None:
            return (item.location, item.decoding, found)
    return None


def _party(result: ScanResult, host: str) -> str:
    return "first" if host in result.first_party else "third"


# --- keylogging ---------------------------------------------------------------


def keylogging(
    result: ScanResult, record: PageRecord, entries: dict[int, _Request]
) -> list[dict[str, Any]]:
    """Persona values sent after being typed and before the first submit."""
    inputs = record.of_kind("input")
    submits = record.of_kind("submit")
    first_submit = _aware(submits[0].t) if submits else None
    out: dict[tuple[int, str], dict[str, Any]] = {}
    flows_kept: dict[tuple[int, str], Flow] = {}
    for flow in result.flows:
        if flow.source != "persona":
            continue
        request = entries.get(flow.entry_index)
        if request is None:
            continue
        frame, sent = _sent(flow, request)
        if sent is None:
            continue
        if first_submit is not None and sent >= first_submit:
            continue
        typed = [
            e for e in inputs if e.persona_key == flow.data_type and _aware(e.t) <= sent
        ]
        if not typed:
            continue  # sent before it was typed: not what was typed
        key = (flow.entry_index, flow.data_type)
        if key in out and _rank(flows_kept[key]) >= _rank(flow):
            continue
        flows_kept[key] = flow
        event = typed[-1]
        first = flow.party == "first" and not flow.cloaked
        out[key] = {
            "check": "keylogging_first_party" if first else "keylogging",
            "certainty": "review" if first else "certain",
            "entry_index": flow.entry_index,
            "url": request.url,
            "script": request.script or None,
            "host": flow.host,
            "organization": flow.organization,
            "party": flow.party,
            "persona_key": flow.data_type,
            "encoding": flow.encoding,
            "location": flow.location,
            "name": flow.name,
            "t": iso(sent),
            "frame": frame,
            "input_field": event.field,
            "input_t": iso(_aware(event.t)),
            "submit_t": iso(first_submit),
        }
    return sorted(out.values(), key=lambda i: (i["check"], i["entry_index"]))


_FRAME = re.compile(r"websocket sent frame (\d+)")


def _sent(flow: Flow, request: _Request) -> tuple[int | None, datetime | None]:
    """When the value left: its WebSocket frame's time (a socket opened
    before the typing carries what is typed later), else the request's start."""
    found = _FRAME.match(flow.via) if flow.location == "websocket" else None
    if found is not None:
        index = int(found.group(1))
        return index, request.frames.get(index, request.started)
    return None, request.started


def _rank(flow: Flow) -> tuple[float, bool, int]:
    """Of one value's flows in a request, the one to show: the surest, then
    the one naming its parameter, then the shortest way in."""
    return (flow.confidence, bool(flow.name), -len(flow.via))


# --- session replay -------------------------------------------------------------


def _host_matches(pattern: str, host: str) -> bool:
    if pattern.startswith("."):
        return host == pattern[1:] or host.endswith(pattern)
    return host == pattern


def _vendor(host: str, url: str) -> tuple[dict[str, Any], str] | None:
    for vendor in data()["session_replay"]["vendors"]:
        if any(_host_matches(p, host) for p in vendor.get("script") or []):
            return vendor, "script"
        if any(_host_matches(p, host) for p in vendor.get("collect") or []):
            return vendor, "collect"
        for rule in vendor.get("paths") or []:
            if _host_matches(rule["host"], host) and rule["contains"] in url:
                return vendor, "collect"
    return None


def session_replay(
    result: ScanResult, entries: dict[int, _Request]
) -> list[dict[str, Any]]:
    """Known recorders' scripts and upload hosts, once per (vendor, role,
    host), and every request whose body is a recorded page."""
    out: list[dict[str, Any]] = []
    seen: dict[tuple[str, str, str], dict[str, Any]] = {}
    for request in entries.values():
        found = _vendor(request.host, request.url)
        if found is not None:
            vendor, role = found
            role = "collect" if role == "collect" and request.sends else role
            if role == "collect" and not request.sends:
                role = "contact"  # a fetch from an upload host that sent nothing
            key = (vendor["id"], role, request.host)
            if key in seen:
                seen[key]["requests"] += 1
            else:
                seen[key] = {
                    "check": "session_replay",
                    "certainty": "certain" if role != "contact" else "review",
                    "vendor": vendor["name"],
                    "vendor_id": vendor["id"],
                    "role": role,
                    "entry_index": request.index,
                    "url": request.url,
                    "script": request.script or None,
                    "host": request.host,
                    "organization": result.hosts.get(request.host),
                    "party": _party(result, request.host),
                    "t": iso(request.started),
                    "requests": 1,
                }
                out.append(seen[key])
        if request.dom is not None:
            location, decoding, dom = request.dom
            out.append(
                {
                    "check": "dom_upload",
                    "certainty": "certain",
                    "entry_index": request.index,
                    "url": request.url,
                    "script": request.script or None,
                    "host": request.host,
                    "organization": result.hosts.get(request.host),
                    "party": _party(result, request.host),
                    "t": iso(request.started),
                    "location": location,
                    "decoding": decoding,
                    "shape": dom.shape,
                    "events": dom.events,
                    "nodes": dom.nodes,
                    "depth": dom.depth,
                    "mutations": dom.mutations,
                    "vendor": found[0]["name"] if found else None,
                }
            )
    return out


# --- fingerprinting ----------------------------------------------------------------


def _calls(events: list[Event], group: dict[str, Any]) -> int:
    contains = group.get("contains")
    return sum(
        e.count
        for e in events
        if any(e.api == a or e.api.startswith(a) for a in group["apis"])
        and (not contains or contains.lower() in e.api.lower())
    )


def fingerprinting(
    record: PageRecord, site: str, registry: Registry
) -> list[dict[str, Any]]:
    """Per script and technique: certain when every ``certain`` group was
    called, review when only the ``review`` groups were."""
    by_script: dict[str, list[Event]] = {}
    for event in record.of_kind("api_call"):
        by_script.setdefault(event.script, []).append(event)
    site_org = registry.lookup(site)
    out = []
    for script, events in sorted(by_script.items()):
        host = (urlsplit(script).hostname or "").lower()
        for technique, rule in data()["fingerprinting"].items():
            if all(_calls(events, g) >= g.get("min", 1) for g in rule["certain"]):
                certainty = "certain"
            elif all(_calls(events, g) >= g.get("min", 1) for g in rule["review"]):
                certainty = "review"
            else:
                continue
            groups = rule["certain"] + rule["review"]
            used = [e for e in events if any(_calls([e], g) for g in groups)]
            calls: dict[str, int] = {}
            for e in used:
                calls[e.api] = calls.get(e.api, 0) + e.count
            org = registry.lookup(host) if host else None
            first = _same_site(host, site, org, site_org)
            out.append(
                {
                    "check": "fingerprinting",
                    "certainty": certainty,
                    "technique": technique,
                    "script": script,
                    "host": host,
                    "organization": org.name if org else None,
                    "party": "first" if first else "third",
                    "calls": dict(sorted(calls.items())),
                    "t": iso(min(_aware(e.t) for e in used)),
                    "entry_index": None,
                }
            )
    return out


def _same_site(host: str, site: str, org: Any, site_org: Any) -> bool:
    if not host:
        return True  # an inline script: the page's own
    if org is not None and site_org is not None:
        return bool(org.root == site_org.root)
    return registrable_domain(host) == registrable_domain(site)


# --- third-party cookies ------------------------------------------------------------


def _cookie_name(header: str) -> tuple[str, str | None]:
    """A Set-Cookie value's name and Domain attribute."""
    parts = [p.strip() for p in header.split(";")]
    name = parts[0].split("=", 1)[0].strip() if parts else ""
    domain = None
    for part in parts[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "domain" and value.strip():
            domain = value.strip().lstrip(".").lower()
    return name, domain


def cookies(
    result: ScanResult,
    record: PageRecord,
    entries: dict[int, _Request],
    registry: Registry,
) -> list[dict[str, Any]]:
    """Cookies set by third-party responses, then the record's third-party
    cookies not already seen, once per (domain, name)."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for request in entries.values():
        if not request.set_cookies or _party(result, request.host) == "first":
            continue
        for header in request.set_cookies:
            name, domain = _cookie_name(header)
            domain = domain or request.host
            key = (registrable_domain(domain), name)
            if name and key not in out:
                org = registry.lookup(domain)
                out[key] = {
                    "check": "third_party_cookie",
                    "certainty": "certain",
                    "name": name,
                    "domain": domain,
                    "host": request.host,
                    "organization": org.name if org else None,
                    "entry_index": request.index,
                    "url": request.url,
                    "script": request.script or None,
                    "t": iso(request.started),
                    "source": "set-cookie",
                    "expires": None,
                }
    site = registrable_domain(result.site)
    for cookie in record.cookies:
        domain = cookie.domain.lstrip(".").lower()
        key = (registrable_domain(domain), cookie.name)
        if not cookie.third_party or key in out or registrable_domain(domain) == site:
            continue
        org = registry.lookup(domain)
        out[key] = {
            "check": "third_party_cookie",
            "certainty": "certain",
            "name": cookie.name,
            "domain": domain,
            "host": domain,
            "organization": org.name if org else None,
            "entry_index": None,
            "url": None,
            "t": None,
            "source": "record",
            "expires": cookie.expires,
        }
    return sorted(out.values(), key=lambda i: (i["domain"], i["name"]))


# --- consent -------------------------------------------------------------------------


def advertising(host: str, url: str, registry: Registry) -> Any:
    """The advertising organisation a request goes to (by registry category
    or a listed advertising host), else None; True when listed but unnamed."""
    rules = data()["advertising"]
    org = registry.lookup(host) if host else None
    if org is not None and org.category in rules["categories"]:
        return org
    for rule in rules["hosts"]:
        if _host_matches(rule["host"], host) and rule.get("contains", "") in url:
            return org or True
    return None


def consent_as(record: PageRecord) -> str | None:
    """The consent run ``record`` is judged as: its own, else (one run with no
    consent runs: ``audit --record``, ``--no-consent-runs``, a journey file)
    what its consent events say was done, a banner left unanswered being the
    "none" run's state; None without a banner."""
    if record.consent_run is not None:
        return record.consent_run
    consents = record.of_kind("consent")
    actions = {e.action for e in consents}
    run: str | None = next((a for a in ("reject", "accept") if a in actions), None)
    if run is None and any(e.banner for e in consents):
        run = "none"
    return run


def consent(
    result: ScanResult,
    record: PageRecord,
    entries: dict[int, _Request],
    by_entry: dict[int, list[Flow]],
    registry: Registry,
) -> list[dict[str, Any]]:
    """In the reject run, requests carrying data to advertising organisations
    after "reject all" (the user refused); in the "none" run, those before any
    consent, for a person to weigh."""
    consents = record.of_kind("consent")
    run = consent_as(record)
    if run == "reject":
        rejects = [e for e in consents if e.action == "reject"]
        if not rejects:
            return []
        start, end, check = _aware(rejects[0].t), None, "after_reject"
        event: Event | None = rejects[0]
    elif run == "none":
        chosen = [e for e in consents if e.action in ("reject", "accept")]
        start, end, check = (
            None,
            (_aware(chosen[0].t) if chosen else None),
            "before_consent",
        )
        event = None
    else:
        return []
    out = []
    for request in sorted(entries.values(), key=lambda r: r.index):
        moment = request.started
        if moment is None or not request.sends:
            continue
        if (start is not None and moment <= start) or (
            end is not None and moment >= end
        ):
            continue
        org = advertising(request.host, request.url, registry)
        if org is None:
            continue
        flows = by_entry.get(request.index, [])
        out.append(
            {
                "check": check,
                "certainty": "certain",
                "entry_index": request.index,
                "url": request.url,
                "script": request.script or None,
                "host": request.host,
                "organization": org.name
                if org is not True
                else result.hosts.get(request.host),
                "party": _party(result, request.host),
                "t": iso(moment),
                "consent_t": iso(_aware(event.t)) if event else None,
                "button_text": event.button_text if event else None,
                "data_types": sorted({f.data_type for f in flows}),
            }
        )
    return out
