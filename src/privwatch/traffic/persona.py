"""The test account whose values are planted in the traffic (a YAML file)."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from privwatch.errors import InputError
from privwatch.yamlfile import parse


def _as_text(value: object) -> object:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)  # a phone or number written without quotes
    return value


class Persona(BaseModel):
    """Known values of the test account; every key is optional."""

    model_config = ConfigDict(extra="forbid")
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    rrn: str | None = None
    address: str | None = None
    birth_date: str | None = None
    user_id: str | None = None
    card: str | None = None
    passport: str | None = None
    driver_license: str | None = None
    customs_code: str | None = None  # 개인통관고유부호: P and 12 digits
    device_ids: list[str] = []
    #: the shop's own phone, e-mail, business number, address: not the user's
    site_contacts: list[str] = []

    @field_validator("*", mode="before")
    @classmethod
    def _text(cls, value: object) -> object:
        return _as_text(value)

    @field_validator("site_contacts", mode="before")
    @classmethod
    def _texts(cls, value: object) -> object:
        if isinstance(value, list):
            return [_as_text(item) for item in value]
        return value

    def values(self) -> list[tuple[str, str]]:
        """(key, value) pairs, device ids each under ``device_id``; the site's
        contacts are not the user's values."""
        pairs = [
            (k, v)
            for k, v in self.model_dump().items()
            if isinstance(v, str) and v.strip()
        ]
        pairs += [("device_id", v) for v in self.device_ids if v.strip()]
        return pairs


def load_persona(path: Path) -> Persona:
    try:
        data = parse(path.read_text("utf-8"))
    except FileNotFoundError:
        raise InputError("input.not_found", path=path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError("input.unreadable", path=path, reason=str(exc)) from None
    except yaml.YAMLError as exc:
        # PyYAML's message quotes the line at fault: the persona's own values
        # must not reach stderr, so only the position and the problem are told
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise InputError(
            "scan.bad_persona", path=path, reason=f"{where}{problem}"
        ) from None
    except RecursionError:  # PyYAML recurses once per nesting level
        raise InputError("input.too_deep", path=path) from None
    if not isinstance(data, dict):
        raise InputError(
            "scan.bad_persona", path=path, reason="expected a mapping of keys to values"
        )
    try:
        return Persona.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        # a key may hold a line break: escaped, the message stays one line
        where = "".join(
            c if c.isprintable() else repr(c)[1:-1]
            for c in ".".join(str(p) for p in first["loc"])
        )
        reason = (
            f"unknown key {where}"
            if first["type"] == "extra_forbidden"
            else f"{where}: {first['msg']}"
        )
        known = ", ".join(Persona.model_fields)
        raise InputError(
            "scan.bad_persona", path=path, reason=f"{reason} (known keys: {known})"
        ) from None
