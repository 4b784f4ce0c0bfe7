"""The Korean interface: no English words left in the terminal outputs of
audit, scan and audit --traffic (only names, codes and quotes), while the JSON
keeps the codes."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

import pytest
import yaml

from privwatch.cli import main
from tests.conftest import ROOT

EXAMPLE = ROOT / "examples" / "nuri-market"
SESSION = [
    "--persona",
    str(EXAMPLE / "persona.yaml"),
    "--site",
    "nurimarket.example",
]
#: codes of how a value was sent (hashes and encodings keep their names)
ENCODINGS = {"sha256", "sha1", "md5", "base64", "url", "gzip", "hex", "json"}
LAWS = [
    law
    for country in yaml.safe_load(
        (ROOT / "src/privwatch/attribution/data/country_profiles.yaml").read_text(
            encoding="utf-8"
        )
    )["countries"].values()
    for law in country.get("state_access_laws", [])
]
#: statute citations in the statute's own numbering, and the laws' Korean names
#: (which keep their official citation, "L.N. 139 of 2020")
CITATIONS = [law["provisions"] for law in LAWS if law.get("provisions")] + [
    law["name"]["ko"] for law in LAWS
]
#: the program and its rule pack, named in every report's footer
PRODUCT = ["privwatch", "kr-pipa"]


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    captured = capsys.readouterr()
    return int(exit_info.value.code or 0), captured.out, captured.err


def english_words(text: str, names: Iterable[str] = ()) -> list[str]:
    """The ASCII words of ``text`` that are neither names (``names``, or any
    word of one, cut or not), codes (rule ids, hosts, paths: anything with a
    dot, slash or digit; ISO country codes; encodings) nor inside quotes."""
    every = [*names, *PRODUCT]
    allowed = {w for name in every for w in re.findall(r"[A-Za-z][\w-]*", name)}
    words = []
    for line in text.splitlines():
        line = re.sub(r"“.*?”|⟦.*?⟧|\".*?\"|'.*?'", " ", line)
        for citation in CITATIONS:
            line = line.replace(citation, " ")
        for token in re.findall(r"[A-Za-z][\w.\-/:@#]*…?", line):
            word = token.rstrip(".,:…")
            if re.search(r"[./\d:@#_]", word) or re.fullmatch(r"[A-Z]{2}", word):
                continue
            if word in ENCODINGS or word in allowed:
                continue
            if token.endswith("…") and any(a.startswith(word) for a in allowed):
                continue  # a name cut at the cell's edge
            words.append(word)
    return words


def test_checker_catches_english_words() -> None:
    sample = "  HIGH   전화번호 → Meta Platforms, Inc. (US, third)  (kr-pipa.17.x)"
    assert english_words(sample, ["Meta Platforms, Inc."]) == ["HIGH", "third"]
    assert english_words("“we share data” 인용 ⟦phone⟧ sha256 example.com") == []


def _organisations(capsys: pytest.CaptureFixture[str]) -> list[str]:
    code, out, err = run(
        ["scan", str(EXAMPLE / "session.har"), *SESSION, "-f", "json"], capsys
    )
    assert code == 0, err
    return [f["organization"] for f in json.loads(out)["flows"] if f["organization"]]


def test_korean_scan_table_has_no_english(capsys) -> None:
    names = _organisations(capsys)
    code, out, err = run(
        ["--lang", "ko", "scan", str(EXAMPLE / "session.har"), *SESSION], capsys
    )
    assert code == 0, err
    assert "전화번호" in out and "주민등록" in out and "이메일" in out
    assert "제3자" in out and "자사" in out and "시험 계정" in out
    assert english_words(out, names) == []


def test_english_scan_table_keeps_the_codes(capsys) -> None:
    code, out, err = run(["scan", str(EXAMPLE / "session.har"), *SESSION], capsys)
    assert code == 0, err
    assert "phone" in out and "third" in out and "persona" in out
    assert "전화번호" not in out


def test_korean_scan_json_keeps_the_codes(capsys) -> None:
    code, out, err = run(
        ["--lang", "ko", "scan", str(EXAMPLE / "session.har"), *SESSION, "-f", "json"],
        capsys,
    )
    assert code == 0, err
    flows = json.loads(out)["flows"]
    assert {"phone", "email"} <= {f["data_type"] for f in flows}
    assert {"first", "third"} <= {f["party"] for f in flows}


def _audit(lang: str, capsys, *extra: str) -> str:
    code, out, err = run(
        [
            "--lang",
            lang,
            "audit",
            str(EXAMPLE / "privacy-ko.md"),
            "--traffic",
            str(EXAMPLE / "session.har"),
            *SESSION,
            "--domestic",
            *extra,
        ],
        capsys,
    )
    assert code == 0, err
    return out


def test_korean_audit_with_traffic_has_no_english(capsys) -> None:
    names = _organisations(capsys)
    out = _audit("ko", capsys)
    assert "  높음 " in out and "  보통 " in out and "  낮음 " in out
    assert "HIGH" not in out and "MEDIUM" not in out
    assert "개인정보(전화번호)" in out and "(phone)" not in out
    assert "전화번호 → Alibaba Group Holding Limited" in out  # finding titles
    assert "(HK, 제3자)" in out  # say versus do: party in Korean
    assert english_words(out, names) == []


def test_korean_audit_json_keeps_the_codes(capsys) -> None:
    data = json.loads(_audit("ko", capsys, "-f", "json"))
    assert {f["severity"] for f in data["findings"]} == {"high", "medium", "low"}
    assert {r["data_type"] for r in data["consistency"]} >= {"phone", "rrn"}


def test_english_audit_keeps_its_words(capsys) -> None:
    out = _audit("en", capsys)
    assert "  HIGH " in out and "personal data (phone)" in out
    assert "(HK, third)" in out


def test_korean_audit_without_traffic_has_no_english(capsys) -> None:
    code, out, err = run(
        ["--lang", "ko", "audit", str(ROOT / "tests/fixtures/policy_ko.md")], capsys
    )
    assert code == 0, err
    assert english_words(out) == []


# --- particles --------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "topic", "subject", "object_", "with_", "toward"),
    [
        ("문서", "는", "가", "를", "와", "로"),  # no final consonant
        ("정책", "은", "이", "을", "과", "으로"),  # a final consonant
        ("서울", "은", "이", "을", "과", "로"),  # ㄹ: 서울로
        ("파일 2", "는", "가", "를", "와", "로"),  # 이
        ("3", "은", "이", "을", "과", "으로"),  # 삼
        ("10", "은", "이", "을", "과", "으로"),  # 십
        ("7", "은", "이", "을", "과", "로"),  # 칠
        ("URL", "은", "이", "을", "과", "로"),  # 유알엘
        ("HTTP", "는", "가", "를", "와", "로"),  # 에이치티티피
    ],
)
def test_particles_follow_the_final_consonant(
    word: str, topic: str, subject: str, object_: str, with_: str, toward: str
) -> None:
    from privwatch.i18n import particle

    picked = [particle(word, p) for p in ("은(는)", "이(가)", "을(를)", "과(와)")]
    assert picked == [topic, subject, object_, with_]
    assert particle(word, "(으)로") == toward


@pytest.mark.parametrize("word", ["policy.txt", "Google", "'x'", "kr-pipa", "(a)", ""])
def test_a_word_without_an_obvious_reading_keeps_the_paired_form(word: str) -> None:
    from privwatch.i18n import particle

    assert particle(word, "은(는)") == "은(는)"
    assert particle(word, "(으)로") == "(으)로"


def test_messages_choose_their_particles() -> None:
    from privwatch.i18n import message

    assert message("input.is_directory", "ko", path="문서").startswith("문서는 ")
    assert message("input.is_directory", "ko", path="정책").startswith("정책은 ")
    assert message("input.is_directory", "ko", path="a/b.md").startswith("a/b.md은(는)")
    said = message("user.added", "ko", name="김철수", role="admin")
    assert said.startswith("김철수를 ")
    assert message("input.is_directory", "en", path="문서").startswith("문서 is ")


def test_no_message_keeps_a_paired_particle_after_a_hangul_value() -> None:
    """Every ko message with a field before a paired particle picks it."""
    from privwatch.i18n import _PARTICLE, _catalog, message

    keys = [k for k, e in _catalog().items() if _PARTICLE.search(e["ko"])]
    assert len(keys) >= 25
    for key in keys:
        fields = set(re.findall(r"\{(\w+)", _catalog()[key]["ko"]))
        text = message(key, "ko", **dict.fromkeys(fields, "문서"))
        assert not re.search(
            r"문서(은\(는\)|이\(가\)|을\(를\)|와\(과\)|\(으\)로)", text
        )


def test_korean_cli_error_picks_the_particle(tmp_path, capsys) -> None:
    folder = tmp_path / "문서"
    folder.mkdir()
    code, _, err = run(["--lang", "ko", "ingest", str(folder)], capsys)
    assert code == 2
    assert f"{folder}는 문서가 아니라 디렉터리입니다" in err
    assert "(는)" not in err


def test_rule_templates_pick_their_particles() -> None:
    from privwatch.models import Finding
    from privwatch.rules.words import finding_words

    def explanation(organization: str, data_type: str, lang: str = "ko") -> str:
        finding = Finding(
            rule="kr-pipa.28-8.flow_disclosure_incomplete",
            law="kr-pipa",
            article="28-8(2)",
            severity="high",
            params=(
                ("organization", organization),
                ("data_type", data_type),
                ("country", "US"),
            ),
        )
        return finding_words(finding, lang).explanation

    assert "구글코리아로 전화번호가 갔습니다" in explanation("구글코리아", "phone")
    assert "한빛은행으로 이메일 주소가 갔습니다" in explanation("한빛은행", "email")
    assert "Google LLC로 이름이 갔습니다" in explanation("Google LLC", "name")  # 엘엘씨
    assert "Meta Platforms, Inc.(으)로" in explanation("Meta Platforms, Inc.", "name")
    assert "{data_type}" not in explanation("x", "phone", "en")


# --- --lang on every command; click's usage errors in Korean ----------------

POLICY = ROOT / "tests" / "fixtures" / "policy_ko.md"


def outline(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """What ``argv`` prints, its time of reading left out."""
    code, out, err = run(argv, capsys)
    assert code == 0, err
    return re.sub(r"\d{4}-\d\d-\d\dT[\d:.]+(?:[+-]\d\d:\d\d|Z)?", "TIME", out)


def test_lang_after_the_subcommand_works(capsys) -> None:
    after = outline(["ingest", str(POLICY), "--lang", "ko"], capsys)
    before = outline(["--lang", "ko", "ingest", str(POLICY)], capsys)
    english = outline(["--lang", "en", "ingest", str(POLICY)], capsys)
    assert after == before != english
    assert "조항" in after and "clauses" not in after


def test_the_lang_closest_to_the_command_wins(capsys) -> None:
    korean = outline(["--lang", "ko", "ingest", str(POLICY)], capsys)
    english = outline(["--lang", "en", "ingest", str(POLICY)], capsys)
    argv = ["--lang", "en", "ingest", str(POLICY), "--lang", "ko"]
    assert outline(argv, capsys) == korean
    argv = ["--lang", "ko", "ingest", "--lang=en", str(POLICY)]
    assert outline(argv, capsys) == english


def test_every_command_accepts_lang(capsys) -> None:
    from privwatch.cli import build_cli

    def commands(group):
        for command in group.commands.values():
            yield command
            if hasattr(command, "commands"):
                yield from commands(command)

    for command in commands(build_cli("en")):
        assert any(p.name == "lang" for p in command.params), command.name
    code, _, err = run(["watch", "list", "--lang", "ko", "--bogus"], capsys)
    assert code == 2 and "없는 옵션입니다: --bogus" in err


def assert_korean_usage_error(code: int, err: str, expected: str) -> None:
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    assert lines[0].startswith("privwatch: 사용법 오류: "), err
    assert expected in lines[0], err
    # only codes are left in ASCII: the program, options, metavars, values
    line = re.sub(r"--?[\w-]+|'[^']*'|\b[A-Z]+\b", " ", lines[0])
    assert english_words(line) == [], err


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["ingest"], "'원본' 인자가 빠졌습니다"),
        (["ingest", "x", "--bogus"], "없는 옵션입니다: --bogus"),
        (["ingest", "x", "--clause"], "(--clauses 옵션을 쓰려던 것입니까?)"),
        (
            ["audit", "x", "-f", "xml"],
            "'xml' 값은 고를 수 없습니다 (고를 수 있는 값: 'table', 'json', 'html')",
        ),
        (["audit", "x", "--traffic"], "'--traffic' 옵션에 값이 필요합니다"),
        (["bogus"], "없는 명령입니다: 'bogus'"),
        (["ingest", "a", "b.md"], "필요 없는 인자가 더 있습니다: b.md"),
    ],
)
def test_click_usage_errors_are_in_korean(capsys, argv, expected) -> None:
    code, _, err = run(["--lang", "ko", *argv], capsys)
    assert_korean_usage_error(code, err, expected)
    code, _, err = run([argv[0], "--lang", "ko", *argv[1:]], capsys)  # on the command
    assert_korean_usage_error(code, err, expected)


def test_click_usage_errors_stay_english_in_english(capsys) -> None:
    code, _, err = run(["--lang", "en", "ingest"], capsys)
    assert code == 2 and "Missing argument 'SOURCE'." in err
    code, _, err = run(["--lang", "en", "audit", "x", "-f", "xml"], capsys)
    assert "'xml' is not one of 'table', 'json', 'html'" in err


def test_a_korean_usage_error_from_the_installed_command(tmp_path) -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "privwatch", "ingest", "--lang", "ko", "--bogus"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [
        "privwatch: 사용법 오류: 없는 옵션입니다: --bogus (privwatch --help 참고)"
    ]


def test_diff_findings_name_their_severity_in_korean() -> None:
    import io

    from rich.console import Console

    from privwatch.diff import FindingDelta
    from privwatch.models import Finding
    from privwatch.report.diff import render_diff_html, render_diff_table

    finding = Finding(
        rule="kr-pipa.30.effective_date_missing",
        law="kr-pipa",
        article="30(2)",
        severity="medium",
    )
    delta = FindingDelta(new=[finding])
    for lang, word in (("ko", "  보통 "), ("en", "  MEDIUM ")):
        out = io.StringIO()
        render_diff_table("v1 → v2", [], delta, Console(file=out), lang=lang)
        assert word in out.getvalue()
    assert "<li>보통: " in render_diff_html("v1 → v2", [], delta, lang="ko")
    assert "<li>Medium: " in render_diff_html("v1 → v2", [], delta, lang="en")
