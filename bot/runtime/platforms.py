"""The operating systems Staffroom runs on (docs/operating.md says the same)."""

from __future__ import annotations

import sys

SUPPORTED = {"linux": "Linux", "darwin": "macOS", "win32": "Windows"}


def check_platform(platform: str | None = None) -> str | None:
    """A sentence saying this system (default: this one) is not supported, or None."""
    platform = platform or sys.platform
    if platform in SUPPORTED:
        return None
    names = ", ".join(list(SUPPORTED.values())[:-1]) + " and " + list(SUPPORTED.values())[-1]
    return (
        f"Staffroom runs on {names}; this system ({platform}) is not one of them. "
        "Run it in the Docker image or on one of those."
    )
