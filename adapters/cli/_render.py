"""Human summaries of results: versions, transfer plans, downloads."""

from __future__ import annotations

from typing import TYPE_CHECKING

import rich_click as click

from adapters.cli._format import human_size, print_table

if TYPE_CHECKING:
    from domain.model.entity import DatasetVersion, ModelVersion
    from domain.model.plan import TransferPlan

__all__ = ["print_plan", "print_version"]

_PLAN_LIMIT = 50


def print_version(found: ModelVersion | DatasetVersion) -> None:
    """A human summary of one version: identity, format, files, properties."""
    from domain.model.entity import ModelVersion

    entity = found.name if found.namespace is None else f"{found.namespace}/{found.name}"
    click.echo(f"{entity} {found.version} in {found.repository}")
    click.echo(f"created:  {found.manifest.created_date}")
    if isinstance(found, ModelVersion):
        artifacts = found.manifest.model_artifacts
        fmt = found.manifest.model_format
        click.echo(
            f"format:   {fmt.framework} {fmt.framework_version} ({fmt.serialization_format}),"
            f" {fmt.runtime} {fmt.runtime_version}"
        )
    else:
        artifacts = found.manifest.dataset_artifacts
    click.echo(f"files:    {len(artifacts)} ({human_size(found.manifest.total_size)})")
    for artifact in artifacts:
        size = human_size(artifact.size)
        click.echo(f"  {artifact.artifact_path}  {size}  sha256:{artifact.sha256[:12]}")
    if isinstance(found, ModelVersion):
        for dep in found.manifest.dependency_artifacts:
            click.echo(f"  dependency: {dep.artifact_path}  {human_size(dep.size)}")
        if found.manifest.code_artifact is not None:
            click.echo(f"  code: {found.manifest.code_artifact.artifact_path}")
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
