"""Say versus do: each observed flow of personal data against what the policy
discloses (clear, vague, omitted, incorrect), and flow facts for the rules on
cross-border transfer (PIPA Art. 28-8).
"""

from privwatch.consistency.match import Consistency, flow_facts

__all__ = ["Consistency", "flow_facts"]
