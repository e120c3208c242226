"""Interop between frogml and JFrog's own client (PyPI ``frogml==2.1.152``), both ways,
over the emulator in both of its URL modes (``raw``, as Artifactory writes download URLs,
and ``encoded``).

- JFrog → frogml: JFrog's client (in its own venv, ``interop/.work/jfrog-venv``, created
  on first use from PyPI) uploads a model (files, model_type, namespace, dependency
  files, code archive, properties) and a dataset; frogml downloads them and every byte
  is compared with the source, and frogml reads the properties back.
- frogml → JFrog: frogml uploads a model and a dataset with odd file names and
  free-text properties; JFrog's client downloads them and every byte is compared.
  JFrog's client never downloads dependency files or code archives and exposes no
  properties: those are checked by direct reads of the emulator (published layout,
  storage API).

Names JFrog's client is known to break on (``#``, ``;``, ``?``, an existing ``%XX``)
each go in a version of their own; a failure there that matches its known limits is
reported as "JFrog limit", not as a failure. The exit status is 1 when any check fails
otherwise. The results table is printed and written to ``interop/RESULTS.md``. Usage::

    .venv/bin/python interop/run.py [--modes raw,encoded] [--keep] [--results PATH]

(``just interop``). It downloads JFrog's client from PyPI on first use.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import shutil
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast

from _names import (
    EDGE,
    FM_CODE,
    FM_DEPENDENCIES,
    FM_PROPERTIES,
    JF_CODE,
    JF_DEPENDENCIES,
    JF_PROPERTIES,
    MODEL_TYPE,
    PORTABLE,
    TestName,
    jfrog_limit,
)
from _support import (
    JFROG_VERSION,
    TOKEN,
    DirectHttp,
    Emulator,
    JFrogClient,
    JobOutcome,
    UrlMode,
    git_state,
    jfrog_python,
    machine,
    read_tree,
    repo_path_url,
)

from frogml import AuthConfig, FrogMLError, FrogMLStorage

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
REPO = "ml-local"
NAMESPACE = "team-a"  # models go in a namespace, datasets do not
ENTITY = {"model": "interop-model", "dataset": "interop-dataset"}
TOP = {"model": "models", "dataset": "datasets"}

Kind = Literal["model", "dataset"]
Direction = Literal["JFrog → frogml", "frogml → JFrog"]
Status = Literal["ok", "JFrog limit", "FAIL"]
KINDS: tuple[Kind, ...] = ("model", "dataset")


@dataclass(frozen=True)
class Check:
    """One verified fact of a cell: a file (``name`` set), properties, a dependency, …"""

    subject: str
    status: Status
    note: str = ""  # what was seen
    name: TestName | None = None
    why: str = ""  # for "JFrog limit": which known limit of JFrog's client


@dataclass
class Cell:
    """One cell of the matrix: a direction, a kind, a URL mode."""

    direction: Direction
    kind: Kind
    mode: UrlMode
    checks: list[Check] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def result(self) -> Status:
        statuses = {check.status for check in self.checks}
        if "FAIL" in statuses or not statuses:
            return "FAIL"
        return "JFrog limit" if "JFrog limit" in statuses else "ok"


@dataclass(frozen=True)
class Version:
    """One version a cell sends: its files and what the receiver must end up with."""

    cell: Cell
    version: str
    names: tuple[TestName, ...]
    source: Path
    expected: dict[str, bytes]  # local path after download -> bytes
    edge: bool


def _content(name: TestName, salt: str) -> bytes:
    seed = hashlib.sha256(f"{salt}\0{name.same_as or name.path}".encode()).digest()
    return random.Random(seed).randbytes(name.size)


def _write(root: Path, names: Iterable[TestName], salt: str) -> dict[str, bytes]:
    """Create ``names`` below ``root``; returns path -> contents."""
    written: dict[str, bytes] = {}
    for name in names:
        path = root / name.path
        path.parent.mkdir(parents=True, exist_ok=True)
        written[name.path] = _content(name, salt)
        path.write_bytes(written[name.path])
    return written


def _namespace(kind: Kind) -> str | None:
    return NAMESPACE if kind == "model" else None


def _entity_path(kind: Kind, version: str) -> str:
    """The version's folder in the repository (where its properties live)."""
    return f"{_entity_folder(kind)}/{version}"


def _entity_folder(kind: Kind) -> str:
    entity = f"{NAMESPACE}/{ENTITY[kind]}" if kind == "model" else ENTITY[kind]
    return f"{TOP[kind]}/{entity}"


def _compare(version: Version, target: Path, failure: str, limit: str | None = None) -> list[Check]:
    """Check every expected file in ``target``, and that nothing else is there.
    ``failure`` explains a missing file; ``limit`` turns it into "JFrog limit"."""
    found = read_tree(target) if target.exists() else {}
    by_path = {name.path: name for name in version.names}
    checks: list[Check] = []
    for path, data in version.expected.items():
        got = found.pop(path, None)
        name = by_path.get(path)
        if got == data:
            checks.append(Check(path, "ok", name=name))
        elif limit is not None:
            checks.append(Check(path, "JFrog limit", failure, name, why=limit))
        else:
            why = "missing" if got is None else f"bytes differ ({len(got)} vs {len(data)} B)"
            checks.append(Check(path, "FAIL", f"{why}: {failure}".rstrip(": "), name))
    if found:
        checks.append(Check("extra files", "FAIL", f"not in the version: {sorted(found)}"))
    return checks


def _short(text: str, limit: int = 300) -> str:
    text = " ".join(text.split()).split(" for url: ", 1)[0]  # requests' errors end in the URL
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- JFrog's client uploads, frogml downloads -----------------------------------------


def _jfrog_upload_job(version: Version, properties: dict[str, str] | None) -> dict[str, Any]:
    kind = version.cell.kind
    job: dict[str, Any] = {
        "op": "upload",
        "kind": kind,
        "repo": REPO,
        "name": ENTITY[kind],
        "namespace": _namespace(kind),
        "version": version.version,
        "source": str(version.source),
        "properties": properties,
    }
    if kind == "model":
        job["model_type"] = MODEL_TYPE
    return job


def _frogml_download(storage: FrogMLStorage, version: Version, target: Path) -> str:
    """Download with frogml; an empty string, or frogml's error."""
    kind = version.cell.kind
    try:
        if kind == "model":
            storage.download_model_version(
                REPO,
                ENTITY[kind],
                version.version,
                target,
                NAMESPACE,
                with_dependencies=True,
                with_code=True,
            )
        else:
            storage.download_dataset_version(REPO, ENTITY[kind], version.version, target)
    except FrogMLError as exc:
        return f"frogml: {type(exc).__name__}: {exc}"
    return ""


def _frogml_reads_back(storage: FrogMLStorage, version: Version) -> list[Check]:
    """frogml's view of the version JFrog's client published: properties, model_type."""
    kind = version.cell.kind
    form: dict[str, str] | None = None
    try:
        if kind == "model":
            model = storage.get_model_info(REPO, ENTITY[kind], version.version, NAMESPACE)
            properties = model.properties
            form = {key: getattr(model.manifest.model_format, key) for key in MODEL_TYPE}
        else:
            properties = storage.get_dataset_info(REPO, ENTITY[kind], version.version).properties
    except FrogMLError as exc:
        return [Check("properties", "FAIL", f"frogml get_info: {exc}")]
    checks = [
        Check("properties", "ok")
        if properties == JF_PROPERTIES
        else Check("properties", "FAIL", f"frogml read {properties!r}")
    ]
    if form is not None:
        checks.append(
            Check("model_type", "ok")
            if form == MODEL_TYPE
            else Check("model_type", "FAIL", f"frogml read {form!r}")
        )
    return checks


def jfrog_to_frogml(
    emulator: Emulator, jfrog: JFrogClient, storage: FrogMLStorage, http: DirectHttp, work: Path
) -> list[Cell]:
    versions: list[Version] = []
    jobs: list[dict[str, Any]] = []
    cells: list[Cell] = []
    for kind in KINDS:
        cell = Cell("JFrog → frogml", kind, emulator.mode)
        cells.append(cell)
        folder = work / "jf2fm" / kind
        expected = _write(folder / "main", PORTABLE, f"jf-{kind}-{emulator.mode}")
        main = Version(cell, "jf-main", PORTABLE, folder / "main", expected, edge=False)
        job = _jfrog_upload_job(main, JF_PROPERTIES)
        if kind == "model":
            deps = _write(folder / "deps", JF_DEPENDENCIES, "jf-deps")
            code = _write(folder / "code", (JF_CODE,), "jf-code")
            job["dependencies"] = [str(folder / "deps" / name) for name in deps]
            job["code"] = str(folder / "code" / JF_CODE.path)
            expected.update({f"dependencies/{n}": data for n, data in deps.items()})
            expected.update({f"code/{n}": data for n, data in code.items()})
            cell.notes.append(
                f"namespace `{NAMESPACE}`, {len(deps)} dependency files and a code archive "
                "(downloaded with with_dependencies/with_code)"
            )
        cell.notes.append(
            "properties and model_type read back by frogml"
            if kind == "model"
            else "properties read back by frogml"
        )
        versions.append(main)
        jobs.append(job)
        for index, name in enumerate(EDGE):
            source = folder / f"edge-{index}"
            data = _write(source, (name,), f"jf-{kind}-{emulator.mode}-edge")
            edge = Version(cell, f"jf-edge-{index}", (name,), source, data, edge=True)
            versions.append(edge)
            jobs.append(_jfrog_upload_job(edge, None))
    outcomes = jfrog.run(emulator.server, jobs)
    for version, outcome in zip(versions, outcomes, strict=True):
        checks = _check_jfrog_upload(storage, http, emulator.url, version, outcome, work)
        version.cell.checks.extend(checks)
    return cells


def _check_jfrog_upload(
    storage: FrogMLStorage,
    http: DirectHttp,
    base: str,
    version: Version,
    outcome: JobOutcome,
    work: Path,
) -> list[Check]:
    if not outcome.ok:
        name = version.names[0] if version.edge else None
        limit = None if name is None else jfrog_limit(name.path, "upload", version.cell.mode)
        if name is not None and limit is not None:
            # What reached the server: the transaction's area (a repository folder, not a
            # local one), below its id and its files folder.
            area = f"{_entity_folder(version.cell.kind)}/tmp/{version.version}"  # noqa: S108
            got = [uri.split("/", 2)[-1] for uri in http.list_files(base, REPO, area)]
            landed = ", ".join(_code(g) for g in got) or "nothing"
            note = f"the server got {landed}; JFrog's client: {_short(outcome.describe())}"
            return [Check(name.path, "JFrog limit", note, name, why=limit)]
        failure = f"JFrog's client failed to upload: {_short(outcome.describe())}"
        return _compare(version, work / "nothing", failure)
    target = work / "jf2fm" / version.cell.kind / f"{version.version}-frogml-out"
    error = _frogml_download(storage, version, target)
    checks = _compare(version, target, error)
    if not version.edge:
        checks.extend(_frogml_reads_back(storage, version))
    return checks


# -- frogml uploads, JFrog's client downloads -----------------------------------------


def _frogml_upload(
    storage: FrogMLStorage, version: Version, deps: Sequence[Path], code: Path | None
) -> str:
    kind = version.cell.kind
    properties = None if version.edge else FM_PROPERTIES
    try:
        if kind == "model":
            storage.upload_model_version(
                REPO,
                ENTITY[kind],
                version.source,
                MODEL_TYPE,
                namespace=NAMESPACE,
                version=version.version,
                properties=properties,
                dependencies_files_paths=list(deps) or None,
                code_archive_file_path=code,
            )
        else:
            storage.upload_dataset_version(
                REPO, ENTITY[kind], version.source, version=version.version, properties=properties
            )
    except FrogMLError as exc:
        return f"frogml could not upload: {type(exc).__name__}: {exc}"
    return ""


def _server_holds(http: DirectHttp, base: str, path: str, data: bytes, subject: str) -> Check:
    """A direct GET of ``path`` in the repository returns ``data``."""
    status, body = http.get(repo_path_url(base, REPO, path))
    if status == 200 and body == data:
        return Check(subject, "ok")
    return Check(subject, "FAIL", f"direct GET of the published file: {status}, {len(body)} B")


def frogml_to_jfrog(
    emulator: Emulator, jfrog: JFrogClient, storage: FrogMLStorage, http: DirectHttp, work: Path
) -> list[Cell]:
    versions: list[Version] = []
    jobs: list[dict[str, Any]] = []
    cells: list[Cell] = []
    for kind in KINDS:
        cell = Cell("frogml → JFrog", kind, emulator.mode)
        cells.append(cell)
        folder = work / "fm2jf" / kind
        expected = _write(folder / "main", PORTABLE, f"fm-{kind}-{emulator.mode}")
        planned = [Version(cell, "fm-main", PORTABLE, folder / "main", expected, edge=False)]
        for index, name in enumerate(EDGE):
            source = folder / f"edge-{index}"
            data = _write(source, (name,), f"fm-{kind}-{emulator.mode}-edge")
            planned.append(Version(cell, f"fm-edge-{index}", (name,), source, data, edge=True))
        extras: list[Check] = []
        for version in planned:
            deps: dict[str, bytes] = {}
            code: dict[str, bytes] = {}
            if kind == "model" and not version.edge:
                deps = _write(folder / "deps", FM_DEPENDENCIES, "fm-deps")
                code = _write(folder / "code", (FM_CODE,), "fm-code")
            error = _frogml_upload(
                storage,
                version,
                [folder / "deps" / n for n in deps],
                folder / "code" / FM_CODE.path if code else None,
            )
            if error:  # frogml's own failure: every file of the version fails
                cell.checks.extend(_compare(version, work / "nothing", error))
                continue
            extras.extend(_published_extras(http, emulator.url, version, deps, code))
            versions.append(version)
            jobs.append(
                {
                    "op": "download",
                    "kind": kind,
                    "repo": REPO,
                    "name": ENTITY[kind],
                    "namespace": _namespace(kind),
                    "version": version.version,
                    "target": str(folder / f"{version.version}-jfrog-out"),
                }
            )
        cell.checks.extend(extras)
        if kind == "model":
            cell.notes.append(
                f"namespace `{NAMESPACE}`; JFrog's client never downloads dependency files or"
                " code archives: those were checked by direct GETs of the published layout"
            )
        cell.notes.append(
            "properties (any text) checked via the storage API: JFrog's client exposes none"
        )
    outcomes = jfrog.run(emulator.server, jobs) if jobs else []
    for version, outcome in zip(versions, outcomes, strict=True):
        target = work / "fm2jf" / version.cell.kind / f"{version.version}-jfrog-out"
        failure = _short(outcome.describe()) or "no error raised or logged"
        single = version.names[0] if version.edge else None
        limit = None if single is None else jfrog_limit(single.path, "download", version.cell.mode)
        version.cell.checks.extend(_compare(version, target, f"JFrog's client: {failure}", limit))
    return cells


def _published_extras(
    http: DirectHttp,
    base: str,
    version: Version,
    deps: dict[str, bytes],
    code: dict[str, bytes],
) -> list[Check]:
    """What JFrog's client cannot check: the files on the server under their own names,
    the dependency files, the code archive, the properties."""
    kind = version.cell.kind
    folder = _entity_path(kind, version.version)
    files = "model" if kind == "model" else "dataset"
    checks: list[Check] = []
    if version.edge:  # the server holds the file under its exact name
        ((path, data),) = version.expected.items()
        where = f"{folder}/{files}/{path}"
        return [_server_holds(http, base, where, data, f"on the server: {path}")]
    for name, data in deps.items():
        where = f"{folder}/dependencies/{name}"
        checks.append(_server_holds(http, base, where, data, f"dependency {name}"))
    for name, data in code.items():
        checks.append(_server_holds(http, base, f"{folder}/code/{name}", data, f"code {name}"))
    stored = http.properties(base, REPO, folder)
    wanted = {key: [value] for key, value in FM_PROPERTIES.items()}
    checks.append(
        Check("properties", "ok")
        if stored == wanted
        else Check("properties", "FAIL", f"storage API: {stored!r}")
    )
    return checks


# -- the report -----------------------------------------------------------------------


def _cell_text(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _code(text: str) -> str:
    fence = "``" if "`" in text else "`"
    pad = " " if fence == "``" else ""
    return _cell_text(f"{fence}{pad}{text}{pad}{fence}")


def _names_tried() -> str:
    edge = " ".join(_code(n.label) for n in EDGE)
    return f"{len(PORTABLE)} odd names in one version; one version each for {edge}"


def _cell_notes(cell: Cell) -> str:
    notes = list(cell.notes)
    limited = [c for c in cell.checks if c.status == "JFrog limit"]
    if limited:
        labels = ", ".join(_code(c.name.label if c.name else c.subject) for c in limited)
        notes.insert(0, f"JFrog limit on {labels}")
    failed = [c for c in cell.checks if c.status == "FAIL"]
    for check in failed[:5]:
        notes.insert(0, f"**FAIL** {_code(check.subject)}: {_short(check.note, 240)}")
    if len(failed) > 5:
        notes.insert(5, f"… and {len(failed) - 5} more failures")
    ok = sum(c.status == "ok" for c in cell.checks)
    notes.append(f"{ok}/{len(cell.checks)} checks ok")
    return _cell_text("; ".join(notes))


def _matrix(cells: list[Cell]) -> list[str]:
    lines = [
        "| direction | kind | URL mode | names tried | result | notes |",
        "|---|---|---|---|---|---|",
    ]
    for cell in cells:
        result = "**FAIL**" if cell.result == "FAIL" else cell.result
        lines.append(
            f"| {cell.direction} | {cell.kind} | {cell.mode} | {_names_tried()}"
            f" | {result} | {_cell_notes(cell)} |"
        )
    return lines


def _names_table(cells: list[Cell], modes: Sequence[UrlMode]) -> list[str]:
    columns = [(d, m) for d in ("JFrog → frogml", "frogml → JFrog") for m in modes]
    header = " | ".join(f"{d} ({m})" for d, m in columns)
    lines = [f"| file name | what | {header} |", "|---|---|" + "---|" * len(columns)]
    for name in (*PORTABLE, *EDGE):
        row = []
        for direction, mode in columns:
            found: dict[str, str] = {}
            for cell in cells:
                if (cell.direction, cell.mode) != (direction, mode):
                    continue
                statuses = {c.status for c in cell.checks if c.name == name}
                worst = next((s for s in ("FAIL", "JFrog limit", "ok") if s in statuses), "-")
                found[cell.kind] = f"**{worst}**" if worst == "FAIL" else worst
            same = len(set(found.values())) == 1
            row.append(
                next(iter(found.values()))
                if same
                else " / ".join(f"{k}: {v}" for k, v in found.items())
            )
        lines.append(f"| {_code(name.path)} | {_cell_text(name.label)} | {' | '.join(row)} |")
    return lines


def _limits_seen(cells: list[Cell]) -> list[str]:
    """Each distinct reason, with the names and the (operation, URL mode)s it hit."""
    seen: dict[str, dict[str, list[str]]] = {}
    for cell in cells:
        for check in cell.checks:
            if check.status == "JFrog limit" and check.name is not None:
                why = check.why
                way = "its upload" if cell.direction == "JFrog → frogml" else "its download"
                where = seen.setdefault(f"{way}: {why}", {}).setdefault(check.name.label, [])
                if cell.mode not in where:
                    where.append(cell.mode)
    lines = []
    for why, hit in seen.items():
        names = ", ".join(f"{_code(label)} ({', '.join(modes)})" for label, modes in hit.items())
        lines.append(f"- {names} — {_cell_text(why)}")
    return lines


def _details(cells: list[Cell]) -> list[str]:
    """Every check that is not plainly ok, with what was seen."""
    lines = ["| direction | kind | URL mode | file or item | result | what was seen |"]
    lines.append("|---|---|---|---|---|---|")
    for cell in cells:
        for check in cell.checks:
            if check.status != "ok" or check.note:
                result = "**FAIL**" if check.status == "FAIL" else check.status
                lines.append(
                    f"| {cell.direction} | {cell.kind} | {cell.mode} | {_code(check.subject)}"
                    f" | {result} | {_cell_text(check.note)} |"
                )
    return lines if len(lines) > 2 else ["None."]


def render(cells: list[Cell], context: dict[str, str], modes: Sequence[UrlMode]) -> str:
    failed = sum(cell.result == "FAIL" for cell in cells)
    verdict = f"{failed} cell(s) FAILED" if failed else "no failure frogml is responsible for"
    lines = [
        "# Interop with JFrog's own client",
        "",
        f"Command: `{context['command']}` (`just interop`)  ",
        f"Date: {context['date']}  ",
        f"Machine: {context['machine']}  ",
        f"JFrog's client: `frogml=={JFROG_VERSION}` ({context['jfrog']})  ",
        f"frogml: this repository at {context['git']}  ",
        "Server: the emulator (`python -m emulator`), 127.0.0.1, one process per URL mode.",
        "",
        f"**Verdict: {verdict}.** Every downloaded file is compared byte for byte with its "
        'source. "JFrog limit" marks a name JFrog\'s client is known to break on '
        "(protocol page §4 and §7); such names go in versions of their own. An uploader's "
        "side of an edge version is verified too (frogml → JFrog: a direct GET of the "
        "published file under its own name).",
        "",
        "## Matrix",
        "",
        *_matrix(cells),
        "",
        "## File names",
        "",
        "Per direction and URL mode (model and dataset alike unless shown apart). "
        "JFrog → frogml tests JFrog's uploads; frogml → JFrog its downloads.",
        "",
        *_names_table(cells, modes),
        "",
        "## JFrog limits seen",
        "",
        *(_limits_seen(cells) or ["- none"]),
        "",
        "## Details",
        "",
        *_details(cells),
        "",
        "## Not tried, and caveats",
        "",
        "- Names frogml refuses by design, on upload and in a manifest it reads "
        "(`frogml/domain/model/names.py`, `check_artifact_path`): control characters, "
        "backslashes, a drive-letter prefix (`c:x`), empty, `.` or `..` segments. Seen by "
        "hand, not by this script: JFrog's client uploads a name with a tab (frogml then "
        "refuses that manifest with a ProtocolError), and a backslash breaks its upload on "
        "the emulator, which reads `\\` in an `artifact_path` as a folder separator.",
        "- JFrog's `by_basic_auth` sends no credentials (§7): its client uses a token here.",
        "- When JFrog's client uploads a name it breaks on, the emulator refuses the commit "
        "(409: the manifest names a file the transaction does not hold; an [ours] rule, §4). "
        "JFrog's client commits even when uploads failed (§7); whether Artifactory refuses "
        "that commit too is not known, and a published version naming a missing file is not "
        "tried here.",
        "",
    ]
    return "\n".join(lines)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--modes", default="raw,encoded", help="URL modes of the emulator")
    parser.add_argument("--keep", action="store_true", help="keep interop/.work/run")
    parser.add_argument("--results", type=Path, default=HERE / "RESULTS.md")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    modes = [cast(UrlMode, mode) for mode in args.modes.split(",")]
    if not modes or any(mode not in ("raw", "encoded") for mode in modes):
        raise SystemExit("--modes takes raw, encoded or both")
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    work = HERE / ".work" / "run"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    venv = HERE / ".work" / "jfrog-venv"
    python, obtained = jfrog_python(venv, work / "pip.log")
    cells: list[Cell] = []
    http = DirectHttp()
    for mode in modes:
        here = work / mode
        jfrog = JFrogClient(python, venv, here)
        with (
            Emulator(ROOT, here / "emulator", mode) as emulator,
            FrogMLStorage(
                AuthConfig.by_access_token(emulator.url, TOKEN), env={}, download_cache=False
            ) as storage,
        ):
            cells += jfrog_to_frogml(emulator, jfrog, storage, http, here)
            cells += frogml_to_jfrog(emulator, jfrog, storage, http, here)
        print(f"{mode}: done", file=sys.stderr, flush=True)
    http.close()
    order = {"JFrog → frogml": 0, "frogml → JFrog": 1}
    cells.sort(key=lambda c: (order[c.direction], KINDS.index(c.kind), modes.index(c.mode)))
    python_shown = Path(sys.executable)
    if python_shown.is_relative_to(ROOT):
        python_shown = python_shown.relative_to(ROOT)
    given = argv if argv is not None else sys.argv[1:]
    command = " ".join([str(python_shown), "interop/run.py", *given])
    context = {
        "command": command,
        "date": started,
        "machine": machine(),
        "jfrog": obtained,
        "git": git_state(ROOT),
    }
    report = render(cells, context, modes)
    print(report)
    args.results.write_text(report, encoding="utf-8")
    print(f"written to {args.results}", file=sys.stderr)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if any(cell.result == "FAIL" for cell in cells) else 0


if __name__ == "__main__":
    raise SystemExit(main())
