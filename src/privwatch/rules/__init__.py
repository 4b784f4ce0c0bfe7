"""Rule packs (YAML data) and their evaluation over facts."""

from privwatch.rules.engine import evaluate
from privwatch.rules.schema import Pack, Rule, load_pack

__all__ = ["Pack", "Rule", "evaluate", "load_pack"]
