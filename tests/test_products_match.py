"""Matching listings against hazard records: each rule with fixtures that must
and must not match, exact quoting, the certain/review gate, Korean and Chinese."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from privwatch.i18n import _catalog, message
from privwatch.products.match import (
    REASON,
    Matcher,
    brands,
    compact,
    gtin14,
    match,
    model_key,
    model_strength,
    rules,
)
from privwatch.products.records import (
    Certainty,
    HazardRecord,
    Identifiers,
    Listing,
    MatchMethod,
)

POWER_BANK = HazardRecord(
    source="us-cpsc",
    record_id="25-001",
    date="2025-06-12",
    names={"en": "PowerCore 10000 power bank"},
    brand="Anker",
    identifiers=Identifiers(model=("A1263",)),
)
COOKER = HazardRecord(
    source="us-cpsc",
    record_id="23-100",
    date="2023-08-10",
    names={"en": "Electric pressure cooker 6-quart"},
    brand="Bella",
    identifiers=Identifiers(model=("JY-PC20US-5P", "14467")),
)
STROLLER = HazardRecord(
    source="eu-safety-gate",
    record_id="A12/0468/17",
    date="2017-04-14",
    names={"en": "Toy stroller, pink and white"},
    brand="Saica",
    identifiers=Identifiers(gtin=("8421440091649",), model=("9164",)),
)
HIGH_CHAIR = HazardRecord(
    source="ca-health-canada",
    record_id="HC-2018-1",
    date="2018-03-02",
    names={"en": "Table2Table 6-in-1 high chair"},
    brand="Graco",
    identifiers=Identifiers(gtin=("047406146475",), model=("2013805",)),
)
SCOOTER = HazardRecord(
    source="kr-kats",
    record_id="KR-2024-77",
    date="2024-10-30",
    names={"ko": "어린이용 전동 킥보드", "en": "children's electric kick scooter"},
)
HAZARDS = [POWER_BANK, COOKER, STROLLER, HIGH_CHAIR, SCOOTER]


def listing(title: str, **extra: object) -> Listing:
    return Listing(
        "Temu", f"https://shop.example/{abs(hash(title))}", title, "2026-12-01", **extra
    )  # type: ignore[arg-type]


def only(title: str, hazards: list[HazardRecord] = HAZARDS, **extra: object):
    """The single match of one listing (names off: identifier rules only)."""
    found = match([listing(title, **extra)], hazards, names=False)
    assert len(found) <= 1, found
    return found[0] if found else None


# --- normalising ----------------------------------------------------------------


def test_gtin_lengths_are_one_number_space_and_the_check_digit_is_checked() -> None:
    assert gtin14("047406146475") == gtin14("0047406146475") == "00047406146475"
    assert gtin14("8 421440 091649") == "08421440091649"
    assert gtin14("8421440091648") is None  # check digit off by one
    assert gtin14("84214400916") is None  # 11 digits is no GTIN
    assert gtin14("８４２１４４００９１６４９") == "08421440091649"  # full-width digits


def test_model_numbers_compare_without_case_separators_prefixes_or_width() -> None:
    assert model_key("JY-PC20US-5P") == model_key("jy pc20us/5p") == "JYPC20US5P"
    assert model_key("Model No. A1263") == "A1263"
    assert model_key("모델명: Ａ１２６３") == "A1263"
    assert model_key("型号：A-1263") == "A1263"
    assert model_key("Model") == "MODEL"  # a prefix alone is kept, not emptied


def test_short_or_numeric_models_are_never_distinctive() -> None:
    model = rules()["model"]
    assert model_strength("A1263", model) == "distinctive"
    assert model_strength("11010403", model) == "distinctive"
    assert model_strength("14467", model) == "short"
    assert model_strength("210", model) == "short"
    assert model_strength("H41", model) == "short"
    assert model_strength("KULLEN", model) == "none"
    assert model_strength("7", model) == "none"


# --- GTIN -------------------------------------------------------------------------


def test_the_same_gtin_is_certain_and_quoted_from_both_sides() -> None:
    found = only(
        "Poussette jouet rose", identifiers=Identifiers(gtin=("8421440091649",))
    )
    assert found and found.hazard is STROLLER
    assert found.method is MatchMethod.GTIN and found.certainty is Certainty.CERTAIN
    assert found.fields[0].listing_text == "8421440091649"
    assert found.fields[0].hazard_text == "8421440091649"
    assert found.reason == ""


def test_a_gtin_12_in_the_title_matches_its_gtin_13_form() -> None:
    found = only("Graco 6-in-1 high chair 0047406146475")
    assert found and found.hazard is HIGH_CHAIR and found.certainty is Certainty.CERTAIN
    assert found.fields[0].listing_text == "0047406146475"
    assert found.fields[0].hazard_text == "047406146475"


def test_a_gtin_with_a_wrong_check_digit_matches_nothing() -> None:
    assert (
        only("Toy stroller", identifiers=Identifiers(gtin=("8421440091648",))) is None
    )


# --- model number and brand -----------------------------------------------------


def test_model_in_the_title_with_the_brand_is_certain_with_exact_quotes() -> None:
    found = only("Anker PowerCore 10000 (Model A 1263) 10000mAh")
    assert found and found.hazard is POWER_BANK
    assert (
        found.method is MatchMethod.BRAND_MODEL and found.certainty is Certainty.CERTAIN
    )
    quoted = {f.field: (f.listing_text, f.hazard_text) for f in found.fields}
    assert quoted == {"model": ("A 1263", "A1263"), "brand": ("Anker", "Anker")}


def test_the_model_field_matches_as_model() -> None:
    found = only(
        "보조배터리 10000mAh",
        brand="Anker",
        identifiers=Identifiers(model=("Model No. A-1263",)),
    )
    assert (
        found
        and found.method is MatchMethod.MODEL
        and found.certainty is Certainty.CERTAIN
    )
    assert found.fields[0].listing_text == "Model No. A-1263"


def test_korean_and_chinese_brand_forms_agree_with_the_english_notice() -> None:
    korean = only("앤커 파워코어 10000 보조배터리 A-1263 정품")
    assert korean and korean.certainty is Certainty.CERTAIN
    assert ("brand", "앤커", "Anker") in {
        (f.field, f.listing_text, f.hazard_text) for f in korean.fields
    }
    chinese = only("安克充电宝 型号A1263 新款")
    assert chinese and chinese.certainty is Certainty.CERTAIN
    assert ("model", "A1263", "A1263") in {
        (f.field, f.listing_text, f.hazard_text) for f in chinese.fields
    }
    fullwidth = only("Anker モバイルバッテリー Ａ１２６３")
    assert fullwidth and fullwidth.certainty is Certainty.CERTAIN
    assert fullwidth.fields[0].listing_text == "Ａ１２６３"


def test_a_model_without_a_brand_is_review() -> None:
    found = only("Portable charger A1263 10000mAh")
    assert found and found.certainty is Certainty.REVIEW
    assert found.reason == f"{REASON}brand_missing"


def test_a_model_under_another_brand_is_review() -> None:
    found = only("Portable charger A1263", brand="Xiaomi")
    assert found and found.certainty is Certainty.REVIEW
    assert found.reason == f"{REASON}brand_differs"


def test_model_with_spaces_and_dashes_in_the_title_matches_the_notice() -> None:
    found = only("Bella stovetop pressure cooker JY PC20US 5P", brand="Bella")
    assert found and found.hazard is COOKER and found.certainty is Certainty.CERTAIN
    assert found.fields[0].listing_text == "JY PC20US 5P"


def test_short_item_numbers_are_review_with_the_brand_and_nothing_without() -> None:
    found = only("Electric pressure cooker 14467", brand="Bella")
    assert found and found.certainty is Certainty.REVIEW
    assert found.reason == f"{REASON}model_short"
    assert only("Electric pressure cooker 14467") is None


@pytest.mark.parametrize(
    "title",
    [
        "Anker PowerCore A1236 power bank",  # two digits swapped
        "Anker PowerCore A12634 power bank",  # one digit more
        "Anker PowerCore A1264",
        "Anker PowerCore 10000 power bank",  # no model at all
    ],
)
def test_near_miss_model_numbers_do_not_match(title: str) -> None:
    assert only(title) is None


# --- accessories and bundles ----------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "Case for Anker A1263 power bank",
        "Anker A1263 compatible charger",
        "A1263 호환 충전기",
        "앤커 A1263 전용 파우치",
        "适用于安克 A1263 保护套",
        "安克A1263专用 收纳包",
    ],
)
def test_accessories_for_the_product_are_never_certain(title: str) -> None:
    found = only(title)
    assert found is not None, title
    assert found.certainty is Certainty.REVIEW
    assert found.reason == f"{REASON}accessory"


def test_for_after_the_model_is_not_an_accessory() -> None:
    found = only("Anker A1263 power bank for iPhone and Galaxy")
    assert found and found.certainty is Certainty.CERTAIN


@pytest.mark.parametrize(
    "title",
    [
        "Anker A1263 power bank set of 3",
        "Anker A1263 2-pack",
        "앤커 A1263 보조배터리 2개 세트",
        "安克 A1263 充电宝 套装",
        "Anker A1263 + free case",
    ],
)
def test_bundles_are_never_certain(title: str) -> None:
    found = only(title)
    assert found and found.certainty is Certainty.REVIEW, title
    assert found.reason in {f"{REASON}bundle", f"{REASON}accessory"}


def test_for_in_a_title_does_not_demote_the_listings_own_barcode() -> None:
    """The barcode field names the listed product itself; "for kids" there
    cannot be placed against it, while "case" makes an accessory anywhere."""
    barcode = Identifiers(gtin=("8421440091649",))
    found = only("Pink toy stroller for kids", identifiers=barcode)
    assert found and found.certainty is Certainty.CERTAIN
    found = only("Rain cover for toy stroller", identifiers=barcode)
    assert found and found.certainty is Certainty.REVIEW
    assert found.reason == f"{REASON}accessory"


def test_a_gtin_listing_that_reads_as_a_bundle_is_review() -> None:
    found = only(
        "Toy stroller set of 2", identifiers=Identifiers(gtin=("8421440091649",))
    )
    assert (
        found
        and found.certainty is Certainty.REVIEW
        and found.reason == f"{REASON}bundle"
    )


# --- names ------------------------------------------------------------------------


def test_a_korean_name_alike_is_review_never_certain() -> None:
    found = match([listing("어린이 전동 킥보드 접이식 LED")], HAZARDS)
    assert [m.hazard for m in found] == [SCOOTER]
    assert found[0].method is MatchMethod.NAME
    assert found[0].certainty is Certainty.REVIEW
    assert found[0].reason == f"{REASON}name_only"
    assert found[0].fields[0].listing_text == "어린이 전동 킥보드 접이식 LED"
    assert found[0].fields[0].hazard_text == "어린이용 전동 킥보드"


def test_unrelated_titles_match_nothing_by_name() -> None:
    titles = [
        "여성 겨울 롱패딩 점퍼",
        "Stainless steel kitchen knife set",
        "男士运动鞋 透气",
    ]
    assert match([listing(t) for t in titles], HAZARDS) == []


def test_identifier_matches_skip_the_name_stage() -> None:
    matcher = Matcher(HAZARDS)
    found = matcher.match([listing("Anker A1263 power bank")])
    assert [m.method for m in found] == [MatchMethod.BRAND_MODEL]
    assert matcher.embedded == 0


# --- data -------------------------------------------------------------------------


def test_every_brand_form_belongs_to_one_brand_and_cites_a_source() -> None:
    seen: dict[str, str] = {}
    for entry in brands()["brands"]:
        assert entry["source"].strip(), entry["id"]
        for name in entry["names"]:
            key = compact(name)
            assert seen.setdefault(key, entry["id"]) == entry["id"], name
        assert set(entry.get("field_only", [])) <= set(entry["names"]), entry["id"]


def test_every_review_reason_is_a_message_in_both_languages() -> None:
    for reason in (
        "brand_missing",
        "brand_differs",
        "model_short",
        "accessory",
        "bundle",
        "name_only",
    ):
        key = f"{REASON}{reason}"
        assert key in _catalog()
        assert message(key, "en") != message(key, "ko")


def test_the_test_set_is_deterministic_and_the_holdout_differs() -> None:
    sys.path.insert(0, str(Path(__file__).parents[1] / "bench"))
    from products_testset import development, holdout

    first, again = development(1), development(1)
    assert [item.title for item in first.listings] == [
        item.title for item in again.listings
    ]
    assert first.truth == again.truth
    assert sum(1 for t in first.truth.values() if t) * 2 == len(first.listings)
    other = holdout(2)
    assert not {item.title for item in first.listings} & {
        item.title for item in other.listings
    }


def test_a_chinese_word_for_adapter_is_not_read_as_for() -> None:
    adapter = HazardRecord(
        source="us-cpsc",
        record_id="97-183",
        date="1997-09-04",
        names={"en": "notebook AC adapter"},
        brand="Digital Equipment",
        identifiers=Identifiers(model=("30-47941-01",)),
    )
    found = only("Digital Equipment电源适配器 型号30-47941-01", [adapter])
    assert found and found.certainty is Certainty.CERTAIN
    case = only("适配于Digital Equipment 30-47941-01 收纳盒", [adapter])
    assert case and case.certainty is Certainty.REVIEW


def test_accessory_words_count_only_as_words() -> None:
    bookcase = HazardRecord(
        source="us-cpsc",
        record_id="BC-1",
        date="",
        names={"en": "five-shelf bookcase"},
        brand="Nordvik",
        identifiers=Identifiers(model=("BK-5520",)),
    )
    found = only("Nordvik oak bookcase BK-5520", [bookcase])
    assert found and found.certainty is Certainty.CERTAIN
    cover = only("Nordvik BK-5520 dust cover", [bookcase])
    assert cover and cover.reason == f"{REASON}accessory"


def test_a_title_naming_another_model_is_no_name_match() -> None:
    # the same words as the notice, but a model number the notice does not list
    other = match([listing("Anker PowerCore 10000 power bank A1290 10000mAh")], HAZARDS)
    assert [m for m in other if m.hazard is POWER_BANK] == []
    # a capacity is a measure, not a model number: the name still counts
    same = match([listing("앤커 PowerCore 10000 power bank 10000mAh")], HAZARDS)
    assert [m.hazard for m in same] == [POWER_BANK]
    assert same[0].method is MatchMethod.NAME and same[0].certainty is Certainty.REVIEW
