"""A dry run's checks of an upload: what starting it would refuse, asked with reads only."""

from __future__ import annotations

from collections.abc import Callable

from frogml.adapters.artifactory._http import HttpClient
from frogml.domain.errors import (
    AlreadyExistsError,
    NotArtifactoryError,
    NotFoundError,
    ProtocolError,
)
from frogml.domain.model.entity import EntityRef

__all__ = ["check_upload"]


def check_upload(http: HttpClient, ref: EntityRef, *, published: Callable[[], object]) -> None:
    """Raise what starting the upload of ``ref`` would: unreachable server, rejected
    credentials (401/403), missing repository (404), the version already published
    (``published`` reads it, raising NotFoundError when it is not).

    Nothing is written, so a permission to deploy (which only a write proves) is not
    checked: a read-only user passes, and the upload itself is then refused.
    """
    what = f"checking the upload of {ref.describe()}"
    http.request("GET", f"{http.urls.base}/api/storage/{ref.repository}", what=what)
    if ref.version is None:
        return  # the server names the version when the upload starts
    try:
        published()
    except NotFoundError:
        return
    except NotArtifactoryError:
        raise
    except ProtocolError:
        pass  # a manifest is there, even one frogml cannot read: the version exists
    raise AlreadyExistsError(f"{what}: {ref.describe()} is already published", what="version")
