"""frogml's quick start: upload the example model and download it again.

With nothing configured this uses the embedded local store (~/.frogml/store);
with JF_URL and JF_ACCESS_TOKEN set, or after `frogml login`, the same code talks
to Artifactory.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from frogml import FrogMLStorage, SerializationMetadata

HERE = Path(__file__).resolve().parent


def main() -> None:
    storage = FrogMLStorage()
    uploaded = storage.upload_model_version(
        repository="ml-local",
        model_name="iris",
        model_path=str(HERE / "iris-model"),
        model_type=SerializationMetadata(
            framework="numpy",
            framework_version="1.26",
            serialization_format="json",
            runtime="python",
            runtime_version="3.11",
        ),
        properties={"stage": "quickstart"},
        dependencies_files_paths=[str(HERE / "requirements.txt")],
    )
    print(f"uploaded iris version {uploaded.version} to {storage.location}")
    for artifact in uploaded.manifest.model_artifacts:
        print(f"  {artifact.artifact_path}  {artifact.size} bytes  sha256:{artifact.sha256[:16]}")
    target = Path(tempfile.mkdtemp(prefix="frogml-quickstart-"))
    result = storage.download_model_version(
        "ml-local", "iris", uploaded.version, target, with_dependencies=True
    )
    print(f"downloaded {len(result.files)} files to {target}, every byte verified:")
    for path in sorted(p for p in target.rglob("*") if p.is_file()):
        print(f"  {path}")


if __name__ == "__main__":
    main()
