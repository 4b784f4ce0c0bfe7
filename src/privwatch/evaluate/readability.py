"""Readability (가독성) measured on the segmented Document: its sentences (Kiwi's,
from ``privwatch.segment``), its letters, its words, its tables and contents,
and (for an HTML page) its in-page links and images."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping

from selectolax.lexbor import LexborHTMLParser

from privwatch.evaluate.config import Indicator, compiled_terms
from privwatch.evaluate.model import IndicatorResult, Note, note
from privwatch.models import Document, Evidence
from privwatch.segment.headings import contents_and_headings

_SPACE = re.compile(r"\s+")
_CLOSERS = "\"'”’)]」』〉》】"
_ADDRESS = re.compile(r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.I)
_LETTER = re.compile(r"[^\W\d_]")
_LATIN = re.compile(r"[A-Za-z]")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'-]+")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_TOC_WORD = re.compile(
    r"^\s*(?:목\s*차|차\s*례|table of contents|contents)\b", re.I | re.M
)
MIN_SENTENCE = 10  # characters without spaces: shorter pieces are labels, not prose


def linear(value: float, good: float, bad: float) -> float:
    """1 at ``good`` or better, 0 at ``bad`` or worse, linear between."""
    if good == bad:
        return 1.0 if value <= good else 0.0
    share = (value - good) / (bad - good)
    return round(min(1.0, max(0.0, 1.0 - share)), 3)


def _result(
    indicator: Indicator,
    score: float | None,
    explain: Note,
    measures: Mapping[str, object] | None = None,
    evidence: tuple[Evidence, ...] = (),
    status: str = "scored",
) -> IndicatorResult:
    return IndicatorResult(
        id=indicator.id,
        name=indicator.name.model_dump(),
        weight=indicator.weight,
        status=status if score is not None or status != "scored" else "not_measured",
        score=score,
        note=explain,
        measures=dict(measures or {}),
        evidence=evidence,
    )


def _not_korean(indicator: Indicator, document: Document) -> IndicatorResult:
    return _result(
        indicator,
        None,
        note("evaluate.explain.not_korean_na", language=document.language),
        status="not_applicable",
    )


def sentences(document: Document) -> list[tuple[int, int, int]]:
    """``(start, end, characters without spaces)`` of every prose sentence:
    Kiwi's (or the English splitter's) sentences of clauses that are not table
    rows, ending like a sentence, at least ``MIN_SENTENCE`` characters long."""
    found = []
    for clause in document.clauses:
        if clause.kind == "row":
            continue
        for span in clause.sentences:
            text = document.text[span.start : span.end].rstrip().rstrip(_CLOSERS)
            length = len(_SPACE.sub("", text))
            if length < MIN_SENTENCE:
                continue
            if text.endswith((".", "!", "?", "。", "다", "요")):
                found.append((span.start, span.end, length))
    return found


def measure_korean(
    indicator: Indicator, document: Document, html: str | None
) -> IndicatorResult:
    hangul = len(_HANGUL.findall(document.text))
    if document.language == "ko":
        return _result(
            indicator, 1.0, note("evaluate.explain.korean"), {"hangul_letters": hangul}
        )
    if hangul >= indicator.partial_hangul_letters:
        return _result(
            indicator,
            0.5,
            note(
                "evaluate.explain.korean_part",
                language=document.language,
                letters=hangul,
            ),
            {"hangul_letters": hangul},
        )
    return _result(
        indicator,
        0.0,
        note("evaluate.explain.not_korean", language=document.language),
        {"hangul_letters": hangul},
    )


def measure_sentence_length(
    indicator: Indicator, document: Document, html: str | None
) -> IndicatorResult:
    if document.language != "ko":
        return _not_korean(indicator, document)
    found = sentences(document)
    if not found:
        return _result(indicator, None, note("evaluate.explain.no_sentences"))
    lengths = [n for _, _, n in found]
    mean = sum(lengths) / len(lengths)
    long_share = sum(n > indicator.long_sentence for n in lengths) / len(lengths)
    score = round(
        (
            linear(mean, indicator.mean_good, indicator.mean_bad)
            + linear(long_share, indicator.long_share_good, indicator.long_share_bad)
        )
        / 2,
        3,
    )
    start, end, longest = max(found, key=lambda s: s[2])
    measures = {
        "sentences": len(found),
        "mean_chars": round(mean, 1),
        "median_chars": sorted(lengths)[len(lengths) // 2],
        "long_share": round(long_share, 3),
        "long_threshold": indicator.long_sentence,
        "longest_chars": longest,
    }
    explain = note(
        "evaluate.explain.sentences",
        count=len(found),
        mean=f"{mean:.1f}",
        share=f"{100 * long_share:.0f}",
        limit=indicator.long_sentence,
    )
    return _result(
        indicator,
        score,
        explain,
        measures,
        (Evidence(start, end, document.text[start:end]),),
    )


def measure_latin_share(
    indicator: Indicator, document: Document, html: str | None
) -> IndicatorResult:
    if document.language != "ko":
        return _not_korean(indicator, document)
    text = _ADDRESS.sub(" ", document.text)
    letters = len(_LETTER.findall(text))
    latin = len(_LATIN.findall(text))
    if not letters:
        return _result(indicator, None, note("evaluate.explain.no_letters"))
    share = latin / letters
    words = Counter(_LATIN_WORD.findall(text)).most_common(5)
    top = ", ".join(w for w, _ in words) or "-"
    return _result(
        indicator,
        linear(share, indicator.good, indicator.bad),
        note("evaluate.explain.latin", share=f"{100 * share:.1f}", words=top),
        {"latin_share": round(share, 4), "letters": letters, "top_words": dict(words)},
    )


def measure_plain_words(
    indicator: Indicator, document: Document, html: str | None
) -> IndicatorResult:
    if document.language != "ko":
        return _not_korean(indicator, document)
    hangul = len(_HANGUL.findall(document.text))
    counts: Counter[str] = Counter()
    first: dict[str, Evidence] = {}
    plain: dict[str, str] = {}
    for term, pattern in compiled_terms():
        for match in pattern.finditer(document.text):
            counts[term.term] += 1
            plain[term.term] = term.plain
            first.setdefault(
                term.term, _clause_evidence(document, match.start(), match.end())
            )
    total = sum(counts.values())
    rate = 1000 * total / hangul if hangul else 0.0
    top = counts.most_common(8)
    measures = {
        "matches": total,
        "per_1000_hangul": round(rate, 2),
        "terms": {t: {"count": n, "plain": plain[t]} for t, n in top},
    }
    if not total:
        explain = note("evaluate.explain.plain_words_none")
    else:
        listed = ", ".join(f"{t} {n} (→ {plain[t]})" for t, n in top[:5])
        explain = note(
            "evaluate.explain.plain_words",
            count=total,
            rate=f"{rate:.1f}",
            terms=listed,
        )
    evidence = tuple(first[t] for t, _ in top[:5])
    return _result(
        indicator,
        linear(rate, indicator.good, indicator.bad),
        explain,
        measures,
        evidence,
    )


def _clause_evidence(document: Document, start: int, end: int) -> Evidence:
    clause = next(
        (c for c in document.clauses if c.start <= start and end <= c.end), None
    )
    return Evidence(start, end, document.text[start:end], clause.id if clause else None)


def _tree(html: str | None) -> LexborHTMLParser | None:
    return LexborHTMLParser(html) if html else None


def measure_table_of_contents(
    indicator: Indicator, document: Document, html: str | None
) -> IndicatorResult:
    """A numbered list of the sections before them (the segmenter's contents
    detection), a '목차' / 'Contents' line, or in-page links (HTML)."""
    ways = []
    toc, _ = contents_and_headings(document.text)
    if toc:
        ways.append(note("evaluate.toc.numbered", entries=len(toc)))
    opening = document.text[: max(indicator.top_chars, len(document.text) // 3)]
    if _TOC_WORD.search(opening):
        ways.append(note("evaluate.toc.word"))
    tree = _tree(html)
    if tree is not None:
        links = [
            a
            for a in tree.css("a[href]")
            if (a.attributes.get("href") or "").startswith("#")
            and len(a.attributes.get("href") or "") > 1
            and not re.search(
                r"본문|skip|content$",
                a.text(strip=True) + (a.attributes.get("href") or ""),
                re.I,
            )
        ]
        if len(links) >= 3:
            ways.append(note("evaluate.toc.links", links=len(links)))
    if not ways:
        return _result(
            indicator, 0.0, note("evaluate.explain.toc_missing"), {"found": False}
        )
    return _result(
        indicator,
        1.0,
        note("evaluate.explain.toc_found", how=Note(parts=tuple(ways))),
        {"found": True, "numbered_entries": len(toc)},
    )


def measure_tables(
    indicator: Indicator, document: Document, html: str | None
) -> IndicatorResult:
    tables = sorted(
        {c.table for c in document.clauses if c.kind == "row" and c.table is not None}
    )
    rows = sum(1 for c in document.clauses if c.kind == "row")
    score = min(1.0, len(tables) / indicator.good) if indicator.good else 1.0
    return _result(
        indicator,
        round(score, 3),
        note("evaluate.explain.tables", count=len(tables), rows=rows),
        {"tables": len(tables), "rows": rows},
    )


def measure_labels(
    indicator: Indicator, document: Document, html: str | None
) -> IndicatorResult:
    """Label cues in the opening of the text, or images named after labels early
    in the page."""
    limit = max(indicator.top_chars, int(len(document.text) * indicator.top_share))
    for cue in indicator.cues:
        spaced = r"\s*".join(re.escape(c) for c in _SPACE.sub("", cue))
        match = re.search(spaced, document.text[:limit])
        if match is not None:
            return _result(
                indicator,
                1.0,
                note("evaluate.explain.labels_text", cue=match.group()),
                {"found": True, "by": "text"},
                (_clause_evidence(document, match.start(), match.end()),),
            )
    tree = _tree(html)
    if tree is not None and html:
        names = [_SPACE.sub("", n) for n in indicator.label_names]
        hits = []
        for image in tree.css("img"):
            alt = _SPACE.sub(
                "",
                (image.attributes.get("alt") or "")
                + (image.attributes.get("title") or ""),
            )
            if any(n in alt for n in names):
                hits.append(alt)
        early = html.find("<img") < len(html) * max(indicator.top_share, 0.4)
        if len(hits) >= indicator.min_label_images and early:
            return _result(
                indicator,
                1.0,
                note("evaluate.explain.labels_images", count=len(hits)),
                {"found": True, "by": "images", "images": len(hits)},
            )
    return _result(
        indicator, 0.0, note("evaluate.explain.labels_missing"), {"found": False}
    )


MEASURES: dict[str, Callable[[Indicator, Document, str | None], IndicatorResult]] = {
    "korean": measure_korean,
    "sentence_length": measure_sentence_length,
    "latin_share": measure_latin_share,
    "plain_words": measure_plain_words,
    "table_of_contents": measure_table_of_contents,
    "tables": measure_tables,
    "labels": measure_labels,
}
