"""Unsafe products on open markets: agencies' hazard and recall lists, platforms'
listings, and the matches between them.

``records`` holds the frozen values the readers produce and the matcher takes;
``hazards`` reads the agencies' lists, ``listings`` reads product pages and
exports, ``match`` pairs them.
"""
