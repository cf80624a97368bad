"""Reading the project's YAML files (the answer catalogue, training data, kommune.yml).

PyYAML's pure-Python parser takes about two seconds for the starter catalogue; its libyaml
parser (in PyYAML's wheels) gives the same data in a tenth of a second. The pure-Python one is
the fallback for a PyYAML built without libyaml.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path) -> Any:
    """The data of the YAML file at `path` (UTF-8), as `yaml.safe_load` gives it."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)  # noqa: S506 - a safe loader
