"""Code written for JFrog's client (``frogml==2.1.152``, module ``frogml.storage``) runs
on frogml unchanged: its imports, keywords, results and exceptions.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from emulator.app import Emulator
from emulator.fixtures import EMULATOR_TOKEN

# A script as a user of JFrog's client writes it: nothing in it knows about frogml.
JFROG_SCRIPT = r"""
import json, os, sys
from frogml.storage.frog_ml import FrogMLStorage
from frogml.storage.authentication.models._auth_config import AuthConfig
from frogml.storage.models.serialization_metadata import SerializationMetadata
from frogml.storage.exceptions.validation_error import FrogMLValidationError
from frogml.storage.exceptions.checksum_verification_error import ChecksumVerificationError

storage = FrogMLStorage(AuthConfig.by_access_token(os.environ["URL"], os.environ["TOKEN"]))
data = storage.upload_dataset_version(
    repository="ml-local", dataset_name="rows", dataset_path="~/data", version="1"
)
model = storage.upload_model_version(
    repository="ml-local",
    model_name="iris",
    model_path="~/model",
    model_type=SerializationMetadata(
        framework="sklearn", framework_version="1.5", serialization_format="pkl",
        runtime="python", runtime_version="3.11",
    ),
    version="1",
    dependencies_files_paths=["~/requirements.txt"],
)
storage.download_dataset_version(
    repository="ml-local", dataset_name="rows", version="1", target_path="~/out/data"
)
storage.download_model_version(
    repository="ml-local", model_name="iris", version="1", target_path="~/out/model"
)
manifest = storage.get_entity_manifest("model", "ml-local", None, "iris", "1")
try:
    storage.upload_dataset_version("ml-local", "bad name!", dataset_path="~/data")
    caught = None
except FrogMLValidationError as error:
    caught = str(error)
print(json.dumps({
    "dataset": [data.entity_name, data.namespace, data.version],
    "dataset_files": [a.artifact_path for a in data.entity_manifest.dataset_artifacts],
    "model_sha2": [a.checksums.sha2 for a in model.entity_manifest.model_artifacts],
    "model_artifacts": [a.artifact_path for a in model.entity_manifest.artifacts],
    "manifest": manifest,
    "caught": caught,
    "checksum_error_is_an_exception": issubclass(ChecksumVerificationError, Exception),
}))
"""


def _home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    (home / "data").mkdir(parents=True)
    (home / "data" / "rows.csv").write_text("a,b\n1,2\n")
    (home / "model").mkdir()
    (home / "model" / "model.pkl").write_bytes(b"\x80\x04pickle")
    (home / "requirements.txt").write_text("scikit-learn==1.5\n")
    return home


def test_a_script_written_for_jfrogs_client_runs_unchanged(
    emulator: Emulator, tmp_path: Path
) -> None:
    home = _home(tmp_path)
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "URL": emulator.base_url,  # the documentation's form: no /artifactory
        "TOKEN": EMULATOR_TOKEN,
    }
    done = subprocess.run(
        [sys.executable, "-c", JFROG_SCRIPT],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["dataset"] == ["rows", None, "1"]
    assert result["dataset_files"] == ["rows.csv"]
    assert result["model_artifacts"] == ["model.pkl"]
    assert len(result["model_sha2"][0]) == 64
    assert result["manifest"]["model_artifacts"][0]["artifact_path"] == "model.pkl"
    assert result["manifest"]["model_artifacts"][0]["checksums"]["sha2"] == result["model_sha2"][0]
    assert result["manifest"]["model_format"]["framework"] == "sklearn"
    assert "invalid dataset name 'bad name!'" in result["caught"]
    assert result["checksum_error_is_an_exception"] is True
    # JFrog's download writes the model's own files, not its dependencies.
    assert (home / "out" / "data" / "rows.csv").read_text() == "a,b\n1,2\n"
    assert (home / "out" / "model" / "model.pkl").read_bytes() == b"\x80\x04pickle"
    assert not (home / "out" / "model" / "dependencies").exists()
    assert not (tmp_path / "~").exists()  # "~" was expanded, not created


def test_the_compatibility_names_are_the_same_objects() -> None:
    import frogml
    import frogml_storage.authentication.models._auth_config as seed_auth
    import frogml_storage.frog_ml as seed_storage
    import jfrog_ml.serialization_metadata as seed_metadata
    from frogml.domain.errors import IntegrityError, ValidationError
    from frogml.storage.authentication.models import _auth_config as jfrog_auth
    from frogml.storage.exceptions.checksum_verification_error import ChecksumVerificationError
    from frogml.storage.exceptions.validation_error import FrogMLValidationError
    from frogml.storage.frog_ml import FrogMLStorage
    from frogml.storage.models import serialization_metadata as jfrog_metadata
    from frogml.storage.models.frogml_model_version import FrogMLModelVersion

    assert seed_storage.FrogMLStorage is FrogMLStorage is frogml.FrogMLStorage
    assert seed_auth.AuthConfig is jfrog_auth.AuthConfig is frogml.AuthConfig
    assert seed_metadata.SerializationMetadata is jfrog_metadata.SerializationMetadata
    assert jfrog_metadata.SerializationMetadata is frogml.SerializationMetadata
    assert FrogMLValidationError is ValidationError
    assert issubclass(FrogMLValidationError, ValueError)
    assert ChecksumVerificationError is IntegrityError
    assert FrogMLModelVersion is frogml.ModelVersion


def test_both_names_of_the_dataset_path_at_once_are_refused(tmp_path: Path) -> None:
    from frogml.adapters.memory import InMemoryFileSystem, InMemoryStore
    from frogml.storage.exceptions.validation_error import FrogMLValidationError
    from frogml.storage.frog_ml import FrogMLStorage

    store = InMemoryStore()
    storage = FrogMLStorage(store=store, filesystem=InMemoryFileSystem())
    with pytest.raises(FrogMLValidationError, match="source_path or dataset_path: not both"):
        storage.upload_dataset_version("r", "d", "/a", dataset_path="/b")
    with pytest.raises(FrogMLValidationError, match="it is missing"):
        storage.upload_dataset_version("r", "d")
    assert store.transactions == {}
    assert store.versions == {}


def test_authconfig_takes_jfrogs_keyword_and_hides_the_secret() -> None:
    from frogml.storage.authentication.models._auth_config import AuthConfig

    config = AuthConfig(artifactory_url="http://myorg.jfrog.io", access_token="s3cr3t-token-value")
    assert config.artifactory_url == config.url == "http://myorg.jfrog.io"
    assert "s3cr3t" not in repr(config)
