"""The built wheel, installed into a fresh virtualenv, as a service embedding frogml sees it.

The wheel is built once per module, offline, from the working tree. The virtualenv sees
this test environment's third-party packages (urllib3, msgspec, ...) through a ``.pth``
file listing its site-packages; a path line in a ``.pth`` only appends that folder, so
the editable install of the repository (itself a ``.pth`` there) is not picked up and
``frogml`` resolves to the wheel's copy.
"""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
HOST_SERVICE = Path(__file__).resolve().parent / "host_service"

# The one import name; the compatibility names may be shipped beside it.
REQUIRED_TOP_LEVEL = "frogml"
ALLOWED_TOP_LEVEL = frozenset({"frogml", "frogml_storage", "jfrog_ml"})

BUILD_TIMEOUT = 300
RUN_TIMEOUT = 180

_KEPT_ENVIRONMENT = ("PATH", "SYSTEMROOT", "WINDIR", "TEMP", "TMP", "TMPDIR", "LANG", "LC_ALL")


@dataclass(frozen=True)
class Installed:
    """The built wheel and the virtualenv it is installed in."""

    wheel: Path
    python: Path
    site_packages: Path


def _clean_env(home: Path) -> dict[str, str]:
    """A minimal environment: no frogml/JFrog settings, no PYTHONPATH, no pip config."""
    env = {name: os.environ[name] for name in _KEPT_ENVIRONMENT if name in os.environ}
    home.mkdir(parents=True, exist_ok=True)
    env.update(
        HOME=str(home),
        USERPROFILE=str(home),
        PYTHONNOUSERSITE="1",
        PYTHONDONTWRITEBYTECODE="1",
        PIP_CONFIG_FILE=os.devnull,
        PIP_NO_INDEX="1",
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        PIP_NO_INPUT="1",
    )
    return env


def _run(
    args: list[str], *, cwd: Path, env: Mapping[str, str], timeout: int = RUN_TIMEOUT
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=cwd, env=dict(env), capture_output=True, text=True, timeout=timeout, check=False
    )


def _ok(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, (
        f"{done.args} exited {done.returncode}\n"
        f"--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}"
    )
    return done.stdout


def _venv_python(venv: Path) -> Path:
    if sys.platform == "win32":
        return venv / "Scripts" / "python.exe"
    return venv / "bin" / "python"


def _test_env_site_packages() -> list[str]:
    return [path for path in site.getsitepackages() if Path(path).is_dir()]


def _is_inside(path: str | Path, folder: Path) -> bool:
    return Path(path).resolve().is_relative_to(folder.resolve())


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """Build the wheel offline, install it into a new virtualenv without pip."""
    root = tmp_path_factory.mktemp("packaging")
    env = _clean_env(root / "home")
    dist = root / "dist"
    pip = [sys.executable, "-m", "pip", "--no-cache-dir"]
    _ok(
        _run(
            [
                *pip,
                "wheel",
                "--no-build-isolation",
                "--no-deps",
                "--no-index",
                "-w",
                str(dist),
                str(REPO),
            ],
            cwd=root,
            env=env,
            timeout=BUILD_TIMEOUT,
        )
    )
    wheels = sorted(dist.glob("*.whl"))
    assert [wheel.name.split("-")[0] for wheel in wheels] == ["frogml"], wheels

    venv = root / "venv"
    _ok(_run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=root, env=env))
    python = _venv_python(venv)
    _ok(
        _run(
            [*pip, "--python", str(python), "install", "--no-deps", "--no-index", str(wheels[0])],
            cwd=root,
            env=env,
            timeout=BUILD_TIMEOUT,
        )
    )
    purelib = "import sysconfig; print(sysconfig.get_path('purelib'))"
    site_packages = Path(_ok(_run([str(python), "-c", purelib], cwd=root, env=env)).strip())
    assert _is_inside(site_packages, venv)
    shared = _test_env_site_packages()
    assert shared, "the test environment has no site-packages to share"
    (site_packages / "_frogml_test_environment.pth").write_text("\n".join(shared) + "\n")
    return Installed(wheel=wheels[0], python=python, site_packages=site_packages)


def _mypy(
    installed: Installed, cwd: Path, *scripts: str, verbose: bool = False
) -> subprocess.CompletedProcess[str]:
    """mypy --strict from the test environment, resolving imports as the venv does.

    It runs outside the repository with its own empty config file, so the repository's
    ``[tool.mypy]`` (and any user config under HOME) plays no part.
    """
    config = cwd / "mypy-packaging.ini"
    config.write_text("[mypy]\n")
    args = [
        sys.executable,
        "-m",
        "mypy",
        "--config-file",
        str(config),
        "--strict",
        "--python-executable",
        str(installed.python),
        "--no-incremental",
        "--cache-dir",
        str(cwd / ".mypy-cache"),
        *(["--verbose"] if verbose else []),
        *scripts,
    ]
    return _run(args, cwd=cwd, env=_clean_env(cwd / "home"))


# -- the installed wheel -----------------------------------------------------------------


def test_the_venv_imports_frogml_from_the_wheel_not_from_the_repository(
    installed: Installed, tmp_path: Path
) -> None:
    probe = (
        "import json, sys\n"
        "import frogml, frogml.root.storage, msgspec, rich_click, structlog, urllib3\n"
        "print(json.dumps({'frogml': frogml.__file__,"
        " 'storage': frogml.root.storage.__file__, 'path': sys.path}))\n"
    )
    done = _run(
        [str(installed.python), "-c", probe], cwd=tmp_path, env=_clean_env(tmp_path / "home")
    )
    found = json.loads(_ok(done))
    assert _is_inside(found["frogml"], installed.site_packages), found["frogml"]
    assert _is_inside(found["storage"], installed.site_packages), found["storage"]
    assert not _is_inside(found["frogml"], REPO / "frogml")
    # The shared site-packages are appended; the editable install's path line is not followed.
    assert set(_test_env_site_packages()) <= set(found["path"])
    assert str(REPO) not in found["path"]


def test_the_wheel_ships_only_frogml_and_its_compatibility_names_all_typed(
    installed: Installed,
) -> None:
    with zipfile.ZipFile(installed.wheel) as wheel:
        entries = wheel.namelist()
    top_level = {
        entry.split("/")[0].removesuffix(".py")
        for entry in entries
        if not entry.split("/")[0].endswith((".dist-info", ".data"))
    }
    assert REQUIRED_TOP_LEVEL in top_level
    assert top_level <= ALLOWED_TOP_LEVEL, sorted(top_level - ALLOWED_TOP_LEVEL)

    packages = {
        entry.split("/")[0]
        for entry in entries
        if entry.count("/") == 1 and entry.endswith("/__init__.py")
    }
    assert REQUIRED_TOP_LEVEL in packages
    untyped_in_wheel = sorted(name for name in packages if f"{name}/py.typed" not in entries)
    assert untyped_in_wheel == [], "packages without py.typed in the wheel"

    installed_packages = {
        path.name
        for path in installed.site_packages.iterdir()
        if path.is_dir() and (path / "__init__.py").is_file()
    }
    assert installed_packages == packages
    untyped_installed = sorted(
        name
        for name in installed_packages
        if not (installed.site_packages / name / "py.typed").is_file()
    )
    assert untyped_installed == [], "installed packages without py.typed"


# -- mypy sees frogml's types ------------------------------------------------------------

EMBEDDING_SCRIPT = """\
from frogml import FrogMLStorage
from frogml.adapters.memory import InMemoryFileSystem, InMemoryStore, ManualClock

disk = InMemoryFileSystem()
disk.add_file("/m/a.bin", b"x")
storage = FrogMLStorage(store=InMemoryStore(clock=ManualClock()), filesystem=disk)
v = storage.upload_dataset_version("ml-local", "d", "/m", version="1")
print(v.version)
"""

MISTAKEN_SCRIPT = EMBEDDING_SCRIPT + "print(v.no_such_attribute)\n"


def test_mypy_strict_accepts_code_embedding_the_installed_frogml(
    installed: Installed, tmp_path: Path
) -> None:
    (tmp_path / "embed.py").write_text(EMBEDDING_SCRIPT)
    checked = _mypy(installed, tmp_path, "embed.py", verbose=True)
    assert "Success: no issues found in 1 source file" in _ok(checked)
    # The types came from the wheel in the venv, under this test's config only.
    wheel_init = installed.site_packages / "frogml" / "__init__.py"
    assert f"Parsing {wheel_init} (frogml)" in checked.stderr
    assert str(REPO / "frogml") not in checked.stderr
    assert str(REPO / "pyproject.toml") not in checked.stderr
    assert str(tmp_path / "mypy-packaging.ini") in checked.stderr

    ran = _run([str(installed.python), "embed.py"], cwd=tmp_path, env=_clean_env(tmp_path / "home"))
    assert _ok(ran).strip() == "1"


def test_mypy_strict_rejects_a_mistake_against_the_installed_frogml(
    installed: Installed, tmp_path: Path
) -> None:
    (tmp_path / "mistaken.py").write_text(MISTAKEN_SCRIPT)
    checked = _mypy(installed, tmp_path, "mistaken.py")
    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert '"DatasetVersion" has no attribute "no_such_attribute"' in checked.stdout
    assert "[attr-defined]" in checked.stdout
    assert "Found 1 error in 1 file" in checked.stdout


# The public names as a host's code imports them, one mypy run over several files: the
# lazily exported names must have their real types (subclassing an ``Any`` is an error
# under --strict), a misspelled name must be an error, not an ``Any``, and each kind's
# request methods take only requests of that kind.
TYPED_CONSUMERS = {
    "root_names.py": """\
from typing import assert_type

import frogml
from frogml import (
    AuthConfig,
    DownloadResult,
    FrogMLStorage,
    SerializationMetadata,
    UploadDatasetRequest,
    UploadDatasetResult,
    UploadModelRequest,
    UploadModelResult,
)


class HostStorage(FrogMLStorage):
    pass


def publish(storage: FrogMLStorage, meta: SerializationMetadata) -> str:
    login = AuthConfig.by_access_token("https://acme.jfrog.io", "token")
    assert_type(login, AuthConfig)
    assert_type(frogml.FrogMLStorage, type[FrogMLStorage])
    model = UploadModelRequest(repository="r", name="m", source_path="m", model_format=meta)
    data = UploadDatasetRequest(repository="r", name="d", source_path="d")
    assert_type(storage.upload_model(model), UploadModelResult)
    assert_type(storage.upload_dataset(data), UploadDatasetResult)
    assert_type(storage.download_model_version("r", "m", "1", "out"), DownloadResult)
    return storage.upload_dataset(data).dataset_version.version
""",
    "host_adapters.py": """\
from datetime import datetime, timezone

from frogml.domain.model import EntityKind, SerializationMetadata
from frogml.domain.ports import ArtifactStore, Clock, FileSystem


class FixedClock(Clock):
    def now(self) -> datetime:
        return datetime(2024, 1, 1, tzinfo=timezone.utc)


class HostFileSystem(FileSystem):
    pass


class HostStore(ArtifactStore):
    pass


class HostMetadata(SerializationMetadata, frozen=True):
    pass


KIND: EntityKind = EntityKind.MODEL
""",
    "misspelled.py": """\
import frogml
from frogml import FrogMlStorage
from frogml.domain.model import SerialisationMetadata
from frogml.domain.ports import FileSytem

print(frogml.AuthConfg, FrogMlStorage, SerialisationMetadata, FileSytem)
""",
    "wrong_kind.py": """\
from frogml import (
    DownloadModelRequest,
    FrogMLStorage,
    UploadDatasetResult,
    UploadModelRequest,
)


def mixed(storage: FrogMLStorage, upload: UploadModelRequest, down: DownloadModelRequest) -> None:
    storage.upload_dataset(upload)
    storage.download_dataset(down)
    result: UploadDatasetResult = storage.upload_model(upload)
    print(result)
""",
}


def test_mypy_strict_sees_the_lazily_exported_names_and_rejects_misspelled_ones(
    installed: Installed, tmp_path: Path
) -> None:
    for name, text in TYPED_CONSUMERS.items():
        (tmp_path / name).write_text(text)
    checked = _mypy(installed, tmp_path, *TYPED_CONSUMERS)
    assert checked.returncode == 1, checked.stdout + checked.stderr
    errors = {
        (line.split(":")[0], int(line.split(":")[1]), line.rsplit("[", 1)[-1].rstrip("]"))
        for line in checked.stdout.splitlines()
        if ": error: " in line
    }
    assert errors == {
        ("misspelled.py", 2, "attr-defined"),  # FrogMlStorage
        ("misspelled.py", 3, "attr-defined"),  # SerialisationMetadata
        ("misspelled.py", 4, "attr-defined"),  # FileSytem
        ("misspelled.py", 6, "attr-defined"),  # frogml.AuthConfg
        ("wrong_kind.py", 10, "arg-type"),  # a model request to upload_dataset
        ("wrong_kind.py", 11, "arg-type"),  # a model request to download_dataset
        ("wrong_kind.py", 12, "assignment"),  # a model's result as a dataset's
    }, checked.stdout
    assert '"FrogMlStorage"; maybe "FrogMLStorage"?' in checked.stdout


# -- a host service with its own `domain` and `adapters` ---------------------------------


def _copy_host_service(tmp_path: Path) -> Path:
    copy = tmp_path / "host_service"
    shutil.copytree(HOST_SERVICE, copy, ignore=shutil.ignore_patterns("__pycache__", ".mypy_cache"))
    return copy


def test_a_host_service_with_its_own_domain_and_adapters_round_trips_through_the_wheel(
    installed: Installed, tmp_path: Path
) -> None:
    service = _copy_host_service(tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    home = tmp_path / "home"
    done = _run([str(installed.python), "service.py", str(work)], cwd=service, env=_clean_env(home))
    report = json.loads(_ok(done).strip().splitlines()[-1])

    assert report["status"] == "ok"
    assert report["model_version"] == "1.0.0"
    assert report["dataset_version"] == "1"
    assert report["location"] == f"embedded store at {work / 'store'}"
    assert done.stderr == ""  # the library says nothing unless the host configures logging
    # The host's own packages, not frogml's, answered to `domain` and `adapters`...
    assert report["domain_marker"] == "host-service-domain"
    assert report["adapters_marker"] == "host-service-adapters"
    assert _is_inside(report["domain_file"], service / "domain"), report["domain_file"]
    assert _is_inside(report["adapters_file"], service / "adapters"), report["adapters_file"]
    # ...and frogml came from the wheel.
    assert _is_inside(report["frogml_file"], installed.site_packages), report["frogml_file"]

    assert (work / "store").is_dir()
    assert not (home / ".frogml").exists()
    assert not (work / "home" / ".frogml").exists()


def test_a_host_service_with_its_own_domain_and_adapters_type_checks_against_the_wheel(
    installed: Installed, tmp_path: Path
) -> None:
    service = _copy_host_service(tmp_path)
    checked = _mypy(installed, service, "service.py")
    assert "Success: no issues found in 1 source file" in _ok(checked)
