"""The dashboard (``privwatch serve``): platforms, versions, findings, diffs,
scans and the scorecard in a browser, for viewers and editors.

``privwatch.web.app.create_app`` builds the FastAPI application;
the accounts that may sign in are ``privwatch.accounts``.
"""
