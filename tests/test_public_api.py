"""The package's public names are exactly ``__all__`` (a tested contract)."""

import types

import privwatch


def test_all_names_are_exported_and_sorted() -> None:
    public = {  # dir(): some names are loaded on first use
        name
        for name in dir(privwatch)
        if (not name.startswith("_") or name == "__version__")
        and not isinstance(getattr(privwatch, name), types.ModuleType)
    }
    assert privwatch.__all__ == sorted(privwatch.__all__)
    assert set(privwatch.__all__) == public
