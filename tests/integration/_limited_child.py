"""Steps of the library run in a process whose open-file limit is lowered first.

Usage: ``python -m tests.integration._limited_child LIMIT STEPS-JSON``; the store
comes from the environment (``FROGML_STORE_DIR``, or ``JF_URL`` and
``JF_ACCESS_TOKEN``). Prints one JSON line: ``{"error": null}``, or the frogml error's
class name and message. Anything else (an ``OSError``, say) is a traceback and exit 1.
"""

from __future__ import annotations

import json
import resource
import sys

FORMAT = {
    "framework": "f",
    "framework_version": "1",
    "serialization_format": "s",
    "runtime": "p",
    "runtime_version": "3",
}


def main() -> None:
    limit, steps = int(sys.argv[1]), json.loads(sys.argv[2])
    resource.setrlimit(resource.RLIMIT_NOFILE, (limit, limit))  # nor can it raise it back
    from frogml import FrogMLStorage
    from frogml.errors import FrogMLError

    storage = FrogMLStorage()
    try:
        for op, repository, name, version, path in steps:
            if op == "upload":
                storage.upload_model_version(repository, name, path, FORMAT, version=version)
            else:
                storage.download_model_version(repository, name, version, path)
    except FrogMLError as exc:
        print(json.dumps({"error": type(exc).__name__, "message": str(exc)}))
        return
    print(json.dumps({"error": None}))


if __name__ == "__main__":
    main()
