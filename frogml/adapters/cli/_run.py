"""The flow every upload command shares: dry run, or transfer with progress and summary."""

from __future__ import annotations

from typing import TYPE_CHECKING

from frogml.adapters.cli._api import StorageApi
from frogml.adapters.cli._common import progress_mode
from frogml.adapters.cli._progress import progress_for
from frogml.adapters.cli._render import show_plan, show_upload

if TYPE_CHECKING:
    from frogml.domain.services.upload import UploadRequest

__all__ = ["run_upload"]


def run_upload(
    storage: StorageApi,
    request: UploadRequest,
    *,
    dry_run: bool,
    as_json: bool,
    quiet: bool,
    verbose: bool,
) -> None:
    """Show the plan with ``--dry-run``; otherwise upload and print what was published."""
    if dry_run:
        show_plan(storage.plan_upload(request), as_json=as_json)
        return
    quiet, verbose = progress_mode(quiet=quiet, verbose=verbose, as_json=as_json)
    entity = request.name if request.namespace is None else f"{request.namespace}/{request.name}"
    events = progress_for(f"Uploading {entity}", quiet=quiet, verbose=verbose)
    result = storage.upload(request, progress=events)
    show_upload(result.entity_version, result.report, location=storage.location, as_json=as_json)
