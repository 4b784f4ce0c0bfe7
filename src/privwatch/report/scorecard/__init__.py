"""The scorecard (``evaluate/scorecard.py`` builds it) in each format of
``privwatch report compare``: JSON (``privwatch.scorecard/1``, documented in
the README), CSV (one row per platform and requirement), one self-contained
HTML page, and a terminal table."""

from privwatch.report.scorecard.csv import render_scorecard_csv
from privwatch.report.scorecard.html import render_scorecard_html
from privwatch.report.scorecard.json import render_scorecard_json, scorecard_to_dict
from privwatch.report.scorecard.table import render_scorecard_table

__all__ = [
    "render_scorecard_csv",
    "render_scorecard_html",
    "render_scorecard_json",
    "render_scorecard_table",
    "scorecard_to_dict",
]
