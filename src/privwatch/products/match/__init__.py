"""Listings against hazard and recall records.

Three ways to a match, strongest first:

1. **GTIN**: the same barcode on both sides (GTIN-8/12/13/14 made one number
   space by leading zeros, the check digit valid).
2. **Model number**: the same normalised model number (NFKC, upper case, no
   spaces, dashes, dots or slashes, prefixes such as "Model" or "모델명"
   dropped), in the listing's model field (``MODEL``) or inside its title
   (``BRAND_MODEL``), with the brand compared across languages
   (``data/brands.yaml``).
3. **Name**: candidates blocked by brand and by a character n-gram index, then
   compared with the shipped multilingual embeddings; never more than a review
   item.

``certain`` only for a valid GTIN, or a distinctive model number with the brand
agreeing, and never for a listing that reads as an accessory for the product or
a bundle (``data/matching.yaml``). Every other match is ``review`` with the
message key of its reason. Each match quotes the fields that matched exactly as
each side wrote them.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from privwatch.products.match.data import (
    REASON,
    Brands,
    Rules,
    brands,
    rules,
)
from privwatch.products.match.index import HazardIndex
from privwatch.products.match.names import NameIndex
from privwatch.products.match.text import (
    _GTIN_IN_TEXT,
    _LANG_SCRIPT,
    _Hit,
    _is_latin,
    _script,
    _Text,
    compact,
    fold,
    gtin14,
    gtin_check_ok,
    model_key,
    model_strength,
)
from privwatch.products.records import (
    Certainty,
    HazardRecord,
    Listing,
    Match,
    MatchedField,
    MatchMethod,
)

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    Embedder = Callable[[list[str]], NDArray[np.float32]]

__all__ = [
    "REASON",
    "Brands",
    "HazardIndex",
    "Matcher",
    "NameIndex",
    "Rules",
    "brands",
    "by_listing",
    "compact",
    "gtin14",
    "gtin_check_ok",
    "match",
    "model_key",
    "model_strength",
    "rules",
]


@dataclass
class _Seen:
    """What one listing says, read once."""

    listing: Listing
    title: _Text
    brand_ids: dict[str, _Hit]  # brand id -> where the listing names it
    field_brand: frozenset[str]  # ids of the listing's own brand field


class Matcher:
    """``Matcher(hazards).match(listings)``: the index is built once."""

    def __init__(
        self,
        hazards: Sequence[HazardRecord],
        *,
        names: bool = True,
        embedder: Embedder | None = None,
    ) -> None:
        self.rules = rules()
        self.index = HazardIndex.build(hazards)
        self.names = names
        self._embedder = embedder
        self._accessory = [
            (fold(c["text"])[0], c["where"]) for c in self.rules["accessory"]
        ]
        self._bundle = [re.compile(b["pattern"], re.I) for b in self.rules["bundle"]]
        self._ngrams: NameIndex | None = None
        self._units: re.Pattern[str] | None = None
        self._theirs: dict[int, frozenset[str]] = {}  # hazard -> distinctive models
        self._mine: dict[int, frozenset[str]] = {}  # id(_Seen) -> model-like pieces
        self.embedded = 0  # texts sent to the embedding model, for the bench
        self.seconds: dict[str, float] = defaultdict(float)  # per stage, for the bench

    # public

    def match(self, listings: Iterable[Listing]) -> list[Match]:
        """Matches of every listing, in the listings' order, best first within
        one listing."""
        started = time.perf_counter()
        self._mine.clear()
        seen = [self._read(listing) for listing in listings]
        found: list[dict[int, Match]] = [self._identifiers(s) for s in seen]
        self.seconds["identifiers"] += time.perf_counter() - started
        if self.names and self.index.hazards:
            pending = [i for i, matches in enumerate(found) if not matches]
            for i, matches in self._by_name([seen[i] for i in pending]).items():
                found[pending[i]] = matches
        out: list[Match] = []
        for matches in found:
            out.extend(sorted(matches.values(), key=lambda m: -m.score))
        return out

    # reading a listing

    def _read(self, listing: Listing) -> _Seen:
        title = _Text.of(listing.title)
        field_brand = (
            self.index._brand_ids_of_field(listing.brand, register=False)
            if listing.brand
            else frozenset()
        )
        brand_ids: dict[str, _Hit] = {}
        for brand_id in field_brand:
            brand_ids[brand_id] = _Hit("brand", listing.brand, None)
        for brand_id, hit in self.index.brands_in(title):
            brand_ids.setdefault(brand_id, hit)
        return _Seen(listing, title, brand_ids, field_brand)

    # identifiers

    def _identifiers(self, seen: _Seen) -> dict[int, Match]:
        best: dict[int, Match] = {}

        def keep(match: Match | None, i: int) -> None:
            if match and (i not in best or match.score > best[i].score):
                best[i] = match

        for hit, key in self._gtins(seen):
            for i, written in self.index.gtins.get(key, []):
                keep(self._gtin_match(seen, hit, i, written), i)
        for hit, key, own_field in self._models(seen):
            for i, written in self.index.models.get(key, []):
                keep(self._model_match(seen, hit, key, own_field, i, written), i)
        return best

    def _gtins(self, seen: _Seen) -> list[tuple[_Hit, str]]:
        found: list[tuple[_Hit, str]] = []
        for written in seen.listing.identifiers.gtin:
            key = gtin14(written)
            if key:
                found.append((_Hit("gtin", written, None), key))
        for body, in_title in (
            (seen.title, True),
            (_Text.of(seen.listing.description), False),
        ):
            for m in _GTIN_IN_TEXT.finditer(body.folded):
                key = gtin14(m.group())
                if key:
                    span = (m.start(), m.end()) if in_title else None
                    found.append((_Hit("gtin", body.quote(*m.span()), span), key))
        return found

    def _models(self, seen: _Seen) -> list[tuple[_Hit, str, bool]]:
        found: list[tuple[_Hit, str, bool]] = []
        for written in seen.listing.identifiers.model:
            found.append((_Hit("model", written, None), model_key(written), True))
        window = self.rules["model"]["max_window"]
        for text, in_title in (
            (seen.title, True),
            (_Text.of(seen.listing.description), False),
        ):
            pieces = text.pieces
            for i in range(len(pieces)):
                if not _is_latin(pieces[i].text):
                    continue
                joined = ""
                for j in range(i, min(i + window, len(pieces))):
                    if not _is_latin(pieces[j].text):
                        break
                    joined += pieces[j].text
                    key = joined.upper()
                    if key in self.index.models:
                        span = (pieces[i].start, pieces[j].end)
                        quote = text.quote(*span)
                        found.append(
                            (
                                _Hit("model", quote, span if in_title else None),
                                key,
                                False,
                            )
                        )
        return found

    def _brand(self, seen: _Seen, i: int) -> tuple[str, _Hit | None]:
        """``agrees`` (with the listing's quote), ``differs`` (the listing's own
        brand field names another brand) or ``missing``."""
        hazard_ids = self.index.brand_of[i]
        for brand_id in hazard_ids:
            if brand_id in seen.brand_ids:
                return "agrees", seen.brand_ids[brand_id]
        if seen.field_brand and hazard_ids:
            return "differs", _Hit("brand", seen.listing.brand, None)
        return "missing", None

    def _cue(self, seen: _Seen, span: tuple[int, int] | None, i: int) -> str:
        """``accessory``, ``bundle`` or ``""``: what the title's words say the
        listing is, relative to where the product was named (``span``)."""
        folded = seen.title.folded
        own = " ".join(fold(n)[0] for n in self.index.hazards[i].names.values())
        for text, where in self._accessory:
            if text.strip() in own:
                continue
            at = folded.find(text)
            while at >= 0:
                # a Latin word starts a word: "case", not "bookcase"
                inside = at > 0 and text[0].isascii() and folded[at - 1].isalnum()
                # without a place in the title (the listing's own identifier
                # field), "for" or "전용" cannot be placed: only words that
                # make an accessory anywhere count
                if not inside and (
                    where == "anywhere"
                    or (span is not None and where == "before" and at < span[0])
                    or (span is not None and where == "after" and at >= span[1] - 1)
                ):
                    return "accessory"
                at = folded.find(text, at + 1)
        for pattern in self._bundle:
            if pattern.search(folded) and not pattern.search(own):
                return "bundle"
        return ""

    def _gtin_match(self, seen: _Seen, hit: _Hit, i: int, written: str) -> Match:
        hazard = self.index.hazards[i]
        cue = self._cue(seen, hit.span, i)
        fields = [MatchedField("gtin", hit.quote, written)]
        status, brand_hit = self._brand(seen, i)
        if status == "agrees" and brand_hit:
            fields.append(MatchedField("brand", brand_hit.quote, hazard.brand))
        certainty = Certainty.REVIEW if cue else Certainty.CERTAIN
        return Match(
            seen.listing,
            hazard,
            MatchMethod.GTIN,
            self.rules["scores"]["gtin"],
            certainty,
            tuple(fields),
            f"{REASON}{cue}" if cue else "",
        )

    def _model_match(
        self, seen: _Seen, hit: _Hit, key: str, own_field: bool, i: int, written: str
    ) -> Match | None:
        hazard = self.index.hazards[i]
        scores = self.rules["scores"]
        strength = model_strength(key, self.rules["model"])
        status, brand_hit = self._brand(seen, i)
        fields = [MatchedField("model", hit.quote, written)]
        if brand_hit and status == "agrees":
            fields.append(MatchedField("brand", brand_hit.quote, hazard.brand))
        if strength == "short":
            if status != "agrees":
                return None
            score, reason = scores["short_model_with_brand"], "model_short"
        elif status == "agrees":
            score, reason = scores["model_with_brand"], ""
        elif status == "missing":
            score, reason = scores["model_without_brand"], "brand_missing"
        else:
            fields.append(MatchedField("brand", seen.listing.brand, hazard.brand))
            score, reason = scores["model_brand_differs"], "brand_differs"
        cue = self._cue(seen, hit.span, i)
        if cue:
            reason = cue
        method = MatchMethod.MODEL if own_field else MatchMethod.BRAND_MODEL
        return Match(
            seen.listing,
            hazard,
            method,
            score,
            Certainty.REVIEW if reason else Certainty.CERTAIN,
            tuple(fields),
            f"{REASON}{reason}" if reason else "",
        )

    # names

    def _by_name(self, seen: list[_Seen]) -> dict[int, dict[int, Match]]:
        if not seen:
            return {}
        started = time.perf_counter()
        if self._ngrams is None:
            self._ngrams = NameIndex(self.index.hazards)
        name = self.rules["name"]
        queries = [
            " ".join(filter(None, (s.listing.brand, s.listing.title))) for s in seen
        ]
        vectors_q = self._ngrams.vectors(queries)
        near = self._ngrams.nearest(vectors_q, name["candidates"], name["ngram_floor"])
        candidates: dict[int, set[int]] = {}
        for row, s in enumerate(seen):
            pool = set(near[row])
            for brand_id in s.brand_ids:
                same = self.index.by_brand.get(brand_id, [])
                ranked = self._ngrams.rank(vectors_q[row], same)
                pool.update(ranked[: name["brand_candidates"]])
            if name["contradicted_by_model"]:
                # checked before embedding: a contradicted pair costs nothing
                pool = {i for i in pool if not self._other_model(s, i)}
            if pool:
                candidates[row] = pool
        if not candidates:
            return {}
        texts: list[str] = []
        for row, pool in candidates.items():
            texts.append(seen[row].listing.title)
            for i in pool:
                texts.extend(self._names_to_embed(seen[row], i))
        distinct = list(dict.fromkeys(texts))
        self.seconds["name candidates"] += time.perf_counter() - started
        started = time.perf_counter()
        vectors = dict(zip(distinct, self._embed(distinct), strict=True))
        self.seconds["embedding"] += time.perf_counter() - started
        self.embedded += len(distinct)
        out: dict[int, dict[int, Match]] = {}
        for row, pool in candidates.items():
            matches = self._name_matches(seen[row], pool, vectors)
            if matches:
                out[row] = matches
        return out

    def _name_matches(
        self, seen: _Seen, pool: set[int], vectors: dict[str, Any]
    ) -> dict[int, Match]:
        name, scores = self.rules["name"], self.rules["scores"]
        query = vectors[seen.listing.title]
        out: dict[int, Match] = {}
        for i in pool:
            hazard = self.index.hazards[i]
            scored = [
                (float(query @ vectors[n]), n) for n in self._names_to_embed(seen, i)
            ]
            if not scored:
                continue
            cosine, best = max(scored)
            if name["contradicted_by_model"] and self._other_model(seen, i):
                continue
            status, brand_hit = self._brand(seen, i)
            bar = (
                name["review_at_with_brand"]
                if status == "agrees"
                else name["review_at"]
            )
            if cosine < bar:
                continue
            fields = [MatchedField("name", seen.listing.title, best)]
            if brand_hit and status == "agrees":
                fields.append(MatchedField("brand", brand_hit.quote, hazard.brand))
            cue = self._cue(seen, None, i)
            out[i] = Match(
                seen.listing,
                hazard,
                MatchMethod.NAME,
                round(min(1.0, cosine) * scores["name_scale"], 4),
                Certainty.REVIEW,
                tuple(fields),
                f"{REASON}{cue or 'name_only'}",
            )
        return out

    def _other_model(self, seen: _Seen, i: int) -> bool:
        """Whether the title or the listing's own model field names a
        distinctive model number and the hazard lists distinctive ones, none
        of them that."""
        model = self.rules["model"]
        theirs = self._theirs.get(i)
        if theirs is None:
            theirs = self._theirs[i] = frozenset(
                key
                for key in map(model_key, self.index.hazards[i].identifiers.model)
                if model_strength(key, model) == "distinctive"
            )
        if not theirs:
            return False
        mine = self._mine.get(id(seen))
        if mine is None:
            if self._units is None:
                self._units = re.compile(model["units"])
            units = self._units
            mine = self._mine[id(seen)] = frozenset(
                p.text.upper()
                for p in seen.title.pieces
                if _is_latin(p.text)
                and not units.fullmatch(p.text)
                and model_strength(p.text.upper(), model) == "distinctive"
            ) | frozenset(
                key
                for key in map(model_key, seen.listing.identifiers.model)
                if model_strength(key, model) == "distinctive"
            )
        return bool(mine) and not mine & theirs

    def _names_to_embed(self, seen: _Seen, i: int) -> list[str]:
        """The hazard's name in the listing's script when it has one (a Korean
        title against the Korean name), else all its names: fewer texts for
        the model, the same answer."""
        names = self.index.hazards[i].names
        script = _script(seen.title.folded)
        same = [
            n for lang, n in names.items() if n and _LANG_SCRIPT.get(lang) == script
        ]
        return same[:1] or [n for n in names.values() if n]

    def _embed(self, texts: list[str]) -> NDArray[np.float32]:
        if self._embedder is None:
            from privwatch.classify.embed import embed

            return embed(texts)
        return self._embedder(texts)


def match(
    listings: Iterable[Listing],
    hazards: Sequence[HazardRecord],
    *,
    names: bool = True,
    embedder: Embedder | None = None,
) -> list[Match]:
    """Every match of ``listings`` against ``hazards`` (see the module's
    docstring for the rules)."""
    return Matcher(hazards, names=names, embedder=embedder).match(listings)


def by_listing(matches: Iterable[Match]) -> dict[str, list[Match]]:
    """Matches grouped by listing URL, in their order."""
    grouped: dict[str, list[Match]] = defaultdict(list)
    for m in matches:
        grouped[m.listing.url].append(m)
    return dict(grouped)
