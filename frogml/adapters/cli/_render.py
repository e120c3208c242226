"""Human summaries of results: versions, transfer plans, downloads."""

from __future__ import annotations

from typing import TYPE_CHECKING

import rich_click as click

from frogml.adapters.cli._format import human_size, print_table

if TYPE_CHECKING:
    from frogml.domain.model.entity import EntityVersion
    from frogml.domain.model.plan import TransferPlan
    from frogml.domain.ports.artifact_store import UploadReport

__all__ = ["print_plan", "print_version", "show_plan", "show_upload"]

_PLAN_LIMIT = 50


def print_version(found: EntityVersion) -> None:
    """A human summary of one version: identity, format, files, properties.

    Files are listed under the paths a download gives them (a model's dependency
    files under ``dependencies/``, its code archive under ``code/``), aligned.
    """
    from frogml.domain.model.manifest import ModelInfo

    entity = found.name if found.namespace is None else f"{found.namespace}/{found.name}"
    click.echo(f"{entity} {found.version} in {found.repository}")
    click.echo(f"created:  {found.manifest.created_date}")
    if isinstance(found.manifest, ModelInfo):
        fmt = found.manifest.model_format
        click.echo(
            f"format:   {fmt.framework} {fmt.framework_version} ({fmt.serialization_format}),"
            f" {fmt.runtime} {fmt.runtime_version}"
        )
    files = found.manifest.entries()
    click.echo(f"files:    {len(files)} ({human_size(found.manifest.total_size)})")
    rows = [
        [area.local_path(a.artifact_path), human_size(a.size), f"sha256:{a.sha256[:12]}"]
        for area, a in files
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(2)]
    for path, size, digest in rows:
        click.echo(f"  {path.ljust(widths[0])}  {size.ljust(widths[1])}  {digest}")
    for key, value in sorted(found.properties.items()):
        click.echo(f"property: {key}={value}")


def print_plan(plan: TransferPlan) -> None:
    """The dry-run table: every file with what would happen to it, then a summary."""
    upload = plan.direction == "upload"
    move, keep = ("send", "deduplicate") if upload else ("download", "keep (present)")
    if upload and not plan.reuse_known:
        move = "send (or deduplicate)"
    rows = [[f.path, human_size(f.size), move] for f in plan.transfer]
    rows += [[f.path, human_size(f.size), keep] for f in plan.reuse]
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
    what: tuple[str, str, str],
    location: str,
    as_json: bool,
) -> None:
    """What an upload published and moved, as one JSON document or one line;
    ``what`` is (noun, name, repository) as the user typed them."""
    if as_json:
        from frogml.adapters.cli._output import emit_json, version_json

        emit_json(version_json(found, report))
        return
    noun, name, repository = what
    click.echo(
        f"Uploaded {noun} {name} version {found.version} to {location}"
        f" (repository {repository}): {report.files_sent} file(s) sent"
        f" ({human_size(report.bytes_sent)}), {report.files_deduplicated} already stored"
    )
