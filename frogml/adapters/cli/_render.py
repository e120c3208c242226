"""Human summaries of results: versions, transfer plans, downloads."""

from __future__ import annotations

from typing import TYPE_CHECKING

import rich_click as click

from frogml.adapters.cli._format import human_size, iso_time, print_table
from frogml.adapters.cli._terminal import shown

if TYPE_CHECKING:
    from frogml.domain.model.entity import EntityVersion
    from frogml.domain.model.plan import PlannedFile, TransferPlan
    from frogml.domain.ports.artifact_store import UploadReport
    from frogml.domain.services.download import DownloadResult

__all__ = ["print_plan", "print_version", "show_download", "show_plan", "show_upload"]

_PLAN_LIMIT = 50


def print_version(found: EntityVersion) -> None:
    """A human summary of one version: identity, format, files, properties.

    Files are listed under the paths a download gives them (a model's dependency
    files under ``dependencies/``, its code archive under ``code/``), aligned.
    """
    from frogml.domain.model.entity import parse_created_date
    from frogml.domain.model.manifest import ModelInfo

    entity = found.name if found.namespace is None else f"{found.namespace}/{found.name}"
    click.echo(f"{shown(entity)} {shown(found.version)} in {shown(found.repository)}")
    created = parse_created_date(found.manifest.created_date)
    as_given = shown(found.manifest.created_date)
    click.echo(f"created:  {as_given if created is None else iso_time(created)}")
    if isinstance(found.manifest, ModelInfo):  # the format is the server's text
        fmt = found.manifest.model_format
        click.echo(
            f"format:   {shown(fmt.framework)} {shown(fmt.framework_version)}"
            f" ({shown(fmt.serialization_format)}),"
            f" {shown(fmt.runtime)} {shown(fmt.runtime_version)}"
        )
    files = found.manifest.entries()
    click.echo(f"files:    {len(files)} ({human_size(found.manifest.total_size)})")
    rows = [
        [shown(area.local_path(a.artifact_path)), human_size(a.size), f"sha256:{a.sha256[:12]}"]
        for area, a in files
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(2)]
    for path, size, digest in rows:
        click.echo(f"  {path.ljust(widths[0])}  {size.ljust(widths[1])}  {digest}")
    for key, value in sorted(found.properties.items()):
        click.echo(f"property: {shown(key)}={shown(value)}")


def print_plan(plan: TransferPlan) -> None:
    """The dry-run table: every file with what would happen to it, then a summary."""
    upload = plan.direction == "upload"
    move, keep = ("send", "deduplicate") if upload else ("download", "keep")
    if upload and not plan.reuse_known:
        move = "send (or deduplicate)"
    rows = [[_shown(f), human_size(f.size), _action(f, move)] for f in plan.transfer]
    rows += [[_shown(f), human_size(f.size), keep] for f in plan.reuse]
    rows += [[s.path, "-", f"skip ({s.reason})"] for s in plan.skipped]
    print_table(["file", "size", "action"], rows[:_PLAN_LIMIT])
    if len(rows) > _PLAN_LIMIT:
        click.echo(f"... and {len(rows) - _PLAN_LIMIT} more (use --json for all)")
    ref = plan.ref
    entity = ref.entity_path
    version = ref.version or "(a new version named at upload time)"
    where = f" into {plan.target_path}" if plan.target_path else ""
    verb = "upload" if upload else "download"
    click.echo(
        f"Dry run: would {verb} {ref.kind.value} {entity} {version}{where}: "
        f"{len(plan.transfer)} file(s) to transfer ({human_size(plan.bytes_to_transfer)}), "
        f"{len(plan.reuse)} reused ({human_size(plan.bytes_reused)}), "
        f"{len(plan.skipped)} skipped. Nothing was transferred."
    )
    if upload and not plan.reuse_known:
        click.echo("The server tells which files it already holds only during the upload.")


def show_plan(plan: TransferPlan, *, as_json: bool) -> None:
    """The answer of ``--dry-run``: the plan as one JSON document, else as a table."""
    if as_json:
        from frogml.adapters.cli._output import emit_json, plan_json

        emit_json(plan_json(plan))
    else:
        print_plan(plan)


def show_upload(
    found: EntityVersion,
    report: UploadReport,
    *,
    location: str,
    as_json: bool,
) -> None:
    """What an upload published and moved, as one JSON document or one line: files
    sent or already stored, then the bytes that moved and those that did not."""
    if as_json:
        from frogml.adapters.cli._output import emit_json, version_json

        emit_json(version_json(found, report))
        return
    click.echo(
        f"Uploaded {found.kind.value} {found.ref.entity_path} version {found.version}"
        f" to {location} (repository {found.repository}): {report.files_sent} file(s) sent,"
        f" {report.files_deduplicated} already stored; {human_size(report.bytes_sent)} sent,"
        f" {human_size(report.bytes_deduplicated)} reused"
    )


def show_download(result: DownloadResult, *, as_json: bool) -> None:
    """What a download wrote, as one JSON document or one line: files fetched, already
    present or left out, then the bytes that moved and those that did not (present,
    resumed or cached)."""
    if as_json:
        from frogml.adapters.cli._output import download_json, emit_json

        emit_json(download_json(result))
        return
    ref = result.ref
    skipped = f", {len(result.skipped)} left out" if result.skipped else ""
    click.echo(
        f"Downloaded {ref.kind.value} {ref.entity_path} {ref.version} to {result.target_path}:"
        f" {result.files_downloaded} file(s) fetched, {result.files_reused} already present"
        f"{skipped}; {human_size(result.bytes_downloaded)} downloaded,"
        f" {human_size(result.bytes_reused)} reused"
    )


def _shown(planned: PlannedFile) -> str:
    """A file of a plan, with the real file a symbolic link leads to (uploads)."""
    return planned.path if planned.link is None else f"{planned.path} -> {planned.link}"


def _action(planned: PlannedFile, move: str) -> str:
    """``download``, or what a download does to the file the target holds instead."""
    conflict = planned.conflict
    if conflict is None:
        return move
    return f"{'replace' if conflict.replaceable else 'refused'} ({conflict.value})"
