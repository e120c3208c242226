"""Embedding frogml in a service, and testing that service with in-memory adapters.

The in-memory store, filesystem and clock honour the same contracts (and raise the
same errors) as the real ones, so a service's tests run without disk or network.
"""

from __future__ import annotations

from frogml import FrogMLStorage, SerializationMetadata
from frogml.adapters.memory import InMemoryFileSystem, InMemoryStore, ManualClock


def publish_and_fetch(storage: FrogMLStorage) -> None:
    """What a service might do: publish a model, then deploy it into a folder."""
    storage.upload_model_version(
        "ml-local",
        "scorer",
        "/model",
        SerializationMetadata(
            framework="onnx",
            framework_version="1.17",
            serialization_format="onnx",
            runtime="python",
            runtime_version="3.11",
        ),
        version="1.0.0",
    )
    storage.download_model_version("ml-local", "scorer", "1.0.0", "/deployed")


def main() -> None:
    disk = InMemoryFileSystem()
    disk.add_file("/model/scorer.onnx", b"\x08\x07onnx-bytes")
    storage = FrogMLStorage(store=InMemoryStore(clock=ManualClock()), filesystem=disk)
    publish_and_fetch(storage)
    print("deployed:", disk.read("/deployed/scorer.onnx"))


if __name__ == "__main__":
    main()
