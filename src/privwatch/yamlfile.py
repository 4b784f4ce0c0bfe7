"""Read a YAML file into a pydantic model; a broken file is one line naming the
field at fault, under the caller's message key."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from privwatch.errors import InputError

Model = TypeVar("Model", bound=BaseModel)


def load_model(path: Path, model: type[Model], key: str) -> Model:
    """``model`` from the YAML at ``path``; errors use message ``key`` with
    ``path`` and ``reason``."""
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
        return model.model_validate(data)
    except FileNotFoundError:
        raise InputError("input.not_found", path=path) from None
    except IsADirectoryError:
        raise InputError("input.is_directory", path=path) from None
    except UnicodeDecodeError:
        raise InputError("input.bad_encoding", source=path, encoding="UTF-8") from None
    except yaml.YAMLError as exc:
        raise InputError(key, path=path, reason=" ".join(str(exc).split())) from None
    except RecursionError:  # PyYAML recurses once per nesting level
        raise InputError("input.too_deep", path=path) from None
    except ValidationError as exc:
        first = exc.errors()[0]
        # a key may hold a line break: escaped, the message stays one line
        place = "".join(
            c if c.isprintable() else repr(c)[1:-1]
            for c in ".".join(str(p) for p in first["loc"])
        )
        raise InputError(key, path=path, reason=f"{place}: {first['msg']}") from None
