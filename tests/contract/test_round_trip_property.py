"""Upload then download is the identity, for arbitrary small file trees, on every store."""

from __future__ import annotations

import tempfile
from contextlib import ExitStack
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frogml.domain.model.ignore import is_ignored
from frogml.domain.services.download import Download, DownloadDatasetRequest
from frogml.domain.services.upload import Upload, UploadDatasetRequest
from tests.contract.conftest import STORE_FACTORIES, STORE_IDS, Factory

# Letters with and without accents, digits, spaces and punctuation that names may hold.
_SEGMENT = st.text(
    alphabet=st.sampled_from("abcXYZ019 -_.éßøñ日本€"), min_size=1, max_size=12
).filter(lambda s: s.strip(" .") != "" and not is_ignored(s))
_PATH = st.lists(_SEGMENT, min_size=1, max_size=3).map("/".join)


def _is_storable(tree: dict[str, bytes]) -> bool:
    """No two paths equal when case-folded, and no path both a file and a folder."""
    folded = {p.casefold() for p in tree}
    if len(folded) != len(tree):
        return False
    folders = {"/".join(p.split("/")[:i]) for p in folded for i in range(1, p.count("/") + 1)}
    return not folders & folded


_TREES = st.dictionaries(_PATH, st.binary(max_size=200), min_size=1, max_size=6).filter(
    _is_storable
)


@pytest.mark.parametrize("factory", STORE_FACTORIES, ids=STORE_IDS)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tree=_TREES)
def test_upload_then_download_returns_the_same_tree(
    factory: Factory, tree: dict[str, bytes]
) -> None:
    with tempfile.TemporaryDirectory() as base, ExitStack() as stack:
        h = factory(Path(base), stack)
        for rel, data in tree.items():
            h.write(f"src/{rel}", data)
        upload = Upload(store=h.store, filesystem=h.filesystem)
        result = upload(UploadDatasetRequest(repository="r", name="d", source_path=h.path("src")))
        version = result.dataset_version.version
        download = Download(store=h.store, filesystem=h.filesystem)
        download(
            DownloadDatasetRequest(
                repository="r", name="d", version=version, target_path=h.path("out")
            )
        )

        assert h.listing("out") == tree
