"""The watch list as data: platforms, their documents, and where alerts go.

A targets file (YAML)::

    platforms:
      - name: AliExpress
        country: SG            # where the operator is established
        foreign: true          # foreign to Korea (PIPA art. 31-2 applies)
        category: marketplace
        documents:
          - {type: privacy, url: "https://...", selector: "#policy", language: ko}
          - {type: terms, url: "https://...", render: true}   # needs JavaScript
          # one document per type: another: true asks for a second one
    alerts:
      - {webhook: "https://hooks.example/privwatch", when: high}
      - when: change
        mail: {host: smtp.example.kr, port: 587, starttls: true,
               from: privwatch@example.kr, to: [dpo@example.kr],
               username: privwatch, password_env: PRIVWATCH_SMTP_PASSWORD,
               language: ko}

``when`` is ``change`` (any new version), ``findings`` (findings new or
resolved) or ``high`` (new high-severity findings, the default).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from privwatch import fields
from privwatch.errors import Tally
from privwatch.store import Store
from privwatch.yamlfile import load_model


class TargetDocument(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: str = Field(pattern="^(privacy|terms|trackers)$")
    url: str = Field(pattern="^https?://")
    selector: str | None = None
    language: str | None = None
    render: bool | None = None
    """None: as stored (a new document is fetched without a browser)."""
    another: bool = False
    """A second document of this type when the platform has one elsewhere."""

    @model_validator(mode="before")
    @classmethod
    def _checked(cls, data: Any) -> Any:
        """URL, selector and language through ``privwatch.fields`` (a
        ``FieldError`` in the reader's language, not pydantic's English)."""
        return _through(
            data,
            {
                "url": fields.url,
                "selector": fields.selector,
                "language": fields.language,
            },
        )


class Target(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    country: str | None = Field(default=None, pattern="^[A-Z]{2}$")
    foreign: bool | None = None
    """None: as stored (a new platform is domestic)."""
    category: str | None = None
    documents: list[TargetDocument]

    @model_validator(mode="before")
    @classmethod
    def _checked(cls, data: Any) -> Any:
        """Name, country (``kr`` is ``KR``) and category through
        ``privwatch.fields``."""
        return _through(
            data,
            {
                "name": fields.name,
                "country": fields.country,
                "category": fields.category,
            },
        )


def _through(data: Any, checks: dict[str, Any]) -> Any:
    """``data`` with each text field named in ``checks`` checked (and tidied:
    stripped, blank as None); a value of another type is pydantic's to refuse."""
    if not isinstance(data, dict):
        return data
    data = dict(data)
    for key, check in checks.items():
        if isinstance(data.get(key), str):
            data[key] = check(data[key])
    return data


class MailSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    host: str
    port: int = Field(default=25, ge=1, le=65535)
    starttls: bool = False
    sender: str = Field(alias="from")
    to: list[str] = Field(min_length=1)
    username: str | None = None
    password_env: str | None = None
    """The name of the environment variable holding the password."""
    language: Literal["en", "ko"] = "en"


class AlertTarget(BaseModel):
    model_config = ConfigDict(extra="forbid")
    when: Literal["change", "findings", "high"] = "high"
    webhook: str | None = Field(default=None, pattern="^https?://")
    mail: MailSettings | None = None

    @model_validator(mode="after")
    def _one_channel(self) -> AlertTarget:
        if (self.webhook is None) == (self.mail is None):
            raise ValueError("give either webhook or mail")
        return self


class Targets(BaseModel):
    model_config = ConfigDict(extra="forbid")
    platforms: list[Target] = []
    alerts: list[AlertTarget] | None = None


def load_targets(path: Path) -> Targets:
    """A targets YAML file, checked; a broken one is one line naming the field."""
    return load_model(path, Targets, "watch.bad_targets")


def add_targets(store: Store, targets: Targets, *, another: bool = False) -> int:
    """Put the targets in the store (updating platforms already there: a field
    not given keeps its stored value); an ``alerts`` section replaces the
    stored alerts. A platform has one document per type: a document onto a
    platform with one of its type elsewhere attaches to an imported history,
    or is refused, naming the one there (``Store.add_document``), unless it
    (or ``another``) asks for a second. Returns the documents added."""
    count = 0
    with Tally(len(targets.platforms), "added") as tally:  # a transaction each
        for target in targets.platforms:
            tally.start()
            store.add_target(
                target.name,
                [
                    (
                        document.type,
                        document.url,
                        document.selector,
                        document.language,
                        document.render,
                        another or document.another,
                    )
                    for document in target.documents
                ],
                country=target.country,
                foreign=target.foreign,
                category=target.category,
            )
            count += len(target.documents)
            tally.add("added")
    if targets.alerts is not None:
        store.set_alerts([_stored(alert) for alert in targets.alerts])
    return count


def _stored(alert: AlertTarget) -> tuple[str, str, dict[str, Any]]:
    if alert.mail is not None:
        return "mail", alert.when, alert.mail.model_dump(by_alias=True)
    return "webhook", alert.when, {"url": alert.webhook}
