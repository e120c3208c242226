"""``frogml doctor``'s checks of the embedded store's folder: writable, free space."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from frogml.domain.model.health import HealthCheck, Verdict

__all__ = ["store_checks"]

_LOW_DISK = 1 << 30


def store_checks(root: Path) -> list[HealthCheck]:
    """``store`` (the folder exists or can be made, and takes a file) and ``disk``.

    The folder is created if missing, as the store itself would; a throw-away file
    proves it writable. Less than 1 GiB free is a warning.
    """
    try:
        root.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=root, prefix=".doctor-"):
            pass
    except OSError as exc:
        detail = f"cannot write in {root}: {exc.strerror or exc}"
        return [HealthCheck(name="store", verdict="fail", detail=detail)]
    free = shutil.disk_usage(root).free
    verdict: Verdict = "warn" if free < _LOW_DISK else "ok"
    return [
        HealthCheck(name="store", verdict="ok", detail=f"{root} is writable"),
        HealthCheck(name="disk", verdict=verdict, detail=f"{free / (1 << 30):.1f} GiB free"),
    ]
