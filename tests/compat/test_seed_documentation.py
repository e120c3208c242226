"""JFrog's FrogML Storage documentation, run as written (issue "Drop-in for JFrog's
client", items 5 and 6).

``seed_frogml_storage.md`` is that documentation, verbatim. Every fenced block of it
is listed in ``EXPECTED`` with its kind: a block added to the document (or removed,
or moved) fails ``test_every_block_is_classified`` until it is classified here.

* Python blocks run in a subprocess (``python -c``) with their placeholders
  (``<repository_key>``, ``<namespce>``, ...) replaced by string literals and
  ``http://myorg.jfrog.io`` by the emulator's URL (without ``/artifactory``, as the
  documentation writes it); nothing else changes. HOME is a temporary folder holding
  ``~/model_to_upload/`` and ``~/dataset_to_upload/``, the working directory holds
  ``path/to/req/file1`` and the other relative paths. A block that only builds
  ``arti`` gets one appended line that uses it, so its credentials are really tried.
* ``frogml login`` blocks run through the installed console script with that HOME,
  answering the interactive questions on stdin; then Python blocks run with no
  credentials but the saved ``~/.frogml/config.json``.
* The documented test commands (``python3 -m pytest tests/integrations/...`` and the
  ``export`` example) run against the emulator.
* The other blocks are not commands for frogml's users: what the interactive login
  prints, and JFrog's own build (``poetry build``, ``make format``).

After each run the effects are checked: what the blocks downloaded into ``~/models``
and ``~/datasets`` equals what was uploaded, and the server (or the embedded store)
holds the versions, properties, dependency files and code archive the blocks sent.
"""

from __future__ import annotations

import enum
import functools
import hashlib
import json
import os
import random
import re
import shlex
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from emulator.app import Emulator
from emulator.fixtures import EMULATOR_PASSWORD, EMULATOR_TOKEN, EMULATOR_USER
from frogml import AuthConfig, FrogMLStorage
from tests.integration.helpers import files_under, write_tree

SEED = Path(__file__).with_name("seed_frogml_storage.md")
REPO_ROOT = Path(__file__).resolve().parents[2]
DOC_URL = "http://myorg.jfrog.io"  # the documentation's server, replaced by the emulator's
TIMEOUT = 60.0  # seconds, for one block
TEST_COMMAND_TIMEOUT = 300.0

# What the placeholders stand for (the documentation spells <namespce> once in a while).
REPOSITORY = "ml-local"
NAMESPACE = "my-team"
MODEL = "my-model"
DATASET = "my-dataset"
VERSION = "1.0.0"
# "Upload a single file as a dataset" names the same <dataset_name> and <version> as the
# block before it; a version is immutable (on Artifactory too), so a reader picks a new
# one there, as this test does.
SINGLE_FILE_VERSION = "1.0.1"
PER_BLOCK: Mapping[str, Mapping[str, str]] = {"dataset-file": {"version": SINGLE_FILE_VERSION}}
SERVERLESS_VALUES: Mapping[str, str] = {
    "repository_key": REPOSITORY,
    "generic-repo-name": REPOSITORY,
    "namespce": NAMESPACE,
    "namespace": NAMESPACE,
    "model_name": MODEL,
    "dataset_name": DATASET,
    "version": VERSION,
}
SERVER_PLACEHOLDERS = ("artifactory_url", "username", "password", "token", "access_token")

TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}")  # yyyy-MM-dd-HH-mm-ss


# -- the document's blocks ---------------------------------------------------------------


class Kind(enum.Enum):
    PYTHON = "Python, run with its placeholders filled in"
    LOGIN = "`frogml login`, run through the console script"
    TEST_COMMAND = "the documented test command, run against the emulator"
    TRANSCRIPT = "what the interactive login prints: not a command"
    TOOLING = "JFrog's own build (poetry, make): not frogml's"


@dataclass(frozen=True)
class Block:
    line: int  # of the opening fence, 1-based
    text: str


@dataclass(frozen=True)
class Expected:
    name: str
    kind: Kind
    marker: str  # found in the block, whitespace runs read as one space


EXPECTED = (
    Expected("auth-basic", Kind.PYTHON, "arti = FrogMLStorage(AuthConfig.by_basic_auth("),
    Expected("auth-token", Kind.PYTHON, "arti = FrogMLStorage(AuthConfig.by_access_token("),
    Expected("auth-env", Kind.PYTHON, "import AuthConfig arti = FrogMLStorage()"),
    Expected("login", Kind.LOGIN, "frogml login"),
    Expected("login-password", Kind.LOGIN, "--username <username> --password <password>"),
    Expected("login-token", Kind.LOGIN, "--url <artifactory_url> --token <access_token>"),
    Expected("login-anonymous", Kind.LOGIN, "--url <artifactory_url> --anonymous"),
    Expected("login-interactive", Kind.LOGIN, "frogml login --interactive"),
    Expected("interactive-menu", Kind.TRANSCRIPT, "2.Connecting to a new server"),
    Expected("interactive-auth-menu", Kind.TRANSCRIPT, "2: Anonymous Access"),
    Expected("model-folder", Kind.PYTHON, 'code_archive_file_path="path/to/code/archieve/file"'),
    Expected("model-version", Kind.PYTHON, "model_name=<model_name>, version=<version>,"),
    Expected("model-download", Kind.PYTHON, "arti.download_model_version("),
    Expected("dataset-folder", Kind.PYTHON, '"dataset_type": "kerras"'),
    Expected("dataset-version", Kind.PYTHON, 'source_path="~/dataset_to_upload/")'),
    Expected("dataset-file", Kind.PYTHON, 'source_path="~/dataset_to_upload/config.json")'),
    Expected("dataset-download", Kind.PYTHON, "arti.download_dataset_version("),
    Expected("test-env", Kind.TEST_COMMAND, "export ARTIFACTORY_PASSWORD=<password>"),
    Expected("test-options", Kind.TEST_COMMAND, "--rt_access_token <token>"),
    Expected("package", Kind.TOOLING, "poetry build"),
    Expected("format", Kind.TOOLING, "make format"),
    Expected("lint", Kind.TOOLING, "make format"),  # "Run linter check", as documented
)

# The Python blocks that build `arti` from explicit settings, from the defaults, and the
# ones that use it, in the document's order: uploads come before the downloads.
EXPLICIT_AUTH = ("auth-basic", "auth-token")
DEFAULT_AUTH = "auth-env"
TRANSFERS = (
    "model-folder",
    "model-version",
    "model-download",
    "dataset-folder",
    "dataset-version",
    "dataset-file",
    "dataset-download",
)

_OPENING = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_PLACEHOLDER = re.compile(r"<([A-Za-z][\w-]*)>")


def fenced_blocks(markdown: str) -> list[Block]:
    """The fenced code blocks of a CommonMark document (an unclosed one runs to the end)."""
    lines = markdown.splitlines()
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        opening = _OPENING.match(lines[index])
        if opening is None or (opening["fence"][0] == "`" and "`" in opening["info"]):
            index += 1
            continue
        fence = opening["fence"]
        closing = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
        end = index + 1
        while end < len(lines) and closing.match(lines[end]) is None:
            end += 1
        blocks.append(Block(line=index + 1, text="\n".join(lines[index + 1 : end]) + "\n"))
        index = end + 1
    return blocks


def _flat(text: str) -> str:
    return " ".join(text.split())


def classify(block: Block) -> Kind:
    """The kind a block's text shows; EXPECTED must agree with it."""
    lines = [line.strip() for line in block.text.splitlines() if line.strip()]
    if "from frogml_storage" in block.text or "FrogMLStorage" in block.text:
        return Kind.PYTHON
    if lines and all(line.startswith("frogml login") for line in lines):
        return Kind.LOGIN
    if any("pytest" in line.split() for line in lines):
        return Kind.TEST_COMMAND
    if lines and all(line.split()[0] in ("poetry", "make") for line in lines):
        return Kind.TOOLING
    return Kind.TRANSCRIPT


@functools.cache
def _document() -> list[Block]:
    return fenced_blocks(SEED.read_text(encoding="utf-8"))


def block(name: str) -> Block:
    """The block ``EXPECTED`` names ``name`` (checked against its marker)."""
    position = next(i for i, e in enumerate(EXPECTED) if e.name == name)
    blocks = _document()
    if position >= len(blocks) or EXPECTED[position].marker not in _flat(blocks[position].text):
        pytest.fail(f"the documentation no longer has the block {name!r} where EXPECTED says")
    return blocks[position]


# -- filling placeholders in -----------------------------------------------------------------


@dataclass(frozen=True)
class Server:
    """What the blocks name a server with: its URL in the form under test, and secrets."""

    url: str
    user: str = EMULATOR_USER
    password: str = EMULATOR_PASSWORD
    token: str = EMULATOR_TOKEN


def values(name: str, server: Server | None) -> dict[str, str]:
    found = dict(SERVERLESS_VALUES)
    if server is not None:
        found.update(
            artifactory_url=server.url,
            username=server.user,
            password=server.password,
            token=server.token,
            access_token=server.token,
        )
    found.update(PER_BLOCK.get(name, {}))
    return found


def _fill(name: str, text: str, server: Server | None, quote: Callable[[str], str]) -> str:
    known = values(name, server)

    def one(match: re.Match[str]) -> str:
        placeholder = match[1]
        if placeholder not in known:
            where = "needs a server" if placeholder in SERVER_PLACEHOLDERS else "is unknown"
            pytest.fail(f"block {name!r}: the placeholder <{placeholder}> {where}")
        return quote(known[placeholder])

    return _PLACEHOLDER.sub(one, text)


def python_code(name: str, server: Server | None) -> str:
    """The block's code with its placeholders filled in, plus one use of a bare `arti`."""
    text = block(name).text
    if DOC_URL in text:
        if server is None:
            pytest.fail(f"block {name!r} names a server")
        text = text.replace(DOC_URL, server.url)
    code = _fill(name, text, server, json.dumps)  # "ml-local", as the document quotes
    if "arti." not in code:
        code += (
            "\n# Appended by the test, not in the documentation: use `arti` once.\n"
            f"arti.upload_dataset_version(repository={REPOSITORY!r}, "
            f"dataset_name={probe_name(name)!r}, source_path={PROBE_FILE!r}, version='1')\n"
        )
    return code


def shell_words(name: str, server: Server | None) -> list[list[str]]:
    """The block's command lines, placeholders filled in with plain values."""
    text = _fill(name, block(name).text, server, shlex.quote)
    return [shlex.split(line) for line in text.splitlines() if line.strip()]


def probe_name(name: str) -> str:
    return f"probe-{name}"


# -- a HOME and a working directory for the blocks -----------------------------------------


def _bytes(seed: int, size: int) -> bytes:
    return random.Random(seed).randbytes(size)


MODEL_FILES = {
    "model.h5": _bytes(1, 70_000),
    "assets/vocab.txt": b"".join(b"token-%d\n" % i for i in range(3000)),
    "config.json": b'{"layers": [64, 32, 10], "activation": "relu"}',
}
DATASET_FILES = {
    "config.json": b'{"columns": ["x", "y"], "rows": 4000}',
    "train/part-0.csv": b"x,y\n" + b"".join(b"%d,%d\n" % (i, i * i) for i in range(3000)),
    "test/part-0.csv": b"x,y\n" + b"".join(b"%d,%d\n" % (i, -i) for i in range(1000)),
}
PROBE_FILE = "probe.txt"
WORKDIR_FILES = {
    "path/to/req/file1": b"tensorflow==2.3.0\nnumpy==1.18.5\n",
    "path/to/req/file2": b"h5py==2.10.0\n",
    "path/to/code/archieve/file": _bytes(2, 30_000),
    PROBE_FILE: b"arti works\n",
}

# The only variables the subprocesses inherit: no JF_*, FROGML_*, ARTIFACTORY_*, proxy.
_INHERITED = ("PATH", "PYTHONPATH", "TMPDIR", "LANG", "LC_ALL", "LC_CTYPE", "SYSTEMROOT")
# Set for the blocks that must not find credentials in the environment: if they did,
# they would try this address, where nothing listens.
DECOY_ENV = {"JF_URL": "http://127.0.0.1:9/artifactory", "JF_ACCESS_TOKEN": "not-the-token"}


def _frogml_command() -> list[str]:
    script = shutil.which("frogml", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "frogml"]


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _tail(text: str, size: int = 4000) -> str:
    return text if len(text) <= size else "…" + text[-size:]


class Sandbox:
    """HOME and working directory of the blocks, and how to run them there."""

    def __init__(self, root: Path) -> None:
        self.home = root / "home"
        self.workdir = root / "work"
        write_tree(self.home / "model_to_upload", MODEL_FILES)
        write_tree(self.home / "dataset_to_upload", DATASET_FILES)
        write_tree(self.workdir, WORKDIR_FILES)

    @property
    def config(self) -> Path:
        return self.home / ".frogml" / "config.json"

    def env(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        inherited = {k: os.environ[k] for k in _INHERITED if k in os.environ}
        return {**inherited, "HOME": str(self.home), **(extra or {})}

    def run(
        self,
        argv: Sequence[str],
        *,
        env: Mapping[str, str] | None = None,
        stdin: str = "",
        cwd: Path | None = None,
        timeout: float = TIMEOUT,
    ) -> subprocess.CompletedProcess[str]:
        # A new session has no controlling terminal: getpass reads the answers on stdin.
        return subprocess.run(
            list(argv),
            input=stdin,
            capture_output=True,
            text=True,
            env=self.env(env),
            cwd=cwd or self.workdir,
            timeout=timeout,
            check=False,
            start_new_session=True,
        )

    def python(
        self, name: str, server: Server | None, env: Mapping[str, str] | None = None
    ) -> None:
        """Run a Python block; it must succeed."""
        code = python_code(name, server)
        done = self.run([sys.executable, "-c", code], env=env)
        status = done.returncode
        assert status == 0, (
            f"block {name!r} exited with {status}\n--- code ---\n{code}"
            f"--- stderr ---\n{_tail(done.stderr)}"
        )

    def login(self, name: str, server: Server, stdin: str = "") -> subprocess.CompletedProcess[str]:
        """Run a `frogml login` block through the console script."""
        [words] = shell_words(name, server)
        assert words[:2] == ["frogml", "login"], words
        return self.run([*_frogml_command(), *words[1:]], stdin=stdin)

    def saved_server(self) -> dict[str, Any]:
        servers: list[dict[str, Any]] = json.loads(self.config.read_text())["servers"]
        [server] = servers
        return server


# -- what the blocks must have done ------------------------------------------------------------


@contextmanager
def reader(emulator: Emulator | None, home: Path) -> Iterator[FrogMLStorage]:
    """A FrogMLStorage on what the blocks wrote to: the emulator, or the embedded store."""
    if emulator is None:
        storage = FrogMLStorage(env={"HOME": str(home)}, download_cache=False)
    else:
        auth = AuthConfig.by_access_token(emulator.url, EMULATOR_TOKEN)
        storage = FrogMLStorage(auth, download_cache=False)
    with storage:
        yield storage


def assert_probes(storage: FrogMLStorage, *names: str) -> None:
    for name in names:
        found = storage.list_dataset_versions(REPOSITORY, probe_name(name))
        assert [v.version for v in found] == ["1"], f"block {name!r} did not reach the store"


def _one_timestamp(versions: set[str], named: set[str]) -> str:
    assert named <= versions, versions
    [stamped] = versions - named
    assert TIMESTAMP.fullmatch(stamped), f"{stamped!r} is not yyyy-MM-dd-HH-mm-ss"
    return stamped


def _artifacts(artifacts: Sequence[Any]) -> dict[str, str]:
    return {a.artifact_path: a.sha256 for a in artifacts}


def assert_downloads(home: Path) -> None:
    assert files_under(home / "models") == MODEL_FILES
    assert files_under(home / "datasets") == DATASET_FILES


def assert_transfers(storage: FrogMLStorage, home: Path) -> None:
    """The effects of every TRANSFERS block, in the store and under HOME."""
    assert_downloads(home)

    listed = storage.list_model_versions(REPOSITORY, MODEL, namespace=NAMESPACE)
    stamped = _one_timestamp({v.version for v in listed}, {VERSION})
    folder = storage.get_model_info(REPOSITORY, MODEL, stamped, namespace=NAMESPACE)
    assert folder.properties == {"model_type": "keras", "experiment": "my-exp"}
    assert _artifacts(folder.manifest.model_artifacts) == {
        path: _sha256(data) for path, data in MODEL_FILES.items()
    }
    assert sorted(a.sha256 for a in folder.manifest.dependency_artifacts) == sorted(
        _sha256(WORKDIR_FILES[f"path/to/req/{name}"]) for name in ("file1", "file2")
    )
    assert folder.manifest.code_artifact is not None
    code = WORKDIR_FILES["path/to/code/archieve/file"]
    assert folder.manifest.code_artifact.sha256 == _sha256(code)
    assert folder.manifest.model_format.framework == "tensorflow"
    assert folder.manifest.model_format.serialization_format == "H5"
    versioned = storage.get_model_info(REPOSITORY, MODEL, VERSION, namespace=NAMESPACE)
    assert versioned.manifest.dependency_artifacts == ()
    assert versioned.manifest.code_artifact is None

    listed_data = storage.list_dataset_versions(REPOSITORY, DATASET, namespace=NAMESPACE)
    stamped = _one_timestamp({v.version for v in listed_data}, {VERSION, SINGLE_FILE_VERSION})
    data = storage.get_dataset_info(REPOSITORY, DATASET, stamped, namespace=NAMESPACE)
    assert data.properties == {"dataset_type": "kerras", "experiment": "my-exp"}
    assert _artifacts(data.manifest.dataset_artifacts) == {
        path: _sha256(content) for path, content in DATASET_FILES.items()
    }
    single = storage.get_dataset_info(REPOSITORY, DATASET, SINGLE_FILE_VERSION, namespace=NAMESPACE)
    assert _artifacts(single.manifest.dataset_artifacts) == {
        "config.json": _sha256(DATASET_FILES["config.json"])
    }


# -- the classification -----------------------------------------------------------------------


def test_every_block_is_classified() -> None:
    blocks = _document()
    listing = "\n".join(
        f"  line {b.line}: {classify(b).name}: {_flat(b.text)[:70]}" for b in blocks
    )
    assert len(blocks) == len(EXPECTED), f"classify the document's blocks in EXPECTED:\n{listing}"
    for found, expected in zip(blocks, EXPECTED, strict=True):
        assert expected.marker in _flat(found.text), (
            f"line {found.line} is not {expected.name!r} any more:\n{listing}"
        )
        assert classify(found) is expected.kind, f"line {found.line}: {expected.name}"
    python = {e.name for e in EXPECTED if e.kind is Kind.PYTHON}
    assert python == {*EXPLICIT_AUTH, DEFAULT_AUTH, *TRANSFERS}, "a Python block is never run"
    assert len({e.name for e in EXPECTED}) == len(EXPECTED)


def test_every_placeholder_has_a_value() -> None:
    server = Server(url="http://127.0.0.1:1")
    for expected in EXPECTED:
        if expected.kind is Kind.PYTHON:
            code = python_code(expected.name, server)
            assert DOC_URL not in code
            compile(code, expected.name, "exec")
        elif expected.kind in (Kind.LOGIN, Kind.TEST_COMMAND):
            shell_words(expected.name, server)
        else:
            continue
    # Without a server, the blocks the embedded store runs need no server placeholder.
    for name in (DEFAULT_AUTH, *TRANSFERS):
        python_code(name, None)


# -- Python blocks -----------------------------------------------------------------------------

URL_FORMS: Mapping[str, Callable[[Emulator], str]] = {
    "domain": lambda emu: emu.base_url,  # the documentation's form: http://myorg.jfrog.io
    "domain/": lambda emu: emu.base_url + "/",
    "artifactory": lambda emu: emu.url,
    "artifactory/": lambda emu: emu.url + "/",
}


@pytest.mark.parametrize("form", list(URL_FORMS))
def test_python_blocks_with_an_access_token(form: str, emulator: Emulator, tmp_path: Path) -> None:
    """AuthConfig.by_access_token (the environment cannot override it), then JF_URL and
    JF_ACCESS_TOKEN for every `FrogMLStorage()` block; the URL in each of its forms."""
    sandbox, server = Sandbox(tmp_path), Server(url=URL_FORMS[form](emulator))
    sandbox.python("auth-token", server, env=DECOY_ENV)
    env = {"JF_URL": server.url, "JF_ACCESS_TOKEN": server.token}
    for name in (DEFAULT_AUTH, *TRANSFERS):
        sandbox.python(name, server, env=env)

    with reader(emulator, sandbox.home) as storage:
        assert_probes(storage, "auth-token", DEFAULT_AUTH)
        assert_transfers(storage, sandbox.home)
    assert not sandbox.config.exists()


@pytest.mark.parametrize("token_exchange", ["allowed", "refused"])
def test_python_blocks_with_basic_auth(
    token_exchange: str, emulator: Emulator, tmp_path: Path
) -> None:
    """AuthConfig.by_basic_auth; then `frogml login` with the user and password, and the
    `FrogMLStorage()` blocks with the saved login alone. Where the server refuses to
    issue tokens, the saved login (and so every block) uses Basic auth."""
    if token_exchange == "refused":
        emulator.faults.fail("POST", "/access/api/v1/tokens", status=403)
    sandbox, server = Sandbox(tmp_path), Server(url=emulator.base_url)
    sandbox.python("auth-basic", server, env=DECOY_ENV)
    done = sandbox.login("login-password", server)
    assert_logged_in(done, sandbox, emulator, EMULATOR_USER)
    saved = sandbox.saved_server()
    if token_exchange == "refused":
        assert (saved["user"], saved["password"]) == (EMULATOR_USER, EMULATOR_PASSWORD)
    else:
        assert "password" not in saved
        assert saved["access_token"]
    for name in (DEFAULT_AUTH, *TRANSFERS):
        sandbox.python(name, server)

    with reader(emulator, sandbox.home) as storage:
        assert_probes(storage, "auth-basic", DEFAULT_AUTH)
        assert_transfers(storage, sandbox.home)


def test_python_blocks_on_the_embedded_store(tmp_path: Path) -> None:
    """No JF_*, no saved login: the `FrogMLStorage()` blocks use the embedded store
    (the blocks naming a server, and the logins, cannot apply)."""
    sandbox = Sandbox(tmp_path)
    for name in (DEFAULT_AUTH, *TRANSFERS):
        sandbox.python(name, None)

    assert not sandbox.config.exists()
    assert (sandbox.home / ".frogml" / "store").is_dir()
    with reader(None, sandbox.home) as storage:
        assert_probes(storage, DEFAULT_AUTH)
        assert_transfers(storage, sandbox.home)


# -- `frogml login` blocks ---------------------------------------------------------------------


def _new_server_by_token(server: Server) -> str:
    """Answers to frogml's questions for a new server: URL, method, token."""
    return f"{server.url}\ntoken\n{server.token}\n"


def _jfrog_cli_then_new_server(server: Server) -> str:
    """Pick "a new server" after JFrog CLI's one; log in with user and password."""
    return f"2\n{server.url}\npassword\n{server.user}\n{server.password}\n"


@dataclass(frozen=True)
class LoginCase:
    block: str
    identity: str  # what `frogml login` says it logged in as
    answers: Callable[[Server], str] = lambda server: ""
    jfrog_cli: bool = False  # a ~/.jfrog/jfrog-cli.conf.v6 naming the emulator
    anonymous: bool = False  # the server allows anonymous read and write


LOGIN_CASES = {
    "password": LoginCase("login-password", EMULATOR_USER),
    "token": LoginCase("login-token", "token"),
    "anonymous": LoginCase("login-anonymous", "anonymous", anonymous=True),
    "no-config-asks": LoginCase("login", "token", answers=_new_server_by_token),
    "interactive": LoginCase("login-interactive", "token", answers=_new_server_by_token),
    "jfrog-cli-config": LoginCase("login", "token", jfrog_cli=True),
    "interactive-jfrog-cli": LoginCase(
        "login-interactive", "token", answers=lambda server: "1\n", jfrog_cli=True
    ),
    "interactive-new-server": LoginCase(
        "login-interactive", EMULATOR_USER, answers=_jfrog_cli_then_new_server, jfrog_cli=True
    ),
}


@pytest.fixture
def anonymous_emulator() -> Iterator[Emulator]:
    """The emulator's users and token, and anonymous read-write access."""
    with Emulator(
        tokens={EMULATOR_TOKEN},
        users={EMULATOR_USER: EMULATOR_PASSWORD},
        anonymous="write",
        repos=(REPOSITORY,),
    ) as emu:
        yield emu


def _write_jfrog_cli_config(home: Path, emulator: Emulator) -> None:
    folder = home / ".jfrog"
    folder.mkdir(mode=0o700)
    server = {
        "serverId": "emulator",
        "url": emulator.base_url + "/",
        "artifactoryUrl": emulator.url + "/",
        "accessToken": EMULATOR_TOKEN,
        "isDefault": True,
    }
    (folder / "jfrog-cli.conf.v6").write_text(json.dumps({"servers": [server], "version": "6"}))


def assert_logged_in(
    done: subprocess.CompletedProcess[str], sandbox: Sandbox, emulator: Emulator, identity: str
) -> None:
    output = done.stdout + done.stderr
    assert done.returncode == 0, _tail(output)
    assert f"Logged in to {emulator.url} as {identity}" in done.stdout, _tail(output)
    for secret in (EMULATOR_TOKEN, EMULATOR_PASSWORD):
        assert secret not in output
    assert stat.S_IMODE(sandbox.config.stat().st_mode) == 0o600
    saved = sandbox.saved_server()
    assert saved["artifactory_url"] == emulator.url
    assert saved["is_default"] is True


@pytest.mark.parametrize("case", list(LOGIN_CASES))
def test_login_block_then_python_blocks_without_credentials(
    case: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """A `frogml login` block saves ~/.frogml/config.json (0600); `frogml login` again
    reuses it without a question; `FrogMLStorage()` blocks then work with no JF_*."""
    spec = LOGIN_CASES[case]
    emulator: Emulator = request.getfixturevalue(
        "anonymous_emulator" if spec.anonymous else "emulator"
    )
    sandbox, server = Sandbox(tmp_path), Server(url=emulator.base_url)
    if spec.jfrog_cli:
        _write_jfrog_cli_config(sandbox.home, emulator)

    done = sandbox.login(spec.block, server, stdin=spec.answers(server))
    assert_logged_in(done, sandbox, emulator, spec.identity)
    saved = sandbox.config.read_bytes()
    again = sandbox.login("login", server)
    assert again.returncode == 0, _tail(again.stdout + again.stderr)
    assert f"from {sandbox.config}" in again.stdout + again.stderr
    assert sandbox.config.read_bytes() == saved

    for name in (DEFAULT_AUTH, "model-version", "model-download"):
        sandbox.python(name, server)
    with reader(emulator, sandbox.home) as storage:
        assert_probes(storage, DEFAULT_AUTH)
        listed = storage.list_model_versions(REPOSITORY, MODEL, namespace=NAMESPACE)
        assert [v.version for v in listed] == [VERSION]
    assert files_under(sandbox.home / "models") == MODEL_FILES


# -- the documented test commands -------------------------------------------------------------


def _as_command(words: list[str]) -> list[str]:
    """A documented command line as this environment runs it: `python3` and `poetry run`
    mean the project's Python."""
    if words[:2] == ["poetry", "run"]:
        words = words[2:]
    if words[:1] == ["pytest"]:
        return [sys.executable, "-m", *words]
    if words[:1] in (["python"], ["python3"]):
        return [sys.executable, *words[1:]]
    pytest.fail(f"not a test command: {shlex.join(words)}")


@pytest.mark.parametrize("name", ["test-options", "test-env"])
def test_the_documented_test_command_runs_against_the_emulator(
    name: str, emulator: Emulator, tmp_path: Path
) -> None:
    """``python3 -m pytest tests/integrations/... --rt_url … --rt_access_token …
    --repo_name …``, and the ``export ARTIFACTORY_*`` example, verbatim."""
    sandbox, server = Sandbox(tmp_path), Server(url=emulator.base_url)
    env: dict[str, str] = {}
    commands: list[list[str]] = []
    for words in shell_words(name, server):
        if words[0] == "export":
            key, _, value = words[1].partition("=")
            env[key] = value
        else:
            commands.append(_as_command(words))
    assert len(commands) == 1, commands
    # The inner pytest keeps its temporary folders here, away from this run's.
    env["PYTEST_DEBUG_TEMPROOT"] = str(tmp_path)

    done = sandbox.run(commands[0], env=env, cwd=REPO_ROOT, timeout=TEST_COMMAND_TIMEOUT)
    output = done.stdout + done.stderr
    assert done.returncode == 0, _tail(output)
    assert re.search(r"\b[1-9]\d* passed\b", done.stdout), _tail(output)
    for secret in (EMULATOR_TOKEN, EMULATOR_PASSWORD):
        assert secret not in output
    # It ran against this emulator: the round trips committed versions to it.
    assert emulator.counters.snapshot().count("commit", 201) >= 2
