"""A tiny host service embedding frogml next to its own ``domain`` and ``adapters``.

Run as ``python service.py WORK_DIR`` from this folder, so that the service's packages
come first on ``sys.path``. It publishes a model and a dataset to the embedded store
under WORK_DIR, downloads both, compares every byte and prints one JSON line.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import adapters.memory
import domain.model
from adapters.memory import InMemoryOrders
from domain.model import Order, train_price_model

import frogml
from frogml import FrogMLStorage, SerializationMetadata


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root``, by its relative POSIX path."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def main(work: Path) -> None:
    orders = InMemoryOrders()
    orders.add(Order("o-1", "apple", 3, 120))
    orders.add(Order("o-2", "pear", 1, 95))
    orders.add(Order("o-3", "apple", 2, 130))

    model_dir = work / "model"
    (model_dir / "weights").mkdir(parents=True)
    (model_dir / "model.json").write_bytes(train_price_model(orders.all()))
    (model_dir / "weights" / "blob.bin").write_bytes(bytes(range(256)) * 64)

    dataset_dir = work / "orders"
    (dataset_dir / "2024").mkdir(parents=True)
    rows = "\n".join(order.as_csv_row() for order in orders.all())
    (dataset_dir / "orders.csv").write_text(f"order_id,sku,quantity,unit_price_cents\n{rows}\n")
    (dataset_dir / "2024" / "empty.csv").write_bytes(b"")

    storage = FrogMLStorage(
        env={
            "HOME": str(work / "home"),
            "FROGML_STORE_DIR": str(work / "store"),
            "FROGML_CACHE_DIR": str(work / "cache"),
        }
    )
    model = storage.upload_model_version(
        "ml-local",
        "price-model",
        str(model_dir),
        model_type=SerializationMetadata(
            framework="host-mean-price",
            framework_version="1.0",
            serialization_format="json",
            runtime="python",
            runtime_version=f"{sys.version_info.major}.{sys.version_info.minor}",
        ),
        version="1.0.0",
    )
    dataset = storage.upload_dataset_version("ml-local", "orders", str(dataset_dir), version="1")

    storage.download_model_version("ml-local", "price-model", "1.0.0", str(work / "got-model"))
    storage.download_dataset_version("ml-local", "orders", "1", str(work / "got-orders"))
    storage.close()

    model_same = tree(work / "got-model") == tree(model_dir)
    dataset_same = tree(work / "got-orders") == tree(dataset_dir)
    report = {
        "status": "ok" if model_same and dataset_same else "mismatch",
        "model_version": model.version,
        "dataset_version": dataset.version,
        "location": storage.location,
        "domain_marker": domain.model.MARKER,
        "adapters_marker": adapters.memory.MARKER,
        # After frogml ran, ``domain`` and ``adapters`` must still be the host's own.
        "domain_file": sys.modules["domain.model"].__file__,
        "adapters_file": sys.modules["adapters.memory"].__file__,
        "frogml_file": frogml.__file__,
    }
    print(json.dumps(report))
    if report["status"] != "ok":
        sys.exit(1)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
