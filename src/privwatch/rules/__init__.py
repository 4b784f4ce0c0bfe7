"""Rule packs (YAML data) and their evaluation over facts."""

from collections.abc import Iterable

from privwatch.rules.engine import evaluate
from privwatch.rules.schema import Pack, Rule, load_pack

__all__ = ["Pack", "Rule", "evaluate", "load_pack", "pack_for", "statutes"]


def pack_for(kind: str) -> str:
    """The built-in pack for a document kind: ``kr-terms`` for terms, else ``kr-pipa``."""
    return "kr-terms" if kind == "terms" else "kr-pipa"


def statutes(packs: Iterable[Pack]) -> dict[str, str]:
    """Rule id -> the statute text it quotes, over ``packs``."""
    return {
        rule.id: rule.statute for pack in packs for rule in pack.rules if rule.statute
    }
