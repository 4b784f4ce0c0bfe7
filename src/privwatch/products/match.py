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
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NotRequired, TypedDict

from privwatch.products.records import (
    Certainty,
    HazardRecord,
    Listing,
    Match,
    MatchedField,
    MatchMethod,
)
from privwatch.yamlfile import packaged

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    Embedder = Callable[[list[str]], NDArray[np.float32]]

REASON = "products.match.review."
"""Prefix of the message keys of review reasons (``data/messages.yaml``)."""


class BrandEntry(TypedDict):
    id: str
    names: list[str]
    field_only: NotRequired[list[str]]
    source: str
    note: NotRequired[str]


class Brands(TypedDict):
    """``data/brands.yaml``."""

    brands: list[BrandEntry]


class ModelRules(TypedDict):
    min_chars: int
    numeric_min_chars: int
    prefixes: list[str]
    max_window: int
    units: str


class NameRules(TypedDict):
    candidates: int
    ngram_floor: float
    brand_candidates: int
    ngram_max_share: float
    review_at: float
    review_at_with_brand: float
    contradicted_by_model: bool


class Scores(TypedDict):
    gtin: float
    model_with_brand: float
    model_without_brand: float
    model_brand_differs: float
    short_model_with_brand: float
    name_scale: float


class Cue(TypedDict):
    text: str
    where: str  # before | after | anywhere
    lang: str


class BundleCue(TypedDict):
    pattern: str
    lang: str


class Rules(TypedDict):
    """``data/matching.yaml``."""

    model: ModelRules
    name: NameRules
    scores: Scores
    accessory: list[Cue]
    bundle: list[BundleCue]


def rules() -> Rules:
    return packaged("privwatch.products", "data/matching.yaml", Rules)


def brands() -> Brands:
    return packaged("privwatch.products", "data/brands.yaml", Brands)


# --- normalising -------------------------------------------------------------

_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―_./\\·•#'’:,()\[\]]+")
_HANGUL = "\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f"
_HAN = "\u3400-\u9fff\uf900-\ufaff"
_PIECE = re.compile(rf"[0-9a-z\u00df-\u024f]+|[{_HANGUL}]+|[{_HAN}]+")


def fold(text: str) -> tuple[str, list[int]]:
    """``text`` in NFKC and case-folded, with the index in ``text`` of each
    folded character (so a span found in the folded text is quoted from the
    original)."""
    out: list[str] = []
    where: list[int] = []
    for i, char in enumerate(text):
        folded = unicodedata.normalize("NFKC", char).casefold()
        out.append(folded)
        where.extend([i] * len(folded))
    return "".join(out), where


def compact(text: str) -> str:
    """Folded, with separators removed: how brand forms and model numbers
    compare."""
    return _SEPARATORS.sub("", fold(text)[0])


def _prefix_pattern(prefixes: Sequence[str]) -> re.Pattern[str]:
    words = sorted((re.escape(fold(p)[0]) for p in prefixes), key=len, reverse=True)
    return re.compile(rf"^\s*(?:{'|'.join(words)})\s*(?:[.:#：]\s*|\s+|(?=\d))")


def model_key(text: str, prefixes: re.Pattern[str] | None = None) -> str:
    """A model number as compared: prefixes dropped, NFKC, upper case, without
    separators (``"Model No. jy-pc 20us/5p"`` -> ``"JYPC20US5P"``)."""
    folded = fold(text)[0]
    pattern = prefixes or _default_prefixes()
    stripped = pattern.sub("", folded, count=1)
    if _SEPARATORS.sub("", stripped):
        folded = stripped
    return _SEPARATORS.sub("", folded).upper()


def _default_prefixes() -> re.Pattern[str]:
    global _PREFIXES
    if _PREFIXES is None:
        _PREFIXES = _prefix_pattern(rules()["model"]["prefixes"])
    return _PREFIXES


_PREFIXES: re.Pattern[str] | None = None


def model_strength(key: str, model: ModelRules) -> str:
    """``distinctive``, ``short`` (matches only with the brand, as review) or
    ``none`` (never a model number: too short, or letters only)."""
    has_digit = any(c.isdigit() for c in key)
    if not has_digit or len(key) < 3:
        return "none"
    if key.isdigit():
        return "distinctive" if len(key) >= model["numeric_min_chars"] else "short"
    has_letter = any(c.isalpha() for c in key)
    if has_letter and len(key) >= model["min_chars"]:
        return "distinctive"
    return "short"


def gtin14(text: str) -> str | None:
    """``text`` as a GTIN-14 (leading zeros added) when it is a GTIN-8, 12, 13
    or 14 with a valid check digit, else None."""
    digits = re.sub(r"\D", "", fold(text)[0])
    if len(digits) not in (8, 12, 13, 14):
        return None
    padded = digits.zfill(14)
    return padded if gtin_check_ok(padded) else None


def gtin_check_ok(digits: str) -> bool:
    """The GS1 mod-10 check digit of a 14-digit string."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(digits[:-1]))
    return (10 - total % 10) % 10 == int(digits[-1])


_LANG_SCRIPT = {"ko": "hangul", "zh": "han", "ja": "han", "en": "latin"}


def _script(folded: str) -> str:
    """The script most of ``folded``'s letters are in."""
    counts = {"hangul": 0, "han": 0, "latin": 0}
    for char in folded:
        if "\uac00" <= char <= "\ud7a3":
            counts["hangul"] += 1
        elif "\u3400" <= char <= "\u9fff":
            counts["han"] += 1
        elif char.isalpha():
            counts["latin"] += 1
    return max(counts, key=lambda k: counts[k])


_GTIN_IN_TEXT = re.compile(r"(?<![\d])\d(?:[ \-]?\d){11,13}(?![\d])")
"""12 to 14 digits, single spaces or dashes allowed between them; a GTIN-8 is
taken only from an identifier field (any 8-digit number passes its check one
time in ten)."""


# --- the index over hazard records -----------------------------------------


@dataclass(frozen=True)
class _Piece:
    text: str  # folded
    start: int  # in the folded text
    end: int


def _pieces(folded: str) -> list[_Piece]:
    return [_Piece(m.group(), m.start(), m.end()) for m in _PIECE.finditer(folded)]


def _is_latin(piece: str) -> bool:
    return piece[0].isascii() or "\u00df" <= piece[0] <= "\u024f"


@dataclass
class _Text:
    """A listing's text folded once, with its pieces."""

    original: str
    folded: str
    where: list[int]
    pieces: list[_Piece]

    @classmethod
    def of(cls, text: str) -> _Text:
        folded, where = fold(text)
        return cls(text, folded, where, _pieces(folded))

    def quote(self, start: int, end: int) -> str:
        if not self.where or end <= start:
            return ""
        return self.original[self.where[start] : self.where[end - 1] + 1]


@dataclass(frozen=True)
class _Hit:
    """Where something was found in a listing: the field, the exact quote, and
    the folded span in the title (None when found in a field of its own)."""

    field: str
    quote: str
    span: tuple[int, int] | None


@dataclass
class HazardIndex:
    """Hazard records indexed by GTIN, model number, brand and name n-grams;
    built once, then matched against any number of listings."""

    hazards: Sequence[HazardRecord]
    gtins: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    models: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    brand_of: list[frozenset[str]] = field(default_factory=list)
    by_brand: dict[str, list[int]] = field(default_factory=dict)
    forms: dict[str, str] = field(default_factory=dict)  # compact Latin form -> id
    field_forms: dict[str, str] = field(default_factory=dict)
    cjk_forms: list[tuple[str, str]] = field(default_factory=list)
    max_brand_window: int = 4

    @classmethod
    def build(cls, hazards: Sequence[HazardRecord]) -> HazardIndex:
        index = cls(hazards)
        index._brand_forms()
        model = rules()["model"]
        for i, hazard in enumerate(hazards):
            for gtin in hazard.identifiers.gtin:
                key = gtin14(gtin)
                if key:
                    index.gtins.setdefault(key, []).append((i, gtin))
            for number in hazard.identifiers.model:
                key = model_key(number)
                if model_strength(key, model) != "none":
                    index.models.setdefault(key, []).append((i, number))
            ids = index._brand_ids_of_field(hazard.brand)
            index.brand_of.append(ids)
            for brand_id in ids:
                index.by_brand.setdefault(brand_id, []).append(i)
        return index

    def _brand_forms(self) -> None:
        for entry in brands()["brands"]:
            only = {compact(n) for n in entry.get("field_only", [])}
            for name in entry["names"]:
                key = compact(name)
                if not key:
                    continue
                self.field_forms[key] = entry["id"]
                if key in only:
                    continue
                if re.search(rf"[{_HANGUL}{_HAN}]", key):
                    self.cjk_forms.append((key, entry["id"]))
                else:
                    self.forms[key] = entry["id"]
                    self.max_brand_window = max(
                        self.max_brand_window, len(_pieces(fold(name)[0]))
                    )

    def _brand_ids_of_field(self, brand: str, register: bool = True) -> frozenset[str]:
        """The brand ids a brand field names: a known form, else forms inside
        it ("Sensio; Bella Pro Series"), else the field itself as a brand of
        its own (``raw:`` and its compact form, at least 3 characters), which
        a hazard record's brand (``register``) adds to the forms looked for in
        titles."""
        key = compact(brand)
        if not key:
            return frozenset()
        if key in self.field_forms:
            return frozenset({self.field_forms[key]})
        found = {hit for hit, _ in self.brands_in(_Text.of(brand))}
        if found:
            return frozenset(found)
        if len(key) < 3:
            return frozenset()
        raw = f"raw:{key}"
        if not register:
            return frozenset({raw})
        self.forms.setdefault(key, raw)
        self.max_brand_window = max(self.max_brand_window, len(_pieces(fold(brand)[0])))
        return frozenset({raw})

    def brands_in(self, text: _Text) -> list[tuple[str, _Hit]]:
        """Brand ids named in ``text`` with their quotes: Latin forms as whole
        pieces (joined across spaces and dashes), Hangul and Han forms anywhere
        (Korean attaches particles, Chinese has no spaces)."""
        found: list[tuple[str, _Hit]] = []
        pieces = text.pieces
        for i in range(len(pieces)):
            if not _is_latin(pieces[i].text):
                continue
            joined = ""
            for j in range(i, min(i + self.max_brand_window, len(pieces))):
                if not _is_latin(pieces[j].text):
                    break
                joined += pieces[j].text
                brand_id = self.forms.get(joined)
                if brand_id:
                    span = (pieces[i].start, pieces[j].end)
                    found.append((brand_id, _Hit("brand", text.quote(*span), span)))
        for form, brand_id in self.cjk_forms:
            at = text.folded.find(form)
            if at >= 0:
                span = (at, at + len(form))
                found.append((brand_id, _Hit("brand", text.quote(*span), span)))
        return found


# --- matching ------------------------------------------------------------------


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
                if not inside and (
                    where == "anywhere"
                    or span is None
                    or (where == "before" and at < span[0])
                    or (where == "after" and at >= span[1] - 1)
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
        """Whether the title names a distinctive model number and the hazard
        lists distinctive ones, none of them that."""
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


class NameIndex:
    """Character n-gram TF-IDF over each hazard's brand and names: the block
    that keeps the embedding model to a few candidates per listing."""

    def __init__(self, hazards: Sequence[HazardRecord]) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        # one row per name: a Korean title meets the Korean name undiluted by
        # the English one
        docs: list[str] = []
        owner: list[int] = []
        for i, h in enumerate(hazards):
            for name in [n for n in h.names.values() if n] or [""]:
                docs.append(" ".join(filter(None, [h.brand, name])) or "-")
                owner.append(i)
        # n-grams in many records of a large list (category words: "power
        # bank") say nothing about which one; a small list keeps them all
        share = rules()["name"]["ngram_max_share"]
        max_df = 1.0 if len(docs) * share < 10 else share
        self.vectorizer = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=(2, 4),
            sublinear_tf=True,
            max_df=max_df,
            dtype=_float32(),
        )
        self.matrix = self.vectorizer.fit_transform(docs).tocsr()
        self.transposed = self.matrix.T.tocsr()
        self.owner = owner
        self.rows: dict[int, list[int]] = defaultdict(list)
        for row, i in enumerate(owner):
            self.rows[i].append(row)

    def vectors(self, queries: list[str]) -> Any:
        return self.vectorizer.transform(queries).tocsr()

    def nearest(self, vectors: Any, k: int, floor: float) -> list[list[int]]:
        """For each query row, the ``k`` records of highest n-gram cosine at
        or above ``floor``, best first."""
        import numpy as np

        out: list[list[int]] = []
        for start in range(0, vectors.shape[0], 256):
            block = (vectors[start : start + 256] @ self.transposed).tocsr()
            for row in range(block.shape[0]):
                lo, hi = block.indptr[row], block.indptr[row + 1]
                data, cols = block.data[lo:hi], block.indices[lo:hi]
                keep = data >= floor
                data, cols = data[keep], cols[keep]
                if len(data) > 3 * k:
                    top = np.argpartition(-data, 3 * k)[: 3 * k]
                    data, cols = data[top], cols[top]
                order = np.argsort(-data)
                ranked = dict.fromkeys(self.owner[int(c)] for c in cols[order])
                out.append(list(ranked)[:k])
        return out

    def rank(self, vector: Any, among: list[int]) -> list[int]:
        """``among`` ordered by n-gram similarity to the query row ``vector``."""
        if len(among) <= 1:
            return list(among)
        rows = [row for i in among for row in self.rows[i]]
        scores = (self.matrix[rows] @ vector.T).toarray().ravel()
        best: dict[int, float] = {}
        for row, score in zip(rows, scores, strict=True):
            i = self.owner[row]
            best[i] = max(best.get(i, 0.0), float(score))
        return sorted(among, key=lambda i: -best[i])


def _float32() -> type:
    import numpy as np

    return np.float32


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
