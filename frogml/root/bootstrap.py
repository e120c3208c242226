"""The composition root: the only place that names concrete adapters.

Adapters are imported inside functions so that ``import frogml`` (and the CLI's
``--help``) stays fast and never loads the HTTP stack unless a server is used.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from frogml.domain.errors import ConfigurationError
from frogml.domain.model.settings import TransferSettings
from frogml.domain.ports.artifact_store import ArtifactStore
from frogml.domain.ports.clock import Clock
from frogml.domain.ports.credentials import Credentials
from frogml.domain.ports.filesystem import FileSystem

__all__ = [
    "Components",
    "bootstrap",
    "check_settings",
    "config_file_path",
    "default_store_dir",
    "download_cache_enabled",
    "jfrog_cli_config_path",
    "resolve",
    "server_required",
]

REQUIRE_SERVER = "FROGML_REQUIRE_SERVER"


@dataclass(frozen=True)
class Components:
    """The adapters a FrogMLStorage works with, and where they point."""

    store: ArtifactStore
    filesystem: FileSystem
    credentials: Credentials | None
    location: str
    fallback_store: Path | None = None
    """The embedded store's folder when it was chosen because no server is configured."""


def _home(env: Mapping[str, str]) -> Path:
    return Path(env.get("HOME") or Path.home())


def _expanded(path: str, env: Mapping[str, str]) -> Path:
    """``path`` with a leading ``~`` meaning this environment's home."""
    if path == "~" or path.startswith("~/"):
        return _home(env) / path[2:]
    return Path(path).expanduser()


def default_store_dir(env: Mapping[str, str]) -> Path:
    """The embedded store's folder: ``$FROGML_STORE_DIR`` or ``~/.frogml/store``."""
    configured = env.get("FROGML_STORE_DIR")
    return _expanded(configured, env) if configured else _home(env) / ".frogml" / "store"


def config_file_path(env: Mapping[str, str]) -> Path:
    """Where ``frogml login`` keeps credentials: ``~/.frogml/config.json``."""
    return _home(env) / ".frogml" / "config.json"


def _cache_dir(env: Mapping[str, str]) -> Path:
    configured = env.get("FROGML_CACHE_DIR")
    if configured:
        return _expanded(configured, env)
    xdg = env.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else _home(env) / ".cache") / "frogml"


def download_cache_enabled(env: Mapping[str, str], *, requested: bool = True) -> bool:
    """False when the caller or ``FROGML_NO_CACHE`` (``1``, ``true``, ``yes``) bypasses
    the shared download cache."""
    bypass = env.get("FROGML_NO_CACHE", "").strip().lower() in ("1", "true", "yes", "on")
    return requested and not bypass


def resolve(
    explicit: Credentials | None, env: Mapping[str, str], *, server_id: str | None = None
) -> Credentials | None:
    """Explicit settings, else the login saved as ``server_id`` when one is named, else
    the environment (``JF_URL`` alone completed by the login saved for that server),
    else ``~/.frogml/config.json``'s default, else None."""
    from frogml.adapters.credentials import EnvironmentSource, FrogMLConfigFile
    from frogml.domain.services.resolve_credentials import resolve_credentials

    return resolve_credentials(
        explicit=explicit,
        environment=EnvironmentSource(env),
        saved=FrogMLConfigFile(config_file_path(env)),
        server_id=server_id,
    )


def check_settings(env: Mapping[str, str], settings: TransferSettings | None) -> None:
    """Refuse bad ``JFML_*`` values with no server too, by the rules a server's settings
    apply (the embedded store uses none of them, but a typo must not pass unnoticed)."""
    if not any(name.startswith("JFML_") for name in env):
        return  # nothing to check: the HTTP stack stays unloaded
    from frogml.adapters.artifactory import ArtifactorySettings

    ArtifactorySettings.from_environment(Credentials(url="http://localhost"), env, settings)


def server_required(env: Mapping[str, str]) -> bool:
    """``FROGML_REQUIRE_SERVER``: ``1``/``true``/``yes``/``on`` make "no server
    configured" an error; empty, ``0``, ``false``, ``no``, ``off`` do not; else refused."""
    value = env.get(REQUIRE_SERVER, "").strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("", "0", "false", "no", "off"):
        return False
    raise ConfigurationError(
        f"{REQUIRE_SERVER} must be 1 or 0 (or true/false), got {env[REQUIRE_SERVER]!r}",
        source=REQUIRE_SERVER,
    )


def _no_server(root: Path) -> ConfigurationError:
    return ConfigurationError(
        "no server configured, and a server is required (FROGML_REQUIRE_SERVER=1 or "
        f"--require-server); frogml would otherwise use the local store at {root}",
        source=REQUIRE_SERVER,
        hint="run `frogml login`, or set JF_URL and JF_ACCESS_TOKEN",
    )


def jfrog_cli_config_path(env: Mapping[str, str]) -> Path:
    """JFrog CLI's configuration: ``$JFROG_CLI_HOME_DIR`` or ``~/.jfrog``."""
    folder = env.get("JFROG_CLI_HOME_DIR")
    return (Path(folder) if folder else _home(env) / ".jfrog") / "jfrog-cli.conf.v6"


def _file_url_path(url: str) -> Path:
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        raise ConfigurationError(
            f"file URL {url!r} names a host; use file:///absolute/path", source="url"
        )
    return Path(unquote(parts.path))


def _local(
    root: Path, filesystem: FileSystem, clock: Clock | None, credentials: Credentials | None
) -> Components:
    from frogml.adapters.clock import SystemClock
    from frogml.adapters.local_store import LocalStore

    store = LocalStore(root, clock=clock or SystemClock())
    return Components(store, filesystem, credentials, f"embedded store at {root}")


def bootstrap(
    explicit: Credentials | None = None,
    *,
    env: Mapping[str, str] | None = None,
    store: ArtifactStore | None = None,
    filesystem: FileSystem | None = None,
    clock: Clock | None = None,
    download_cache: bool = True,
    settings: TransferSettings | None = None,
    require_server: bool | None = None,
    server_id: str | None = None,
) -> Components:
    """Build the adapters: overrides first, then credentials decide the store.

    With no credentials the embedded store is used, unless a server is required
    (``require_server``, else ``FROGML_REQUIRE_SERVER``): a ConfigurationError then. The
    fallback is logged (``embedded_store_used``, a warning an application sees only if it
    configured logging) and told in ``Components.fallback_store``.

    An Artifactory store is wrapped in the shared download cache
    (``$FROGML_CACHE_DIR/blobs``, else ``~/.cache/frogml/blobs``) unless
    ``download_cache`` is False or ``FROGML_NO_CACHE=1``. ``settings`` (the CLI's
    network options, or an embedder's) win over the environment's.
    """
    from frogml.adapters.filesystem import LocalFileSystem
    from frogml.adapters.logs import get_logger

    environ = os.environ if env is None else env
    fs = filesystem or LocalFileSystem(cache_dir=_cache_dir(environ))
    if store is not None:
        return Components(store, fs, explicit, "custom store")
    required = server_required(environ) if require_server is None else require_server
    credentials = resolve(explicit, environ, server_id=server_id)
    if credentials is None or credentials.url.startswith("file:"):
        check_settings(environ, settings)
    if credentials is None:
        root = default_store_dir(environ)
        if required:
            raise _no_server(root)
        get_logger().warning(
            "embedded_store_used",
            store=str(root),
            hint="no Artifactory configured; run `frogml login` or set JF_URL to use one",
        )
        return dataclasses.replace(_local(root, fs, clock, None), fallback_store=root)
    if credentials.url.startswith("file:"):
        return _local(_file_url_path(credentials.url), fs, clock, credentials)
    from frogml.adapters.artifactory import ArtifactorySettings, ArtifactoryStore

    try:
        http = ArtifactorySettings.from_environment(credentials, environ, settings)
        remote: ArtifactStore = ArtifactoryStore(http)
    except ConfigurationError as exc:
        if exc.source != "url":
            raise
        raise ConfigurationError(  # say which URL, and where it was configured
            f"{exc.message}: {credentials.url!r} (from {credentials.source})",
            source=exc.source,
            hint=exc.hint,
        ) from exc
    if download_cache_enabled(environ, requested=download_cache):
        from frogml.adapters.download_cache import CachingStore

        remote = CachingStore(remote, _cache_dir(environ) / "blobs")
    return Components(remote, fs, credentials, credentials.url)
