"""Listings: product pages (saved, served on loopback) and platforms' exports
read into ``Listing`` records; the ``products listings`` command."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from privwatch.errors import InputError, PrivwatchError
from privwatch.fields import selector
from privwatch.products.listings import read_listings, read_text
from privwatch.products.listings.platforms import FIELDS, mappings, platforms
from privwatch.products.listings.values import gtin_valid, title_language
from tests.conftest import FIXTURES, LocalServer, Route

PAGES = FIXTURES / "listings"


def one(name: str, **kwargs: str) -> dict:
    found = read_listings(name if name.startswith("/") else str(PAGES / name), **kwargs)
    assert len(found) == 1, found
    return found[0].to_dict()


# --- values -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("8801234567893", True),  # EAN-13
        ("036000291452", True),  # UPC-A
        ("96385074", True),  # EAN-8
        ("10012345678902", True),  # GTIN-14
        ("880-1234-567893", True),  # dashes between digits
        ("8801234567894", False),  # one off in the check digit
        ("880123456789", False),  # 12 digits, wrong check
        ("88012345678", False),  # 11 digits: no GTIN length
        ("8801234567a93", False),
        ("", False),
    ],
)
def test_gtin_check_digit(value: str, valid: bool) -> None:
    assert gtin_valid(value) is valid


@pytest.mark.parametrize(
    ("title", "declared", "language"),
    [
        ("해피웨이브 어린이 물놀이 튜브 80cm", "", "ko"),
        ("포근베베 유아 전기 보온 담요 PB-200", "en", "ko"),  # script beats the page
        ("儿童磁力积木玩具 64件套", "", "zh"),
        ("充電式カイロ ミニ", "", "ja"),
        ("Kids Slime Kit", "en-US", "en"),
        ("Kids Slime Kit", "", ""),  # a short Latin title does not settle it
        ("Kids Slime Kit", "ko", ""),  # nor does a Korean page
        ("12345", "", ""),
    ],
)
def test_title_language(title: str, declared: str, language: str) -> None:
    assert title_language(title, declared) == language


# --- generic schema.org and OpenGraph ---------------------------------------


def test_json_ld_graph_with_korean_title_and_won_price() -> None:
    item = one("generic_graph_ko.html")
    assert item["title"] == "해피웨이브 어린이 물놀이 튜브 80cm"
    assert item["brand"] == "해피웨이브"
    assert item["seller"] == "바다상사"
    assert item["identifiers"]["gtin"] == ("8801234567893",)
    assert item["identifiers"]["model"] == ("HW-TB80",)
    assert item["identifiers"]["other"] == ("HB-7781",)  # the sku, kept
    assert (item["price"], item["currency"]) == ("12,900 KRW", "KRW")
    assert item["language"] == "ko"
    assert item["category"] == "완구 > 물놀이"
    assert item["url"] == "https://shop.hanbit-mall.example/goods/7781"
    assert item["platform"] == "shop.hanbit-mall.example"
    assert item["fetched_at"]


def test_search_page_yields_each_product_and_keeps_a_bad_gtin_under_other() -> None:
    found = read_listings(str(PAGES / "search_itemlist.html"))
    assert [f.title for f in found] == [
        "Moonbeam LED Night Light for Kids",
        "Starry Projector Lamp",
        "Plug-in Glow Owl",
    ]
    assert found[0].identifiers.gtin == ("036000291452",)
    assert found[1].brand == "Glowtide"  # brand as an object
    assert found[1].price == "12.00 USD"  # offers as an array
    assert found[2].price == "3.20 USD"  # an AggregateOffer's low price
    assert found[2].identifiers.gtin == ()
    assert found[2].identifiers.other == ("1234567890123",)  # check digit fails
    assert found[0].url == "https://www.example-market.test/p/101"  # made absolute


def test_microdata_with_nested_brand_offer_and_seller_in_chinese() -> None:
    item = one("microdata_zh.html")
    assert item["title"] == "儿童磁力积木玩具 64件套"
    assert item["brand"] == "乐磁"  # the brand's name, not taken as the product's
    assert item["seller"] == "乐磁玩具旗舰店"
    assert (item["price"], item["currency"]) == ("89.00 CNY", "CNY")
    assert item["identifiers"]["model"] == ("LC-64M",)
    assert item["identifiers"]["gtin"] == ("6901234567892",)
    assert item["language"] == "zh"


def test_open_graph_product_tags_are_the_fallback() -> None:
    item = one("opengraph.html")
    assert item["title"] == "Aurora Hair Dryer 1800W Foldable"
    assert (item["price"], item["currency"], item["brand"]) == (
        "19.99 EUR",
        "EUR",
        "Aurora",
    )
    assert item["language"] == "en"


def test_a_page_without_a_product_is_an_error_not_an_empty_record() -> None:
    with pytest.raises(InputError) as info:
        read_listings(str(PAGES / "no_product.html"))
    assert info.value.key == "listings.no_product"
    assert "no product found" in info.value.render("en")
    assert "상품을 찾지 못했습니다" in info.value.render("ko")


# --- platforms as data --------------------------------------------------------


def test_aliexpress_run_params_with_unquoted_data_key() -> None:
    item = one("aliexpress_item.html")
    assert item["platform"] == "AliExpress"
    assert item["title"] == "便携式迷你暖手宝 充电款 5000mAh"  # not the JSON-LD name
    assert item["seller"] == "Warmhand Official Store"
    assert (item["price"], item["currency"]) == ("₩12,900", "KRW")
    assert item["category"] == "家用电器 > 暖手宝"
    assert item["listing_id"] == "1005000000012345"
    assert item["language"] == "zh"
    # what the state lacks comes from the page's JSON-LD
    assert item["identifiers"]["gtin"] == ("6901234567892",)
    assert item["identifiers"]["model"] == ("WH-5000",)


def test_temu_shein_and_naver_embedded_state() -> None:
    temu = one("temu_item.html")
    assert (temu["platform"], temu["title"]) == (
        "Temu",
        "Kids Slime Kit 24 Colours with Glitter",
    )
    assert (temu["seller"], temu["price"]) == ("Happyhands Toys", "$8.49")
    assert temu["currency"] == ""  # "$" alone is not a currency: left unsaid
    shein = one("shein_item.html")
    assert shein["title"] == "Girls Sequin Detail Knit Cardigan"
    assert shein["identifiers"]["model"] == ("sk2409123456",)
    assert shein["category"] == "Girls Cardigans"
    naver = one("naver_item.html")
    assert naver["platform"] == "네이버 스마트스토어 Naver SmartStore"
    assert (naver["price"], naver["currency"]) == ("25,000원", "KRW")
    assert (naver["seller"], naver["brand"]) == ("다솜키즈", "다솜키즈")
    assert naver["identifiers"]["model"] == ("DS-T10",)
    assert naver["category"] == "출산/육아>유아용품>치발기"


def test_coupang_and_gmarket_selectors_item_and_search_pages() -> None:
    item = one("coupang_item.html")
    assert item["title"] == "포근베베 유아 전기 보온 담요 [무료배송] PB-200"
    assert (item["brand"], item["seller"]) == ("포근베베", "포근상회")
    assert (item["price"], item["currency"]) == ("39,800원", "KRW")
    found = read_listings(str(PAGES / "coupang_search.html"))
    assert [(f.title, f.price) for f in found] == [
        ("말랑 슬라임 키트 12색", "9,900원"),
        ("반짝이 액체괴물 대용량 500ml", "12,500원"),
        ("어린이 점토 세트", "7,000원"),
    ]
    assert found[1].url == "https://www.coupang.com/vp/products/12"
    gmarket = read_listings(str(PAGES / "gmarket_search.html"))
    assert [f.title for f in gmarket] == [
        "고속 충전기 65W GaN 3포트",
        "차량용 충전기 C타입",
    ]
    assert {f.platform for f in gmarket} == {"G마켓 Gmarket"}


def test_platform_given_for_a_page_saved_without_its_address(tmp_path: Path) -> None:
    html = (PAGES / "coupang_item.html").read_text("utf-8")
    saved = tmp_path / "page.html"
    saved.write_text(re.sub(r"<link rel=\"canonical\"[^>]*>", "", html), "utf-8")
    with pytest.raises(InputError):  # no address, no structured data: nothing
        read_listings(str(saved))
    assert read_listings(str(saved), platform="coupang")[0].brand == "포근베베"
    with pytest.raises(InputError) as info:
        read_listings(str(saved), platform="nosuchmarket")
    assert info.value.key == "listings.unknown_platform"


def test_euc_kr_page_is_decoded(tmp_path: Path) -> None:
    html = (PAGES / "generic_graph_ko.html").read_text("utf-8")
    html = html.replace('<meta charset="utf-8">', '<meta charset="euc-kr">')
    html = html.replace("₩", "")  # not in EUC-KR
    saved = tmp_path / "euckr.html"
    saved.write_bytes(html.encode("cp949"))
    assert read_listings(str(saved))[0].title == "해피웨이브 어린이 물놀이 튜브 80cm"


def test_platform_files_are_sourced_and_their_selectors_and_markers_parse() -> None:
    assert {p.id for p in platforms()} >= {
        "aliexpress", "temu", "shein", "coupang", "11st", "gmarket", "naver-smartstore",
    }  # fmt: skip
    for platform in platforms():
        assert platform.sources, platform.id
        if platform.id_pattern:
            assert re.compile(platform.id_pattern).groups == 1, platform.id
        if platform.price_template:
            assert platform.price_template.format(amount="1,000", currency="KRW")
        for state in platform.state:
            if state.url_template:
                assert state.url_template.format(listing_id="1").startswith("https://")
        for state in platform.state:
            assert bool(state.marker) != bool(state.selector), platform.id
            if state.marker:
                re.compile(state.marker)
            assert set(state.fields) <= set(FIELDS), platform.id
            assert "title" in state.fields, platform.id
        for block in platform.selectors:
            for css in [block.item] + [
                o for opts in block.fields.values() for o in opts
            ]:
                if css:
                    assert selector(css.partition("@")[0]), (platform.id, css)
        unconfirmed = [s for s in platform.state if not s.confirmed] + [
            b for b in platform.selectors if not b.confirmed
        ]
        if unconfirmed or not (platform.state or platform.selectors):
            assert platform.notes or "NOT confirmed" in _text(platform.id), platform.id


def _text(platform_id: str) -> str:
    from importlib import resources

    return (
        resources.files("privwatch.products")
        .joinpath(f"data/platforms/{platform_id}.yaml")
        .read_text("utf-8")
    )


# --- exports --------------------------------------------------------------------


def test_generic_csv_export() -> None:
    found = read_listings(str(PAGES / "export.csv"))
    assert [f.title for f in found] == [
        "Moonbeam LED Night Light for Kids",
        "어린이 물놀이 튜브 80cm",
    ]
    assert found[0].identifiers.gtin == ("036000291452",)
    assert (found[0].price, found[0].currency) == ("7.50 USD", "USD")
    assert found[1].identifiers.gtin == ()
    assert found[1].identifiers.other == ("8801234567894",)  # bad check digit, kept
    assert found[1].identifiers.model == ("HW TB-80",)  # as written
    assert (found[1].price, found[1].currency) == ("12,900원", "KRW")
    assert found[1].language == "ko"


def test_smartstore_csv_export_with_korean_headers() -> None:
    found = read_listings(str(PAGES / "export_smartstore.csv"))
    assert len(found) == 2
    assert found[0].platform == "네이버 스마트스토어 Naver SmartStore"
    assert found[0].identifiers.gtin == ("8809876543213",)
    assert (found[0].listing_id, found[0].currency) == ("8800001234", "KRW")


def test_json_export_through_its_records_path() -> None:
    found = read_listings(str(PAGES / "export_aliexpress.json"))
    assert [f.listing_id for f in found] == ["1005000000077001", "1005000000077002"]
    assert found[1].language == "zh"
    assert {f.platform for f in found} == {"AliExpress"}


def test_every_mapping_names_a_title_column() -> None:
    for mapping in mappings():
        assert mapping.columns.get("title"), mapping.id


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("broken.json", "listings.bad_export"),
        ("export_no_title.csv", "listings.no_title_column"),
        ("export_row_no_title.csv", "listings.row_no_title"),
    ],
)
def test_malformed_exports(name: str, key: str) -> None:
    with pytest.raises(InputError) as info:
        read_listings(str(PAGES / name))
    assert info.value.key == key


def test_own_json_output_reads_back() -> None:
    from privwatch.products.listings import to_json

    found = read_listings(str(PAGES / "search_itemlist.html"))
    text = json.dumps(to_json(found), ensure_ascii=False)
    again = read_text(text, source="out.json", fetched_at="x")
    assert again == found


# --- URLs through ingest's client and address policy ----------------------------


def test_a_served_page_is_read_through_the_client(server: LocalServer) -> None:
    body = (PAGES / "generic_graph_ko.html").read_bytes()
    url = server.add(
        "/goods/7781",
        Route(body=body, headers={"Content-Type": "text/html; charset=utf-8"}),
    )
    item = read_listings(url)[0]
    assert item.title == "해피웨이브 어린이 물놀이 튜브 80cm"
    assert item.url == url  # where it was seen (the canonical link is for saved pages)
    assert item.platform == "127.0.0.1"
    coupang = server.add(
        "/vp/products/1", Route(body=(PAGES / "coupang_item.html").read_bytes())
    )
    assert read_listings(coupang, platform="coupang")[0].seller == "포근상회"
    export = server.add(
        "/feed",
        Route(
            body=(PAGES / "export.csv").read_bytes(),
            headers={"Content-Type": "text/csv"},
        ),
    )
    assert len(read_listings(export)) == 2


def test_the_address_policy_holds(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = server.add("/p", Route(body=(PAGES / "opengraph.html").read_bytes()))
    monkeypatch.setenv("PRIVWATCH_ALLOW_NETWORKS", "")
    with pytest.raises(PrivwatchError) as info:
        read_listings(url)
    assert info.value.key == "fetch.refused_address"


# --- the command -------------------------------------------------------------------


def _run(args: list[str], lang: str = "en"):
    from privwatch.cli.products_listings import listings_command

    return CliRunner().invoke(listings_command(lang), args, env={"COLUMNS": "200"})


def test_command_prints_json_for_several_sources() -> None:
    result = _run(
        [str(PAGES / "coupang_search.html"), str(PAGES / "export.csv"), "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["schema"] == "privwatch.listings/1"
    assert len(data["listings"]) == 5
    assert data["listings"][0]["title"] == "말랑 슬라임 키트 12색"


def test_command_table_in_korean_keeps_brackets_in_titles() -> None:
    result = _run([str(PAGES / "coupang_item.html")], lang="ko")
    assert result.exit_code == 0
    assert "[무료배송]" in result.stdout  # not taken as markup
    assert "상품명" in result.stdout and "출처 1곳에서 상품 1개" in result.stdout


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("broken.json", "is not a readable listing export"),
        ("no_product.html", "no product found"),
        ("export_no_title.csv", "no product title column"),
        ("missing.html", "no such file"),
    ],
)
def test_command_bad_input_is_one_line_and_exit_2(name: str, expected: str) -> None:
    result = _run([str(PAGES / name)])
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("privwatch: ")
    assert expected in lines[0]
    assert "Traceback" not in result.output


def test_command_keeps_the_good_sources_when_one_fails() -> None:
    result = _run(
        [str(PAGES / "no_product.html"), str(PAGES / "naver_item.html"), "-f", "json"]
    )
    assert result.exit_code == 2
    assert len(json.loads(result.stdout)["listings"]) == 1
    assert len(result.stderr.strip().splitlines()) == 1


def test_command_unknown_platform_and_format_are_usage_errors() -> None:
    result = _run(
        [
            str(PAGES / "coupang_item.html"),
            str(PAGES / "opengraph.html"),
            "--platform",
            "nosuch",
        ]
    )
    assert result.exit_code == 2 and "no platform nosuch" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and result.stdout == ""
    assert _run([str(PAGES / "coupang_item.html"), "-f", "xml"]).exit_code == 2
    assert _run([]).exit_code == 2


# --- more malformed and odd inputs ---------------------------------------------


def test_deeply_nested_json_is_an_error_line(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(InputError) as info:
        read_listings(str(deep))
    assert info.value.key == "input.too_deep"
    page = tmp_path / "deep.html"
    page.write_text(
        '<script type="application/ld+json">'
        + "[" * 50_000
        + "]" * 50_000
        + "</script>"
    )
    with pytest.raises(InputError) as info:
        read_listings(str(page))
    assert info.value.key in ("input.too_deep", "listings.no_product")


def test_binary_and_empty_files(tmp_path: Path) -> None:
    binary = tmp_path / "image.html"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(InputError):
        read_listings(str(binary))
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(InputError) as info:
        read_listings(str(empty))
    assert info.value.key == "listings.empty_export"


def test_semicolon_csv_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "\ufeff상품명;판매가;바코드\n아기 체온계;19,900원;8801234567893\n", "utf-8"
    )
    found = read_listings(str(path))
    assert (found[0].title, found[0].price) == ("아기 체온계", "19,900원")
    assert found[0].identifiers.gtin == ("8801234567893",)


def test_saved_from_comment_names_the_platform(tmp_path: Path) -> None:
    html = (PAGES / "coupang_item.html").read_text("utf-8")
    html = re.sub(r"<link rel=\"canonical\"[^>]*>", "", html)
    saved = tmp_path / "saved.html"
    saved.write_text(
        "<!-- saved from url=(0043)https://www.coupang.com/vp/products/7000000001 -->\n"
        + html,
        "utf-8",
    )
    item = read_listings(str(saved))[0]
    assert (item.platform, item.brand) == ("쿠팡 Coupang", "포근베베")
    assert item.url == "https://www.coupang.com/vp/products/7000000001"


def test_an_unknown_platform_for_an_export_is_an_error() -> None:
    with pytest.raises(InputError) as info:
        read_listings(str(PAGES / "export.csv"), platform="nosuch")
    assert info.value.key == "listings.unknown_platform"
    assert read_listings(
        str(PAGES / "export_smartstore.csv"), platform="naver-smartstore"
    )


def test_next_data_script_state(tmp_path: Path) -> None:
    state = {
        "props": {
            "pageProps": {
                "goods": {"goodsName": "USB 미니 가습기 300ml", "goodsId": "6010"}
            }
        }
    }
    page = tmp_path / "temu.html"
    page.write_text(
        '<html lang="ko"><head><link rel="canonical" href="https://www.temu.com/kr/x-g-6010.html">'
        '<script id="__NEXT_DATA__" type="application/json">'
        + json.dumps(state, ensure_ascii=False)
        + "</script></head></html>",
        "utf-8",
    )
    item = one(str(page))
    assert (item["platform"], item["title"], item["listing_id"]) == (
        "Temu",
        "USB 미니 가습기 300ml",
        "6010",
    )
    assert (item["language"], item["currency"]) == ("ko", "")


def test_command_reads_a_folder(tmp_path: Path) -> None:
    for name in ("coupang_search.html", "export.csv", "opengraph.html"):
        (tmp_path / name).write_bytes((PAGES / name).read_bytes())
    (tmp_path / "notes.txt").write_text("not read")
    result = _run([str(tmp_path), "-f", "json"])
    assert result.exit_code == 0, result.stderr
    assert len(json.loads(result.stdout)["listings"]) == 6
    empty = tmp_path / "empty"
    empty.mkdir()
    result = _run([str(empty)])
    assert result.exit_code == 2
    assert "holds no pages or exports" in result.stderr


def test_aliexpress_search_page_init_data_gives_each_item_its_address() -> None:
    found = read_listings(str(PAGES / "aliexpress_search.html"))
    assert [(f.title, f.price, f.currency) for f in found] == [
        ("충전식 손난로 보조배터리 겸용 10000mAh", "₩9,870", "KRW"),
        ("USB 전기 손난로 미니", "₩4,120", "KRW"),
    ]
    assert found[0].url == "https://www.aliexpress.com/item/1005000000055501.html"
    assert {f.platform for f in found} == {"AliExpress"}
    assert {f.language for f in found} == {"ko"}


SCRIPTED_PRODUCT = """<!doctype html>
<html lang="ko"><head><meta charset="utf-8"><title>상품</title></head><body>
<script>
  const product = {"@context": "https://schema.org", "@type": "Product",
    "name": "\\ubcf4\\uc628 \\ubb3c\\ubcd1 500ml", "gtin13": "8801234567893",
    "offers": {"price": "15900", "priceCurrency": "KRW"}};
  const tag = document.createElement("script");
  tag.type = "application/ld+json";
  tag.textContent = JSON.stringify(product);
  document.head.appendChild(tag);
</script></body></html>"""


def test_render_reads_a_product_that_scripts_build(server: LocalServer) -> None:
    url = server.add(
        "/item/9",
        Route(
            body=SCRIPTED_PRODUCT.encode(),
            headers={"Content-Type": "text/html; charset=utf-8"},
        ),
    )
    with pytest.raises(InputError) as info:  # the bytes alone hold no product
        read_listings(url)
    assert info.value.key == "listings.no_product"
    item = read_listings(url, render=True)[0]  # real headless Chromium
    assert item.title == "보온 물병 500ml"
    assert (item.price, item.identifiers.gtin) == ("15,900 KRW", ("8801234567893",))
    result = _run([url, "--render", "-f", "json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["listings"][0]["title"] == "보온 물병 500ml"


def test_json_ld_of_another_product_never_fills_the_platforms_gaps(
    tmp_path: Path,
) -> None:
    html = (PAGES / "aliexpress_item.html").read_text("utf-8")
    other = html.replace(
        '"gtin13": "6901234567892"}',
        '"gtin13": "6901234567892", "url": "https://www.aliexpress.com/item/1005000000099999.html"}',
    )
    page = tmp_path / "ali.html"
    page.write_text(other, "utf-8")
    item = read_listings(str(page))[0]
    assert item.title == "便携式迷你暖手宝 充电款 5000mAh"
    assert item.identifiers.gtin == () and item.identifiers.model == ()


def test_a_single_file_save_gives_the_address_and_the_time_seen(tmp_path: Path) -> None:
    html = (PAGES / "naver_item.html").read_text("utf-8")
    html = re.sub(r"<link rel=\"canonical\"[^>]*>", "", html)
    header = (
        "<!--\n Page saved with SingleFile \n"
        " url: https://smartstore.naver.com/dasomkids/products/8800001234 \n"
        " saved date: Sun Dec 06 2026 19:33:22 GMT+0900 (Korean Standard Time)\n-->"
    )
    saved = tmp_path / "saved.html"
    saved.write_text(html.replace("<html", header + "<html", 1), "utf-8")
    item = read_listings(str(saved))[0]
    assert item.platform == "네이버 스마트스토어 Naver SmartStore"
    assert item.url == "https://smartstore.naver.com/dasomkids/products/8800001234"
    assert item.fetched_at == "2026-12-06T10:33:22+00:00"
    broken = tmp_path / "broken-date.html"
    broken.write_text(
        html.replace("<html", header.replace("Dec 06", "Foo 06") + "<html", 1), "utf-8"
    )
    assert read_listings(str(broken))[0].fetched_at != "2026-12-06T10:33:22+00:00"


def test_11st_is_read_by_the_generic_reader_with_its_currency() -> None:
    item = one("11st_item.html")
    assert item["platform"] == "11번가 11st"
    assert (item["price"], item["currency"]) == (
        "189,000원",
        "KRW",
    )  # the file's default
    assert (item["brand"], item["identifiers"]["model"]) == ("새싹", ("SS-C300",))


def test_microdata_store_page_with_several_products(tmp_path: Path) -> None:
    cards = "".join(
        f'<li itemscope itemtype="http://schema.org/Product"><span itemprop="name">'
        f'손선풍기 {n}호</span><span itemprop="brand">바람</span>'
        f'<div itemprop="offers" itemscope itemtype="http://schema.org/Offer">'
        f'<meta itemprop="priceCurrency" content="KRW"><span itemprop="price">{n}900</span>'
        f"</div></li>"
        for n in (1, 2, 3)
    )
    page = tmp_path / "store.html"
    page.write_text(f'<html lang="ko"><body><ul>{cards}</ul></body></html>', "utf-8")
    found = read_listings(str(page))
    assert [(f.title, f.brand, f.price) for f in found] == [
        ("손선풍기 1호", "바람", "1,900 KRW"),
        ("손선풍기 2호", "바람", "2,900 KRW"),
        ("손선풍기 3호", "바람", "3,900 KRW"),
    ]


def test_the_product_id_comes_from_the_address_when_the_page_states_none() -> None:
    assert one("coupang_item.html")["listing_id"] == "7000000001"
    assert [
        f.listing_id for f in read_listings(str(PAGES / "coupang_search.html"))
    ] == [
        "11",
        "12",
        "13",
    ]
    assert one("11st_item.html")["listing_id"] == "4000000001"
    assert one("temu_item.html")["listing_id"] == "601099512345678"  # stated: kept
    gmarket = read_listings(str(PAGES / "gmarket_search.html"))
    assert [f.listing_id for f in gmarket] == ["3001", "3002"]
    assert one("generic_graph_ko.html")["listing_id"] == ""  # no platform, no guess


def test_command_in_korean_and_to_a_file(tmp_path: Path) -> None:
    result = _run([str(PAGES / "no_product.html")], lang="ko")
    assert result.exit_code == 2
    assert "상품을 찾지 못했습니다" in result.stderr
    out = tmp_path / "listings.json"
    result = _run([str(PAGES / "naver_item.html"), "-f", "json", "-o", str(out)])
    assert result.exit_code == 0 and result.stdout == ""
    again = read_listings(str(out))  # the command's JSON is a source again
    assert again[0].title == "다솜키즈 아기 치발기 실리콘 DS-T10"


def test_help_in_korean_loads_no_reader() -> None:
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    probe = (
        "import sys\n"
        "from privwatch.cli.products_listings import listings_command\n"
        "try:\n"
        "    listings_command('ko').main(['--help'], prog_name='listings')\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(' '.join(sys.modules), file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=True,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert "상품 페이지" in result.stdout and "--render" in result.stdout
    loaded = set(result.stderr.split())
    assert not loaded & {
        "privwatch.products.listings",
        "selectolax",
        "httpx",
        "pydantic",
    }


def test_a_gs1_digital_link_gives_its_gtin(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text(
        '<script type="application/ld+json">{"@type": "Product", "name": "Cup",'
        ' "gtin": "https://id.gs1.org/01/08801234567893/10/LOT7"}</script>'
        '<script type="application/ld+json">{"@type": "Product", "name": "Bowl",'
        ' "gtin": "https://id.gs1.org/01/08801234567894"}</script>',
        "utf-8",
    )
    cup, bowl = read_listings(str(page))
    assert cup.identifiers.gtin == ("08801234567893",)
    assert bowl.identifiers.gtin == ()  # check digit fails: kept as written
    assert bowl.identifiers.other == ("https://id.gs1.org/01/08801234567894",)
