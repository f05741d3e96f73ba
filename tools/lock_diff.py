"""Print how installed versions differ from requirements/lock.txt (used by .ci/drift).

Usage: pip list --format=freeze | python tools/lock_diff.py [requirements/lock.txt]
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from pathlib import Path

from packaging.utils import canonicalize_name

PIN = re.compile(r"([A-Za-z0-9][\w.-]*)==(\S+)")


def pins(lines: Iterable[str]) -> dict[str, str]:
    """name -> version for each `name==version` line (hash and comment lines are skipped)."""
    return {canonicalize_name(m[1]): m[2] for m in map(PIN.match, lines) if m}


def differences(locked: dict[str, str], installed: dict[str, str]) -> list[str]:
    changed = [f"{n}: {locked[n]} -> {installed[n]}"
               for n in sorted(locked.keys() & installed.keys()) if locked[n] != installed[n]]
    new = [f"{n}: new, {installed[n]} (not in the lock)"
           for n in sorted(installed.keys() - locked.keys())]
    gone = [f"{n}: {locked[n]} -> not installed any more"
            for n in sorted(locked.keys() - installed.keys())]
    return changed + new + gone


def main() -> None:
    lock = Path(sys.argv[1] if len(sys.argv) > 1 else "requirements/lock.txt")
    found = differences(pins(lock.read_text(encoding="utf-8").splitlines()), pins(sys.stdin))
    print("\n".join(f"  {line}" for line in found) or "  nothing: the lock is the newest")


if __name__ == "__main__":
    main()
