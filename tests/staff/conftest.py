"""Fixtures of the staff page tests: the real staff app (tests/staff_server.py)."""

from tests.staff_server import PASSWORD, staff_server  # noqa: F401
