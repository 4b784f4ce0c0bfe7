from __future__ import annotations

import pytest

from privwatch.errors import UnsupportedTypeError
from privwatch.ingest.decode import charset_from_content_type, charset_from_meta, decode

KOREAN = "제1조(목적) 회사는 이용자의 개인정보를 소중히 여기며 똠방각하 햏 같은 글자도 씁니다."


@pytest.mark.parametrize(
    ("data", "declared", "text", "encoding"),
    [
        pytest.param(KOREAN.encode("utf-8"), None, KOREAN, "utf-8", id="utf-8"),
        pytest.param(
            b"\xef\xbb\xbf" + KOREAN.encode(), None, KOREAN, "utf-8-sig", id="utf-8-bom"
        ),
        pytest.param(KOREAN.encode("utf-16"), None, KOREAN, "utf-16", id="utf-16-bom"),
        pytest.param(
            KOREAN.encode("utf-16-be"), None, None, None, id="utf-16-no-bom-refused"
        ),
        pytest.param(
            KOREAN.encode("cp949"), None, KOREAN, "cp949", id="cp949-detected"
        ),
        pytest.param(
            KOREAN.encode("cp949"), "EUC-KR", KOREAN, "cp949", id="euc-kr-as-cp949"
        ),
        pytest.param(
            "café".encode("latin-1"), "iso-8859-1", "café", "cp1252", id="latin-1"
        ),
        pytest.param(
            KOREAN.encode("utf-8"), "euc-kr", KOREAN, "utf-8", id="wrong-declaration"
        ),
    ],
)
def test_decode(
    data: bytes, declared: str | None, text: str | None, encoding: str | None
) -> None:
    if text is None:
        with pytest.raises(UnsupportedTypeError):
            decode(data, declared=declared)
        return
    assert decode(data, declared=declared) == (text, encoding)


def test_charset_declarations() -> None:
    assert charset_from_content_type("text/html; charset=EUC-KR") == "EUC-KR"
    assert charset_from_content_type("text/html") is None
    assert charset_from_meta(b'<head><meta charset="euc-kr">') == "euc-kr"
    assert (
        charset_from_meta(
            b'<meta http-equiv="Content-Type" content="text/html; charset=ks_c_5601-1987">'
        )
        == "ks_c_5601-1987"
    )
