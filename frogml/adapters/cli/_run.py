"""The flow every upload command shares: dry run, or transfer with progress and summary."""

from __future__ import annotations

from typing import TYPE_CHECKING

from frogml.adapters.cli._api import StorageApi
from frogml.adapters.cli._common import progress_mode
from frogml.adapters.cli._progress import progress_for
from frogml.adapters.cli._render import show_plan, show_upload

if TYPE_CHECKING:
    from frogml.domain.model.entity import DatasetVersion, ModelVersion
    from frogml.domain.ports.artifact_store import UploadReport
    from frogml.domain.services.upload_dataset import UploadDatasetRequest
    from frogml.domain.services.upload_model import UploadModelRequest

__all__ = ["run_upload"]


def run_upload(
    storage: StorageApi,
    request: UploadModelRequest | UploadDatasetRequest,
    *,
    dry_run: bool,
    as_json: bool,
    quiet: bool,
    verbose: bool,
) -> None:
    """Show the plan with ``--dry-run``; otherwise upload and print what was published."""
    from frogml.domain.services.upload_model import UploadModelRequest

    if dry_run:
        show_plan(storage.plan_upload(request), as_json=as_json)
        return
    quiet, verbose = progress_mode(quiet=quiet, verbose=verbose, as_json=as_json)
    events = progress_for(f"Uploading {request.name}", quiet=quiet, verbose=verbose)
    found: ModelVersion | DatasetVersion
    report: UploadReport
    if isinstance(request, UploadModelRequest):
        model = storage.upload_model(request, progress=events)
        found, report, noun = model.model_version, model.report, "model"
    else:
        data = storage.upload_dataset(request, progress=events)
        found, report, noun = data.dataset_version, data.report, "dataset"
    show_upload(
        found,
        report,
        what=(noun, request.name, request.repository),
        location=storage.location,
        as_json=as_json,
    )
