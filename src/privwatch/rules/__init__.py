"""Rule packs (YAML data) and their evaluation over facts."""

from privwatch.rules.engine import evaluate
from privwatch.rules.schema import Pack, Rule, load_pack

__all__ = ["Pack", "Rule", "evaluate", "load_pack", "pack_for"]


def pack_for(kind: str) -> str:
    """The built-in pack a document of ``kind`` is audited with by default:
    ``kr-terms`` for terms of service, else ``kr-pipa``."""
    return "kr-terms" if kind == "terms" else "kr-pipa"
