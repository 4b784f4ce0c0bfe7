"""Alerts for real: a loopback HTTP receiver for webhooks and a loopback SMTP
server (aiosmtpd) for mail, fed by watch cycles over a changing document."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from privwatch.store import Store
from privwatch.watch import Politeness, add_targets, load_targets, run_once
from tests.conftest import LocalServer, Route
from tests.test_watch import POLICY_V1, Changing

TRANSFER = (
    "\n## 제2조(국외 이전)\n\n"
    "회사는 서비스 제공을 위하여 회원의 개인정보를 해외의 협력업체에 이전할 수 있습니다.\n"
)


class Receiver:
    """A webhook endpoint on 127.0.0.1 that keeps every JSON body by path."""

    def __init__(self) -> None:
        self.received: dict[str, list[dict[str, Any]]] = {}
        received = self.received

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers["Content-Length"])
                body = json.loads(self.rfile.read(length))
                received.setdefault(self.path, []).append(body)
                self.send_response(500 if self.path == "/broken" else 204)
                self.end_headers()

            def log_message(self, *_: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"


class Inbox:
    """aiosmtpd handler: keeps each message as parsed mail."""

    def __init__(self) -> None:
        self.mails: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        mail = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(mail, EmailMessage)
        self.mails.append(mail)
        return "250 OK"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found = Receiver()
    found.thread.start()
    yield found
    found.httpd.shutdown()
    found.httpd.server_close()


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


def _targets(tmp_path: Path, policy_url: str, receiver: Receiver, port: int) -> Path:
    path = tmp_path / "targets.yaml"
    path.write_text(
        f"""platforms:
  - name: 한빛마켓
    country: KR
    documents:
      - {{type: privacy, url: "{policy_url}", language: ko}}
alerts:
  - {{webhook: "{receiver.url("/change")}", when: change}}
  - {{webhook: "{receiver.url("/findings")}", when: findings}}
  - {{webhook: "{receiver.url("/broken")}", when: change}}
  - when: high
    mail:
      host: 127.0.0.1
      port: {port}
      from: privwatch@watch.test
      to: [dpo@regulator.test, desk@regulator.test]
      language: ko
""",
        encoding="utf-8",
    )
    return path


def test_webhooks_and_mail_fire_on_their_triggers(
    server: LocalServer,
    receiver: Receiver,
    smtp: tuple[Inbox, int],
    tmp_path: Path,
) -> None:
    inbox, port = smtp
    document = Changing(POLICY_V1)
    policy_url = server.add("/privacy.md", Route(handler=document))
    store = Store(f"sqlite:///{tmp_path / 'watch.db'}")
    add_targets(store, load_targets(_targets(tmp_path, policy_url, receiver, port)))
    assert [a.trigger for a in store.alerts()] == [
        "change",
        "findings",
        "change",
        "high",
    ]
    polite = Politeness(delay=0)

    # the first version: no change yet, but its findings (and a high one) are new
    (first,) = run_once(store, politeness=polite, retries=0)
    assert first.result == "new" and first.alert_failures == ()
    assert "/change" not in receiver.received
    (opening,) = receiver.received["/findings"]
    assert opening["version"] == 1 and opening["previous"] is None
    assert "kr-pipa.31.officer_missing" in {
        f["rule"] for f in opening["findings"]["new"]
    }
    assert len(inbox.mails) == 1

    # nothing changed: nothing is sent
    (same,) = run_once(store, politeness=polite, retries=0)
    assert same.result == "unchanged"
    assert len(receiver.received["/findings"]) == 1 and len(inbox.mails) == 1

    # a vague transfer abroad appears: every trigger fires
    document.body = POLICY_V1 + TRANSFER
    (changed,) = run_once(store, politeness=polite, retries=0)
    assert changed.result == "new" and changed.version == 2
    (change,) = receiver.received["/change"]
    assert change["schema"] == "privwatch.alert/1"
    assert change["platform"] == "한빛마켓" and change["url"] == policy_url
    assert change["version"] == 2 and change["previous"] == 1
    assert change["clauses"]["added"] >= 1 and change["clauses"]["removed"] == 0
    new = {f["rule"]: f for f in change["findings"]["new"]}
    assert new["kr-pipa.28-8.country_not_specified"]["severity"] == "high"
    assert "해외의 협력업체" in new["kr-pipa.28-8.country_not_specified"]["quote"]
    assert "kr-pipa.31.officer_missing" not in new  # not new: it was there before
    (watched,) = store.documents()
    latest = store.latest(watched.id)
    assert latest is not None and latest.audit_json is not None
    assert change["summary"] == latest.audit_json["summary"]

    # the broken webhook got the payload, answered 500, and is reported
    assert len(receiver.received["/broken"]) == 1
    (failure,) = changed.alert_failures
    assert failure.key == "watch.alert_failed" and "500" in failure.render("en")
    assert "/broken" in failure.render(
        "ko"
    ) and "전달되지 않았습니다" in failure.render("ko")

    mail = inbox.mails[-1]
    assert len(inbox.mails) == 2
    assert mail["Subject"] == "[privwatch] 한빛마켓 privacy: 새 판 2"
    assert mail["To"] == "dpo@regulator.test, desk@regulator.test"
    body = mail.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert "판 2" in text and "새 발견 사항: 4건" in text
    assert "HIGH" in text and "PIPA 28-8(2)" in text
    (attachment,) = mail.iter_attachments()
    attached = json.loads(attachment.get_content())
    assert attached["findings"] == change["findings"]
    store.close()


def test_a_failed_delivery_is_one_line_and_the_version_is_kept(
    server: LocalServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.test_cli import run

    policy_url = server.add("/privacy.md", Route(handler=Changing(POLICY_V1)))
    targets = tmp_path / "targets.yaml"
    targets.write_text(
        f"""platforms:
  - name: 한빛마켓
    documents: [{{type: privacy, url: "{policy_url}"}}]
alerts:
  - {{webhook: "http://127.0.0.1:1/nobody", when: high}}
""",
        encoding="utf-8",
    )
    db = ["--db", f"sqlite:///{tmp_path / 'watch.db'}"]
    run(["watch", "add", str(targets), *db], capsys)
    code, out, err = run(["--lang", "ko", "watch", "run", "--once", *db], capsys)
    assert code == 0 and "새 판: 한빛마켓" in out
    (line,) = err.strip().splitlines()
    assert line.startswith("privwatch: ") and "127.0.0.1:1/nobody" in line
    assert "Traceback" not in err
    code, out, _ = run(["watch", "history", "한빛마켓", *db], capsys)
    assert out.count("\n") == 1 and "\tv1\t" in out


@pytest.mark.parametrize(
    ("alert", "complaint"),
    [
        (
            '{webhook: "http://h.test/", mail: {host: h, from: a@h, to: [b@h]}}',
            "either",
        ),
        ("{when: change}", "either webhook or mail"),
        ('{webhook: "http://h.test/", when: sometimes}', "alerts.0.when"),
        ("{mail: {host: h, from: a@h, to: []}}", "alerts.0.mail.to"),
    ],
)
def test_alert_settings_are_checked(tmp_path: Path, alert: str, complaint: str) -> None:
    from privwatch.errors import InputError

    path = tmp_path / "targets.yaml"
    path.write_text(f"alerts:\n  - {alert}\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_targets(path)
    assert complaint in error.value.render("en")
