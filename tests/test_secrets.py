"""Planted personal data and secrets never leave privwatch unmasked, on any path:
the scan and say-versus-do reports in every format, what the store keeps (scan
--save, batch), and the dashboard's pages. Values are masked once, when a flow
is made (``traffic.mask``), so every output shows only the masked form; this
test greps every output for the planted values."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from privwatch.store import Store
from tests.hars import EMAIL, PERSONA, entry, planted_entries, write_har, write_persona
from tests.test_cli import run

COOKIE = "s3cr3t-session-token-value"
TOKEN = "Bearer abc.def.ghi"
PLANTED = (
    EMAIL,
    PERSONA["email"],
    "010-2345-6789",
    "01023456789",
    PERSONA["device_ids"][0],
    "900101-1234568",
    "4111 1111 1111 1111",
    "4111111111111111",
    COOKIE,
    TOKEN,
)
EXAMPLE = (
    Path(__file__).resolve().parent.parent
    / "examples"
    / "hanbit-market-privacy-ko.html"
)


def _leaks(text: str) -> list[str]:
    return [secret for secret in PLANTED if secret.lower() in text.lower()]


def test_no_output_path_shows_a_planted_secret(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.test_web import dashboard, signed_in_client

    har = write_har(
        tmp_path / "session.har",
        [
            *planted_entries(),
            entry(
                "https://api.temu.com/me",
                headers=[("Authorization", TOKEN)],
                cookies=[("session", COOKIE)],
            ),
        ],
    )
    persona = write_persona(tmp_path / "persona.yaml")
    db = f"sqlite:///{tmp_path / 'store.db'}"
    with Store(db) as store:
        store.add_platform("한빛마켓", country="KR")
    outputs: dict[str, str] = {}
    traffic = ["--persona", str(persona), "--site", "shop.example.kr"]
    for fmt in ("table", "json", "html"):
        code, out, err = run(["scan", str(har), *traffic, "-f", fmt], capsys)
        assert code == 0, err
        outputs[f"scan {fmt}"] = out + err
        code, out, err = run(
            ["audit", str(EXAMPLE), "--traffic", str(har), *traffic, "-f", fmt], capsys
        )
        assert code == 0, err
        outputs[f"audit --traffic {fmt}"] = out + err
    code, out, err = run(
        ["scan", str(har), *traffic, "--save", "한빛마켓", "--db", db, "-f", "json"],
        capsys,
    )
    assert code == 0, err

    manifest = tmp_path / "manifest.yaml"
    manifest.write_text(
        "traffic:\n  - {platform: Batch, har: session.har, site: shop.example.kr,"
        " persona: persona.yaml}\n",
        encoding="utf-8",
    )
    code, out, err = run(["batch", str(manifest), "--workers", "1", "--db", db], capsys)
    assert code == 0, err
    outputs["batch"] = out + err
    with Store(db) as store:
        for name in ("한빛마켓", "Batch"):
            (saved,) = store.scans(name)
            outputs[f"stored scan of {name}"] = json.dumps(
                saved.result, ensure_ascii=False
            )

    with dashboard(db) as (store, base, _), signed_in_client(base) as client:
        for platform in store.platforms():
            page = client.get(f"/platforms/{platform.id}")
            assert page.status_code == 200
            outputs[f"dashboard {platform.name}"] = page.text

    for path, text in outputs.items():
        assert not _leaks(text), f"{path} shows {_leaks(text)}"
    # the flows are there, masked: the paths were not simply empty
    for path in ("scan json", "stored scan of Batch", "dashboard Batch"):
        assert "ha***@example.org" in outputs[path].lower(), path


def test_a_broken_persona_file_is_not_quoted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """PyYAML quotes the line at fault in its messages; the error names the
    position only, so the persona's values stay off stderr."""
    from tests.test_cli import assert_one_line_error

    har = write_har(tmp_path / "session.har", planted_entries())
    persona = tmp_path / "persona.yaml"
    persona.write_text(f'name: 김하늘\nemail: "{EMAIL}\nphone: 010-2345-6789\n')
    code, _, err = run(
        ["scan", str(har), "--persona", str(persona), "--site", "x.kr"], capsys
    )
    assert_one_line_error(code, err, "line ")
    assert not _leaks(err) and "김하늘" not in err
