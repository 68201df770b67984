"""Print pip constraints pinning every dependency of nbapi (core and extras) to its lower bound.

`make test-lowest` installs nbapi with these constraints and runs the fast tests: the bounds
pyproject.toml declares are then versions the tool is known to work with.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# "name>=1.2,<2" (an environment marker after ';' keeps its place).
_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*>=\s*([0-9][^,;\s]*)[^;]*(;.*)?$")


def main() -> int:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project.get("optional-dependencies", {})
    requirements = [*project["dependencies"], *extras.get("docs", []), *extras.get("check", [])]
    for requirement in requirements:
        found = _REQUIREMENT.match(requirement)
        if found is None:
            continue  # no lower bound (nbapi[...] itself)
        name, version, marker = found.groups()
        print(f"{name}=={version}{marker or ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
