"""Helpers that several test modules share: records, page runners, app processes.

Fixtures live in ``tests/conftest.py``; plain helpers live here, so that no test module
imports another.
"""
