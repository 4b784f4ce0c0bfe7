"""A finding's words in the reader's language, rendered at the edge.

Findings carry a rule id, template parameters and a reason reference, never
words. The words come from the rule's templates in the pack it was loaded from:
a built-in pack, or any pack read in this process (a ``--pack FILE`` house
pack). A rule no pack in reach defines (an audit stored with a pack no longer
present) is shown by its id.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

from privwatch.i18n import message, with_particles
from privwatch.models import Finding
from privwatch.rules.engine import REVIEW_REF
from privwatch.rules.schema import Rule, known_rule


@dataclass(frozen=True, slots=True)
class Words:
    title: str
    explanation: str
    remediation: str
    reason: str | None = None


class _Fields(dict[str, str]):
    """Template fields; a field the finding lacks stays as ``{name}``."""

    def __init__(self, params: tuple[tuple[str, str], ...], lang: str) -> None:
        super().__init__(params)
        self.lang = lang
        missing = self.get("missing")
        if missing:
            names = [message(f"field.{key}", lang) for key in missing.split(", ")]
            self["missing"] = ", ".join(names)
        data_type = self.get("data_type")
        if data_type and lang == "ko":  # 개인정보(전화번호), not 개인정보(phone)
            with contextlib.suppress(KeyError):
                self["data_type"] = message(f"html.data.{data_type}", lang)
            value = self.get("value", "")
            if value.startswith(f"{data_type} → "):  # a flow: data → organisation
                self["value"] = self["data_type"] + value[len(data_type) :]

    def __missing__(self, key: str) -> str:
        if key == "country_note":
            return country_note(self.get("country"), self.lang)
        return "{" + key + "}"


def finding_words(finding: Finding, lang: str) -> Words:
    """The title, explanation, remediation and review reason of ``finding`` in
    ``lang``."""
    rule = known_rule(finding.rule)
    reason = review_reason(finding, rule, lang)
    if rule is None:
        return Words(finding.rule, "", "", reason)
    fields = _Fields(finding.params, lang)

    def fill(template: str) -> str:
        if lang == "ko":
            template = with_particles(template, fields)
        return template.format_map(fields)

    return Words(
        title=fill(rule.title.pick(lang)),
        explanation=fill(rule.explanation.pick(lang)),
        remediation=fill(rule.remediation.pick(lang)),
        reason=reason,
    )


def review_reason(finding: Finding, rule: Rule | None, lang: str) -> str | None:
    reference = finding.reason
    if not reference:
        return None
    if reference.startswith(REVIEW_REF):
        index = int(reference.removeprefix(REVIEW_REF))
        if rule is None or index >= len(rule.review):
            return reference
        return rule.review[index].reason.pick(lang)
    try:
        return message(reference, lang)
    except KeyError:
        return reference


def country_note(country: str | None, lang: str) -> str:
    """Why a destination matters (its country profile), in ``lang``."""
    if not country:
        return ""
    from privwatch.attribution import country_profiles
    from privwatch.consistency.match import country_note as note

    profile: dict[str, Any] = country_profiles().get(country, {})
    return note(profile, lang)
