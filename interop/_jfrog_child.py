"""JFrog's own client (PyPI ``frogml==2.1.152``, module ``frogml.storage``) doing the jobs
that ``run.py`` gives it, in JFrog's own virtual environment.

Run as ``python -I _jfrog_child.py JOBS.json RESULTS.json`` by the interpreter of
``interop/.work/jfrog-venv``: ``-I`` keeps this repository (whose package is also called
``frogml``) off ``sys.path``. It imports nothing from this repository, and it loads
JFrog's modules with ``importlib`` so that a type checker run from frogml's venv (where
``frogml.storage`` is frogml's compatibility layer) does not mistake one for the other.

JOBS.json: ``{"url": "http://127.0.0.1:PORT", "token": "…", "jobs": [{…}, …]}``, each job
``{"op": "upload" | "download", "kind": "model" | "dataset", "repo", "name",
"namespace", "version", …}``; uploads add ``source`` (and for models ``model_type``,
``dependencies``, ``code``), both may add ``properties``; downloads add ``target``.

RESULTS.json (rewritten after every job): ``{"client": {"version", "file"}, "jobs":
[{"ok", "error", "logged_errors"}, …]}``. JFrog's client logs many failures instead of
raising them (a failed file download raises nothing), so its ERROR log records are
returned too; the caller compares the bytes anyway.
"""

from __future__ import annotations

import importlib
import json
import logging
import sys
from pathlib import Path
from typing import Any

_JFROG_LOGGER = "frogml.storage.logging._log_config"  # the logger all of frogml.storage uses


class _Errors(logging.Handler):
    """Collects the ERROR records of JFrog's logger during one job."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _run(storage: Any, metadata: Any, job: dict[str, Any]) -> None:
    common = {
        "repository": job["repo"],
        "namespace": job.get("namespace"),
        "version": job["version"],
    }
    model = job["kind"] == "model"
    if job["op"] == "upload":
        if model:
            storage.upload_model_version(
                model_name=job["name"],
                model_path=job["source"],
                model_type=metadata(**job["model_type"]),
                properties=job.get("properties"),
                dependencies_files_paths=job.get("dependencies"),
                code_archive_file_path=job.get("code"),
                **common,
            )
        else:
            storage.upload_dataset_version(
                dataset_name=job["name"],
                dataset_path=job["source"],
                properties=job.get("properties"),
                **common,
            )
    elif model:
        storage.download_model_version(model_name=job["name"], target_path=job["target"], **common)
    else:
        storage.download_dataset_version(
            dataset_name=job["name"], target_path=job["target"], **common
        )


def main() -> int:
    jobs_path, results_path = Path(sys.argv[1]), Path(sys.argv[2])
    spec = json.loads(jobs_path.read_text(encoding="utf-8"))
    package = importlib.import_module("frogml")
    frog_ml = importlib.import_module("frogml.storage.frog_ml")
    auth = importlib.import_module("frogml.storage.authentication.models._auth_config")
    metadata = importlib.import_module("frogml.storage.models.serialization_metadata")
    errors = _Errors()
    logging.getLogger(_JFROG_LOGGER).addHandler(errors)
    # by_basic_auth sends no credentials at all (protocol page, section 7): use a token.
    config = auth.AuthConfig.by_access_token(spec["url"], spec["token"])
    storage = frog_ml.FrogMLStorage(config)
    client = {"version": str(package.__version__), "file": str(package.__file__)}
    outcomes: list[dict[str, Any]] = []
    for job in spec["jobs"]:
        errors.messages.clear()
        try:
            _run(storage, metadata.SerializationMetadata, job)
            outcome: dict[str, Any] = {"ok": True, "error": None}
        except Exception as exc:  # every failure is data for the caller
            outcome = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
        outcome["logged_errors"] = list(errors.messages)
        outcomes.append(outcome)
        document = {"client": client, "jobs": outcomes}
        results_path.write_text(json.dumps(document, ensure_ascii=False, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
