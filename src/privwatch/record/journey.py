"""A journey: the steps the browser takes on a site.

The default journey (``default_journey``): open the page; record the consent
banner (and, in a consent run, click "reject all" or "accept all"); scroll;
type the persona's values into every visible input, character by character,
never submitting; wait; follow one product link and one sign-up link of the
same site, typing into the sign-up page's inputs too; wait.

A journey file (YAML) lists steps for sites that need a log-in or a path::

    steps:
      - goto: https://shop.example/login
      - fill: {selector: "#id", persona_key: email}
      - fill: {field: phone, value: "010-1234-5678"}
      - click: {text: 로그인}
      - submit: "form#login"
      - wait: 2
      - scroll: {}
      - type: {}          # the default typing: every visible input
      - consent: {}       # the consent banner, as the run says

Only ``submit`` steps submit a form; typing never presses Enter.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from privwatch.yamlfile import load_model

ACTIONS = (
    "goto",
    "click",
    "fill",
    "type",
    "submit",
    "wait",
    "scroll",
    "consent",
    "follow",
)
MAX_STEPS = 200
MAX_WAIT = 120.0


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Click(_Strict):
    text: str | None = Field(default=None, min_length=1, max_length=200)
    selector: str | None = Field(default=None, min_length=1, max_length=500)

    @model_validator(mode="after")
    def _one(self) -> Click:
        if (self.text is None) == (self.selector is None):
            raise ValueError("give text or selector (one of them)")
        return self


class Fill(_Strict):
    selector: str | None = Field(default=None, min_length=1, max_length=500)
    field: str | None = Field(default=None, min_length=1, max_length=40)
    value: str | None = Field(default=None, max_length=1000)
    persona_key: str | None = Field(default=None, min_length=1, max_length=40)

    @model_validator(mode="after")
    def _one_each(self) -> Fill:
        if (self.selector is None) == (self.field is None):
            raise ValueError("give selector or field (one of them)")
        if (self.value is None) == (self.persona_key is None):
            raise ValueError("give value or persona_key (one of them)")
        return self


class Empty(_Strict):
    pass


class Follow(_Strict):
    link: str = Field(pattern="^(product|signup)$")


class Step(_Strict):
    """One step: a mapping with exactly one of the actions as its key."""

    goto: str | None = Field(default=None, pattern=r"^https?://", max_length=2000)
    click: Click | None = None
    fill: Fill | None = None
    type: Empty | None = None
    submit: str | None = Field(default=None, min_length=1, max_length=500)
    wait: float | None = Field(default=None, ge=0, le=MAX_WAIT)
    scroll: Empty | None = None
    consent: Empty | None = None
    follow: Follow | None = None

    @model_validator(mode="before")
    @classmethod
    def _empty_values(cls, data: Any) -> Any:
        # "- scroll:" (no value) is the same as "- scroll: {}"
        if isinstance(data, dict):
            return {
                k: ({} if v is None and k in ("type", "scroll", "consent") else v)
                for k, v in data.items()
            }
        return data

    @model_validator(mode="after")
    def _exactly_one(self) -> Step:
        given = [a for a in ACTIONS if getattr(self, a) is not None]
        if len(given) != 1:
            raise ValueError(f"a step has exactly one action of {', '.join(ACTIONS)}")
        return self

    @property
    def action(self) -> str:
        return next(a for a in ACTIONS if getattr(self, a) is not None)


class Journey(_Strict):
    steps: list[Step] = Field(min_length=1, max_length=MAX_STEPS)


def load_journey(path: Path) -> Journey:
    """A journey file; a broken one is an InputError (one line, exit 2)."""
    return load_model(path, Journey, "record.bad_journey")


def default_journey(url: str, wait: float = 1.5) -> Journey:
    """The journey run when no file is given."""
    steps: list[dict[str, Any]] = [
        {"goto": url},
        {"consent": {}},
        {"scroll": {}},
        {"type": {}},
        {"wait": wait},
        {"follow": {"link": "product"}},
        {"goto": url},
        {"follow": {"link": "signup"}},
        {"type": {}},
        {"wait": wait},
    ]
    return Journey.model_validate({"steps": steps})
