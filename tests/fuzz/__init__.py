"""Property-based and fuzz tests: no input makes privwatch crash, hang or
exhaust memory (see conftest.py for the ``ci`` and ``long`` profiles)."""
