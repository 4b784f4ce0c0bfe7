"""Flows of personal data as an inline SVG: data types, the organisations that
received them, and their countries, in three columns joined by lines whose
width follows the number of requests. Lines into a country other than the
users' are red; a dashed line leads to the country of the server where it
differs from the organisation's. Plain SVG, labels as text, nothing fetched."""

from __future__ import annotations

import math
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from privwatch.i18n import message
from privwatch.report.page import country_name, esc

WIDTH = 1000
TOP = 46  # below the column headings
GAP = 12
SLOT = 15  # vertical room per line at a node
MIN_NODE = 32
FONT = 13
COLUMNS = ((8, 200), (390, 300), (800, 192))  # (x, width) of each column
CROSS = "#c0392b"
HOME = "#7b8ba3"
UNKNOWN = "#8e7cc3"
COLOURS = {"cross": (CROSS, 0.7), "home": (HOME, 0.5), "unknown": (UNKNOWN, 0.55)}
RANK = {"home": 0, "unknown": 1, "cross": 2}


@dataclass(frozen=True, slots=True)
class ChartFlow:
    """One (data type, organisation, country) with the requests showing it;
    ``data`` and ``org`` are the labels shown, ``org_key`` tells organisations
    with the same label apart."""

    data: str
    org: str
    org_key: str
    party: str
    country: str | None
    server_country: str | None
    entries: tuple[int, ...]  # the requests showing it
    cross_border: bool


@dataclass
class _Node:
    key: str
    label: str
    column: int
    entries: set[int] = field(default_factory=set)
    kind: str = ""  # first, third, home, abroad, unknown
    ins: int = 0
    outs: int = 0
    y: float = 0.0
    height: float = MIN_NODE
    tooltip: str = ""


def _text_width(text: str) -> float:
    wide = sum(unicodedata.east_asian_width(c) in "WF" for c in text)
    return wide * FONT + (len(text) - wide) * FONT * 0.58


def _fit(text: str, room: float) -> str:
    """``text``, cut with an ellipsis to fit ``room`` pixels."""
    if _text_width(text) <= room:
        return text
    while text and _text_width(text + "…") > room:
        text = text[:-1]
    return text.rstrip() + "…"


def flow_chart(flows: list[ChartFlow], *, lang: str, user_country: str) -> str:
    """The chart as an ``<svg>`` element (empty string without flows)."""
    if not flows:
        return ""
    nodes: dict[str, _Node] = {}
    links: dict[tuple[str, str, str], tuple[set[int], list[str]]] = {}

    def node(key: str, label: str, column: int, kind: str = "") -> _Node:
        found = nodes.get(key)
        if found is None:
            found = nodes[key] = _Node(key, label, column, kind=kind)
        return found

    def link(a: _Node, b: _Node, flow: ChartFlow, state: str, style: str) -> None:
        entries, states = links.setdefault((a.key, b.key, style), (set(), ["home"]))
        entries.update(flow.entries)
        states[0] = max(states[0], state, key=RANK.__getitem__)

    def where(country: str | None) -> str:
        if not country:
            return "unknown"
        return "home" if country == user_country else "cross"

    def place(code: str | None) -> _Node:
        kind = "unknown" if not code else "home" if code == user_country else "abroad"
        label = country_name(code, lang)
        return node(f"c:{code or '?'}", label, 2, kind)

    for flow in flows:
        data = node(f"d:{flow.data}", flow.data, 0)
        org = node(f"o:{flow.org_key}", flow.org, 1, flow.party)
        country = place(flow.country)
        for item in (data, org, country):
            item.entries.update(flow.entries)
        if flow.cross_border:
            state = "cross"
        elif not flow.country and not flow.server_country:
            state = "unknown"
        else:
            state = "home"
        link(data, org, flow, state, "solid")
        link(org, country, flow, where(flow.country), "solid")
        if flow.server_country and flow.server_country != flow.country:
            server = place(flow.server_country)
            server.entries.update(flow.entries)
            link(org, server, flow, where(flow.server_country), "server")
    for a, b, _ in links:
        nodes[a].outs += 1
        nodes[b].ins += 1
    columns = _order(nodes, links, user_country)
    tallest = _place(columns)
    heaviest = max(len(entries) for entries, _ in links.values())
    legend, legend_height = _legend(TOP + tallest + 28, lang, user_country)
    total_height = TOP + tallest + 28 + legend_height
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {total_height:.0f}" '
        f'role="img" aria-labelledby="chart-title" font-size="{FONT}">',
        f'<title id="chart-title">{esc(message("html.chart.title", lang))}</title>',
    ]
    for (x, width), key in zip(
        COLUMNS,
        ("html.chart.data", "html.chart.org", "html.chart.country"),
        strict=True,
    ):
        parts.append(
            f'<text x="{x + 2}" y="22" font-weight="700" fill="#1f3a5f">'
            f"{esc(message(key, lang))}</text>"
            f'<line x1="{x}" x2="{x + width}" y1="30" y2="30" stroke="#1f3a5f" stroke-width="1.5"/>'
        )
    parts.extend(_links(nodes, links, heaviest, lang))
    parts.extend(_node(n, lang) for column in columns for n in column)
    parts.append(legend)
    parts.append("</svg>")
    return "".join(parts)


def _place(columns: list[list[_Node]]) -> float:
    """Size every node by its links and centre each column; the tallest
    column's height."""
    for column in columns:
        for item in column:
            item.height = max(MIN_NODE, SLOT * max(item.ins, item.outs) + 6)
    heights = [
        sum(n.height for n in column) + GAP * (len(column) - 1) for column in columns
    ]
    tallest = max(heights)
    for column, height in zip(columns, heights, strict=True):
        y = TOP + (tallest - height) / 2
        for item in column:
            item.y = y
            y += item.height + GAP
    return tallest


def _order(
    nodes: dict[str, _Node],
    links: dict[tuple[str, str, str], tuple[set[int], list[str]]],
    user_country: str,
) -> list[list[_Node]]:
    """Countries (the users' first, then by requests), organisations grouped by
    country, data types placed near the organisations they went to."""
    countries = sorted(
        (n for n in nodes.values() if n.column == 2),
        key=lambda n: (n.kind != "home", n.kind == "unknown", -len(n.entries), n.label),
    )
    rank = {n.key: i for i, n in enumerate(countries)}
    first_country: dict[str, int] = {}
    for a, b, style in links:
        if b in rank and style == "solid":
            first_country[a] = min(first_country.get(a, len(rank)), rank[b])
    orgs = sorted(
        (n for n in nodes.values() if n.column == 1),
        key=lambda n: (
            n.kind != "first",
            first_country.get(n.key, len(rank)),
            -len(n.entries),
            n.label,
        ),
    )
    position = {n.key: i for i, n in enumerate(orgs)}
    weights: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for (a, b, _), (entries, _) in links.items():
        if b in position:
            weights[a].append((position[b], len(entries)))

    def centre(n: _Node) -> float:
        pairs = weights.get(n.key, [])
        total = sum(w for _, w in pairs) or 1
        return sum(p * w for p, w in pairs) / total

    data = sorted(
        (n for n in nodes.values() if n.column == 0),
        key=lambda n: (centre(n), -len(n.entries), n.label),
    )
    return [data, orgs, countries]


def _anchor(item: _Node, side: str, index: int, count: int) -> tuple[float, float]:
    x, width = COLUMNS[item.column]
    y = item.y + 3 + (item.height - 6) * (index + 0.5) / max(count, 1)
    return (x + width if side == "out" else x), y


def _links(
    nodes: dict[str, _Node],
    links: dict[tuple[str, str, str], tuple[set[int], list[str]]],
    heaviest: int,
    lang: str,
) -> list[str]:
    outs: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    ins: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for key in links:
        outs[key[0]].append(key)
        ins[key[1]].append(key)
    for group in (*outs.values(), *ins.values()):
        group.sort(key=lambda k: (nodes[k[0]].y, nodes[k[1]].y, k[2]))
    parts = []
    # red lines last, so they are drawn over the others
    for key in sorted(links, key=lambda k: (RANK[links[k][1][0]], k)):
        a, b, style = key
        entries, (state,) = links[key]
        weight = len(entries)
        x1, y1 = _anchor(nodes[a], "out", outs[a].index(key), len(outs[a]))
        x2, y2 = _anchor(nodes[b], "in", ins[b].index(key), len(ins[b]))
        middle = (x1 + x2) / 2
        width = 2 + 9 * math.sqrt(weight / heaviest)
        dash = ' stroke-dasharray="7 5"' if style == "server" else ""
        tip = message(
            "html.chart.link_server" if style == "server" else "html.chart.link",
            lang,
            source=nodes[a].label,
            target=nodes[b].label,
            count=weight,
        )
        if state == "cross":
            tip += " · " + message("html.cross_border", lang)
        colour, opacity = COLOURS[state]
        parts.append(
            f'<path d="M{x1:.1f},{y1:.1f} C{middle:.1f},{y1:.1f} {middle:.1f},{y2:.1f} {x2:.1f},{y2:.1f}" '
            f'fill="none" stroke="{colour}" stroke-opacity="{opacity}" '
            f'stroke-width="{width:.1f}"{dash}><title>{esc(tip)}</title></path>'
        )
    return parts


NODE_STYLE = {
    # kind: (fill, stroke)
    "": ("#f5f7fa", "#9aa3b2"),
    "first": ("#eef2f7", "#1f3a5f"),
    "third": ("#ffffff", "#9aa3b2"),
    "home": ("#e8f5ee", "#1e7a46"),
    "abroad": ("#fdecea", CROSS),
    "unknown": ("#f3f0fa", UNKNOWN),
}


def _node(item: _Node, lang: str) -> str:
    x, width = COLUMNS[item.column]
    fill, stroke = NODE_STYLE[item.kind]
    count = str(len(item.entries))
    room = width - 16 - _text_width(count) - 10
    label = item.label
    if item.kind == "abroad":
        label = "⚠ " + label
    shown = _fit(label, room)
    tip = (
        f"{item.label}: {message('html.chart.requests', lang, count=len(item.entries))}"
    )
    if item.kind == "first":
        tip += " · " + message("html.party.first", lang)
    if item.kind == "abroad":
        tip += " · " + message("html.cross_border", lang)
    middle = item.y + item.height / 2 + FONT * 0.36
    bar = (
        f'<rect x="{x}" y="{item.y:.1f}" width="5" height="{item.height:.1f}" fill="#1f3a5f"/>'
        if item.kind == "first"
        else ""
    )
    weight = ' font-weight="700"' if item.kind == "abroad" else ""
    colour = CROSS if item.kind == "abroad" else "#1d2433"
    return (
        f"<g><title>{esc(tip)}</title>"
        f'<rect x="{x}" y="{item.y:.1f}" width="{width}" height="{item.height:.1f}" rx="4" '
        f'fill="{fill}" stroke="{stroke}" stroke-width="{1.6 if item.kind == "abroad" else 1}"/>'
        f"{bar}"
        f'<text x="{x + 10}" y="{middle:.1f}" fill="{colour}"{weight}>{esc(shown)}</text>'
        f'<text x="{x + width - 8}" y="{middle:.1f}" text-anchor="end" fill="#5b6475" '
        f'font-size="{FONT - 1}">{esc(count)}</text></g>'
    )


def _legend(y: float, lang: str, user_country: str) -> tuple[str, float]:
    """The legend below the chart, in as many rows as it needs, and its height."""
    items = [
        (
            f'<line x1="0" x2="34" y1="0" y2="0" stroke="{CROSS}" stroke-width="5" stroke-opacity="0.7"/>',
            message(
                "html.chart.legend_cross",
                lang,
                country=country_name(user_country, lang),
            ),
        ),
        (
            f'<line x1="0" x2="34" y1="0" y2="0" stroke="{HOME}" stroke-width="5" stroke-opacity="0.5"/>',
            message("html.chart.legend_home", lang),
        ),
        (
            f'<line x1="0" x2="34" y1="0" y2="0" stroke="{UNKNOWN}" stroke-width="5" stroke-opacity="0.55"/>',
            message("html.chart.legend_unknown", lang),
        ),
        (
            f'<line x1="0" x2="34" y1="0" y2="0" stroke="{HOME}" stroke-width="3" stroke-dasharray="7 5"/>',
            message("html.chart.legend_server", lang),
        ),
        (
            '<rect x="0" y="-8" width="34" height="16" rx="3" fill="#eef2f7" stroke="#1f3a5f"/>'
            '<rect x="0" y="-8" width="5" height="16" fill="#1f3a5f"/>',
            message("html.chart.legend_first", lang),
        ),
        ("", message("html.chart.legend_count", lang)),
    ]
    parts = [f'<g transform="translate(8 {y:.0f})" font-size="12" fill="#5b6475">']
    x = row = 0.0
    for sample, text in items:
        offset = 42 if sample else 0
        width = offset + _text_width(text) * 12 / FONT
        if x and x + width > WIDTH - 16:
            x, row = 0.0, row + 24
        parts.append(f'<g transform="translate({x:.0f} {row:.0f})">{sample}')
        parts.append(f'<text x="{offset}" y="4">{esc(text)}</text></g>')
        x += width + 30
    parts.append("</g>")
    return "".join(parts), row + 26
