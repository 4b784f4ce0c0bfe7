"""Audit results as JSON (a documented contract), a terminal table, or HTML."""

from privwatch.report.html import render_html
from privwatch.report.json import audit_to_dict, render_json
from privwatch.report.table import render_table

__all__ = ["audit_to_dict", "render_html", "render_json", "render_table"]
