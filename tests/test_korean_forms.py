"""Korean form conventions and trackers' normalisations (issue 19, deliver 2
and 3): each planted once is found at its field with the chain that reached it;
decoys (hp1 alone, a city alone, an order number shaped like a customs code, a
UTF-8 string that CP949 could also read) are not."""

from __future__ import annotations

from pathlib import Path

import pytest

from privwatch.attribution import Registry
from privwatch.detectors import DetectorRegistry
from privwatch.traffic.korean import address_forms, form_pairs, romanise
from privwatch.traffic.persona import Persona
from privwatch.traffic.scan import Flow, scan_har
from privwatch.traffic.seeds import SeedMatcher, variants
from privwatch.yamlfile import packaged
from tests.hars import (
    FORM,
    KR_PERSONA,
    SHOP,
    cp949,
    entry,
    korean_form_entries,
    scan_with,
    sha256_b64url,
    sha256_hex,
    write_har,
)

DECOYS = (16, 17, 18, 19)


def _scan(tmp_path: Path, *, persona: bool = True) -> list[Flow]:
    har = write_har(tmp_path / "forms.har", korean_form_entries())
    return scan_har(
        har,
        site="shop.example.kr",
        detectors=DetectorRegistry.builtin(),
        registry=Registry.builtin(),
        persona=Persona.model_validate(KR_PERSONA) if persona else None,
    ).flows


@pytest.fixture(scope="module")
def flows(tmp_path_factory: pytest.TempPathFactory) -> list[Flow]:
    return _scan(tmp_path_factory.mktemp("k"))


@pytest.fixture(scope="module")
def detected(tmp_path_factory: pytest.TempPathFactory) -> list[Flow]:
    return _scan(tmp_path_factory.mktemp("kd"), persona=False)


def found(flows: list[Flow], index: int, data_type: str) -> list[tuple[str, str]]:
    return [
        (f.name, f.via)
        for f in flows
        if f.entry_index == index and f.data_type == data_type
    ]


@pytest.mark.parametrize(
    ("index", "data_type", "name", "via"),
    [
        pytest.param(0, "phone", "hp1+hp2+hp3", "query hp1+hp2+hp3 → phone (digits)", id="hp-split-query"),
        pytest.param(1, "email", "email1+email3", "body email1+email3 → email (lowercase)", id="email-split-select"),
        pytest.param(2, "rrn", "jumin1+jumin2", "body multipart jumin1+jumin2 → rrn (digits)", id="jumin-split-multipart"),
        pytest.param(3, "phone", "mobile1+mobile2+mobile3", "body mobile1+mobile2+mobile3 → phone (digits)", id="mobile-split-json"),
        pytest.param(4, "name", "rname", "query rname → cp949 → name", id="euc-kr-query"),
        pytest.param(5, "address", "raddr", "body raddr → cp949 → address", id="euc-kr-form-body"),
        pytest.param(6, "name", "writer", "body multipart writer → cp949 → name", id="euc-kr-multipart-charset"),
        pytest.param(7, "name", "writer", "body multipart writer → cp949 → name", id="cp949-multipart-no-charset"),
        pytest.param(8, "address", "", "body → address (address-short)", id="sido-short-form"),
        pytest.param(9, "address", "", "body → address (address-roman)", id="romanised-address"),
        pytest.param(10, "customs_code", "", "body → customs_code (lowercase)", id="customs-code"),
        pytest.param(11, "email", "em", "query em → email (gmail-canonical+sha256-base64url)", id="google-ec-gmail-dots"),
        pytest.param(12, "name", "ud[fn]", "query ud[fn] → name (first-name+sha256)", id="meta-first-name"),
        pytest.param(12, "name", "ud[ln]", "query ud[ln] → name (last-name+sha256)", id="meta-last-name"),
        pytest.param(13, "phone", "", "body → phone (national-no0+sha256)", id="phone-without-leading-zero"),
        pytest.param(14, "phone", "ph", "query ph → phone (sha256-base64url)", id="phone-e164-base64url"),
        pytest.param(15, "birth_date", "birth_y+birth_m+birth_d", "query birth_y+birth_m+birth_d → birth_date (digits)", id="birth-split"),
    ],
)  # fmt: skip
def test_each_convention_is_found_with_its_chain(
    flows: list[Flow], index: int, data_type: str, name: str, via: str
) -> None:
    assert (name, via) in found(flows, index, data_type)


def test_decoys_are_not_reported(flows: list[Flow], detected: list[Flow]) -> None:
    for flow in flows + detected:
        assert flow.entry_index not in DECOYS, flow


def test_no_field_is_read_as_cp949_when_it_is_utf8(flows: list[Flow]) -> None:
    assert not [
        f for f in flows if "cp949" in f.via and f.entry_index not in (4, 5, 6, 7)
    ]
    assert form_pairs("q=%EB%B0%B0%EC%86%A1") == [("q", "배송", False)]


def test_the_customs_code_detector_needs_context(detected: list[Flow]) -> None:
    codes = [(f.entry_index, f.name) for f in detected if f.data_type == "customs_code"]
    assert codes == [(10, "")]  # "pccc" before it in the body is its context
    labelled = DetectorRegistry.builtin().detect("개인통관고유부호: P987654321098")
    assert [d.entity for d in labelled] == ["customs_code"]
    assert all(
        d.score < 0.35
        for d in DetectorRegistry.builtin().detect("order P987654321098")
        if d.entity == "customs_code"
    )


def test_split_joins_need_every_part(flows: list[Flow]) -> None:
    assert not found(flows, 16, "phone")


@pytest.mark.parametrize(
    ("word", "roman"),
    [("테헤란", "Teheran"), ("강남", "Gangnam"), ("종", "Jong"), ("신라", "Silla"),
     ("왕십리", "Wangsimni"), ("독립", "Dongnip"), ("판교역", "Pangyoyeok"),
     ("해운대", "Haeundae"), ("광화문", "Gwanghwamun"), ("여의도", "Yeouido")],
)  # fmt: skip
def test_romanisation_follows_the_revised_romanization(word: str, roman: str) -> None:
    assert romanise(word) == roman


def test_address_forms_always_hold_the_road_and_the_number() -> None:
    forms = address_forms("경기도 성남시 분당구 판교역로 235")
    assert "Pangyoyeok-ro 235" in forms and "235 Pangyoyeok-ro" in forms
    assert "경기 성남시 분당구 판교역로 235" in forms
    assert all("235" in text for text in forms)
    assert address_forms("서울특별시 강남구") == {}  # no road: nothing but the value


def test_hash_only_forms_are_never_matched_as_written() -> None:
    found = variants("name", "김하늘")
    assert "하늘" not in found and "김" not in found
    assert "1023456789" not in variants("phone", "010-2345-6789")
    assert cp949("김") == "%B1%E8"


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("배송지: 테헤란로 152, 3층", True),
        ("ship to 152 Teheran-ro, Gangnam-gu", True),
        ("테헤란로 152-3", False),
        ("테헤란로152번길 7", False),
        ("Teheran-ro 152beon-gil 7", False),
        ("Teheran-ro 152 gil", False),
        ("서울 강남구", False),
        ("Seoul", False),
    ],
)
def test_an_address_matches_on_its_own_building_only(text: str, found: bool) -> None:
    matcher = SeedMatcher(Persona(address="서울특별시 강남구 테헤란로 152"))
    assert bool(list(matcher.find(text))) is found


def test_a_plus_tag_and_gmail_dots_are_removed_before_hashing() -> None:
    found = variants("email", "Ha.Neul+shop@gmail.com")
    assert (
        found[sha256_b64url("haneul@gmail.com")] == "gmail-canonical+sha256-base64url"
    )
    assert found[sha256_hex("ha.neul@gmail.com")] == "plus-removed+sha256"
    assert found[sha256_hex("ha.neul+shop@gmail.com")] == "sha256"  # lower-cased


def test_every_documented_normalisation_names_its_source() -> None:
    data = packaged("privwatch", "data/tracker_hashing.yaml", dict)
    for name, destination in data["destinations"].items():
        assert destination["sources"] or not destination["verified"], name


def test_recorded_params_still_percent_encoded_are_read_as_cp949(
    tmp_path: Path,
) -> None:
    """A form the recorder also parsed into ``postData.params`` with values
    left percent-encoded: the value is read as CP949 there too."""
    item = entry(f"{SHOP}/order", method="POST", body="", mime=FORM)
    item["request"]["postData"]["params"] = [
        {"name": "rname", "value": cp949("김하늘")}
    ]
    har = write_har(tmp_path / "params.har", [item])
    flows = scan_with(har, KR_PERSONA, site="shop.example.kr").flows
    assert [(f.data_type, f.via) for f in flows] == [
        ("name", "body rname → cp949 → name")
    ]


def _name_flows(tmp_path: Path, entries: list, persona: dict) -> set[tuple[int, str]]:
    har = write_har(tmp_path / "names.har", entries)
    flows = scan_with(har, persona, site="shop.example.kr").flows
    return {
        (f.entry_index, f.name)
        for f in flows
        if f.data_type == "name" and f.source == "persona"
    }


def test_a_name_sent_in_parts_is_found_in_its_part_fields(tmp_path: Path) -> None:
    """김하늘 sent as last_name 김 / first_name 하늘 (an SDK's user attributes),
    성/이름 form inputs, given_name/family_name; "Jane Doe" as firstName and
    billing_last_name. The parts count only in a field named for that part."""
    import json

    attributes = {"attributes": [{"external_id": "u1", "first_name": "하늘",
                                  "last_name": "김", "email_subscribe": "opted_in"}]}  # fmt: skip
    entries = [
        entry(
            "https://sdk.iad-01.braze.com/api/v3/data",
            method="POST",
            body=json.dumps(attributes, ensure_ascii=False),
        ),  # fmt: skip
        entry(
            f"{SHOP}/member/join",
            method="POST",
            mime=FORM,
            body="%EC%84%B1=%EA%B9%80&%EC%9D%B4%EB%A6%84=%ED%95%98%EB%8A%98",
        ),  # fmt: skip
        entry(
            f"{SHOP}/oauth/profile?given_name=%ED%95%98%EB%8A%98&family_name=%EA%B9%80"
        ),
    ]
    found = _name_flows(tmp_path, entries, KR_PERSONA)
    assert {(0, "first_name"), (0, "last_name")} <= found
    assert {(1, "성"), (1, "이름"), (2, "given_name"), (2, "family_name")} <= found
    western = [
        entry(
            f"{SHOP}/checkout",
            method="POST",
            mime=FORM,
            body="firstName=jane&billing_last_name=Doe&country=US",
        ),  # fmt: skip
    ]
    assert _name_flows(tmp_path, western, {"name": "Jane Doe"}) == {
        (0, "firstName"),
        (0, "billing_last_name"),
    }


def test_a_name_part_is_never_matched_in_another_field(tmp_path: Path) -> None:
    """하늘 as a nickname, a search word or a comment, 김 as a first name, a
    given name with more around it: none is the persona's name."""
    entries = [
        entry(f"{SHOP}/search?q=%ED%95%98%EB%8A%98&nickname=%ED%95%98%EB%8A%98"),
        entry(f"{SHOP}/p?first_name=%EA%B9%80&last_name=%ED%95%98%EB%8A%98"),
        entry(f"{SHOP}/p?first_name=%ED%95%98%EB%8A%98%EC%9D%B4&username=%EA%B9%80"),
    ]
    assert _name_flows(tmp_path, entries, KR_PERSONA) == set()


@pytest.mark.parametrize(
    ("field", "part"),
    [
        ("first_name", "given"),
        ("attributes[0].firstName", "given"),
        ("shipping_first_name", "given"),
        ("family_name", "family"),
        ("성", "family"),
        ("이름", "given"),
        ("name", None),
        ("username", None),
        ("nickname", None),
        ("성별", None),  # gender, not 성
        ("fn", None),  # too short to say
    ],
)
def test_name_part_fields(field: str, part: str | None) -> None:
    from privwatch.traffic.korean import name_field

    assert name_field(field) == part


def test_split_fields_inside_decoded_containers_are_joined(tmp_path: Path) -> None:
    """hp1/hp2/hp3 inside a base64 form value, inside JSON written in a JSON
    string, inside a base64 body; a name's parts inside base64 JSON. hp1 and
    hp2 alone inside base64 are still no phone."""
    import base64
    import json

    def b64(text: str) -> str:
        return base64.b64encode(text.encode()).decode()

    inner = {"mobile1": "010", "mobile2": "2345", "mobile3": "6789"}
    entries = [
        entry(
            f"{SHOP}/log",
            method="POST",
            mime=FORM,
            body="d=" + b64("hp1=010&hp2=2345&hp3=6789&t=1"),
        ),  # fmt: skip
        entry(
            f"{SHOP}/api/event",
            method="POST",
            body=json.dumps({"event": "order", "payload": json.dumps(inner)}),
        ),  # fmt: skip
        entry(
            f"{SHOP}/api/b64",
            method="POST",
            mime="text/plain",
            body=b64(
                json.dumps({"user": {"hp1": "010", "hp2": "2345", "hp3": "6789"}})
            ),
        ),  # fmt: skip
        entry(
            f"{SHOP}/api/name",
            method="POST",
            mime=FORM,
            body="u="
            + b64(
                json.dumps(
                    {"first_name": "하늘", "last_name": "김"}, ensure_ascii=False
                )
            ),
        ),  # fmt: skip
        entry(
            f"{SHOP}/log",
            method="POST",
            mime=FORM,
            body="d=" + b64("hp1=010&hp2=2345&memo=hello"),
        ),  # fmt: skip
    ]
    har = write_har(tmp_path / "containers.har", entries)
    flows = scan_with(har, KR_PERSONA, site="shop.example.kr").flows
    phones = {
        (f.entry_index, f.name, f.encoding)
        for f in flows
        if f.data_type == "phone" and f.source == "persona"
    }
    assert (0, "hp1+hp2+hp3", "base64+joined+digits") in phones
    assert (1, "mobile1+mobile2+mobile3", "joined+digits") in phones
    assert (2, "hp1+hp2+hp3", "base64+joined+digits") in phones
    assert not any(index == 4 for index, _, _ in phones)
    names = {
        (f.entry_index, f.name)
        for f in flows
        if f.data_type == "name" and f.source == "persona"
    }
    assert {(3, "first_name"), (3, "last_name")} <= names
