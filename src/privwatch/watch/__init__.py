"""Watch platforms' documents over time.

``targets`` holds the watch list as data, ``cycle`` fetches and stores what
changed, ``alerts`` tells people, ``history`` imports a platform's past and
compares any two versions.
"""

from privwatch.watch.cycle import Outcome, Politeness, check_document, run_once
from privwatch.watch.history import Comparison, compare, import_dir, import_git
from privwatch.watch.targets import Targets, add_targets, load_targets

__all__ = [
    "Comparison",
    "Outcome",
    "Politeness",
    "Targets",
    "add_targets",
    "check_document",
    "compare",
    "import_dir",
    "import_git",
    "load_targets",
    "run_once",
]
