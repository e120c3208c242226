"""``frogml login / logout / whoami`` over fakes: options, conflicts, output, exit codes."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
import rich_click as click
from click.testing import CliRunner, Result

from frogml.adapters.cli import CliServices, StorageApi, build_cli
from frogml.adapters.cli.login import login_commands
from frogml.domain.errors import ConfigurationError
from frogml.domain.ports.credentials import Credentials
from frogml.domain.services.login import Login
from frogml.domain.services.resolve_credentials import resolve_credentials
from tests.unit._credential_fakes import FakeProbe, MemoryCredentialStore

URL = "https://acme.jfrog.io/artifactory"
TOKEN = "tok-0123456789abcdefXYZ"
Run = Callable[..., Result]


def _no_storage() -> StorageApi:
    raise AssertionError("login commands never build the storage")


class _Harness:
    def __init__(self) -> None:
        self.probe = FakeProbe(
            accepted=[
                Credentials(url=URL, access_token=TOKEN),
                Credentials(url=URL, user="alice", password="alice-pw"),
                Credentials(url=URL),
            ]
        )
        self.store = MemoryCredentialStore("/home/me/.frogml/config.json")
        self.jfrog = MemoryCredentialStore("/home/me/.jfrog/jfrog-cli.conf.v6")
        cli = build_cli(CliServices(make_storage=_no_storage, version="0"))
        for command in login_commands(
            login=lambda: Login(probe=self.probe, store=self.store),
            store=lambda: self.store,
            jfrog_cli=lambda: self.jfrog,
            resolve=lambda: resolve_credentials(saved=self.store),
        ):
            cli.add_command(command)
        self.cli: click.Group = cli

    def run(self, *args: str, input: str | None = None) -> Result:
        return CliRunner().invoke(self.cli, list(args), input=input)


@pytest.fixture
def h() -> _Harness:
    return _Harness()


@pytest.mark.parametrize(
    ("args", "conflict"),
    [
        (
            ["--url", URL, "--token", "t", "--username", "u"],
            "--token cannot be combined with --username",
        ),
        (
            ["--url", URL, "--token-stdin", "--password", "p", "--username", "u"],
            "--token-stdin cannot",
        ),
        (["--url", URL, "--token", "t", "--token-stdin"], "--token and --token-stdin"),
        (
            ["--url", URL, "--anonymous", "--username", "u"],
            "--anonymous cannot be combined with --username",
        ),
        (
            ["--url", URL, "--anonymous", "--token", "t"],
            "--anonymous cannot be combined with --token",
        ),
        (["--url", URL, "--password", "p"], "--password needs --username"),
        (["--token", "t"], "--token needs --url"),
        (["--anonymous"], "--anonymous needs --url"),
        (["--interactive", "--url", URL], "--interactive cannot be combined with --url"),
    ],
)
def test_contradictory_options_give_one_line_and_exit_2(
    h: _Harness, args: list[str], conflict: str
) -> None:
    result = h.run("login", *args)
    assert result.exit_code == 2
    assert conflict in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert h.store.entries == []
    assert h.probe.checked == []


def test_login_with_a_token_prints_the_url_and_saves(h: _Harness) -> None:
    result = h.run("login", "--url", URL, "--token", TOKEN)
    assert result.exit_code == 0, result.output
    assert f"Logged in to {URL} as token" in result.stdout
    assert TOKEN not in result.output
    assert h.store.entries[0].credentials.access_token == TOKEN


def test_token_stdin_reads_the_token(h: _Harness) -> None:
    result = h.run("login", "--url", URL, "--token-stdin", input=f"{TOKEN}\n")
    assert result.exit_code == 0, result.output
    assert h.store.entries[0].credentials.access_token == TOKEN


def test_an_empty_token_stdin_is_a_usage_error(h: _Harness) -> None:
    result = h.run("login", "--url", URL, "--token-stdin", input="\n")
    assert result.exit_code == 2
    assert "no token" in result.stderr


def test_the_password_is_prompted_without_echo(h: _Harness) -> None:
    result = h.run("login", "--url", URL, "--username", "alice", input="alice-pw\n")
    assert result.exit_code == 0, result.output
    assert "Password" in result.output
    assert "alice-pw" not in result.output
    assert "Logged in to" in result.stdout
    assert "as alice" in result.stdout
    assert "exchanged for an access token" in result.stdout


def test_rejected_credentials_exit_3_with_one_line_and_save_nothing(h: _Harness) -> None:
    result = h.run("login", "--url", URL, "--token", "wrong-token-value")
    assert result.exit_code == 3
    assert result.stderr.startswith("Error: ")
    assert len(result.stderr.strip().splitlines()) == 1
    assert "wrong-token-value" not in result.output
    assert h.store.entries == []


def test_no_options_reuses_the_saved_default_server_and_says_where_from(h: _Harness) -> None:
    h.store.save("prod", Credentials(url=URL, user="alice", password="alice-pw"))
    result = h.run("login")
    assert result.exit_code == 0, result.output
    assert "Using server 'prod' from /home/me/.frogml/config.json" in result.stdout
    assert h.store.servers()[0].credentials.password == "alice-pw"  # kept as it was


def test_no_options_falls_back_to_jfrog_cli_default_server(h: _Harness) -> None:
    h.jfrog.save("jf", Credentials(url=URL, access_token=TOKEN))
    result = h.run("login")
    assert result.exit_code == 0, result.output
    assert "from /home/me/.jfrog/jfrog-cli.conf.v6" in result.stdout
    assert [e.server_id for e in h.store.entries] == ["jf"]


def test_no_options_and_nothing_saved_starts_the_questions(h: _Harness) -> None:
    result = h.run("login", input=f"not a url\n{URL}\nanonymous\n")
    assert result.exit_code == 0, result.output
    assert "is not a server URL" in result.output
    assert f"Logged in to {URL} as anonymous" in result.stdout


def test_whoami_shows_source_url_user_and_a_masked_token(h: _Harness) -> None:
    h.store.save("prod", Credentials(url=URL, user="alice", access_token=TOKEN, source="file"))
    for args in (["whoami"], ["config", "show"]):
        result = h.run(*args)
        assert result.exit_code == 0
        assert "Source: file" in result.stdout
        assert f"URL:    {URL}" in result.stdout
        assert "User:   alice" in result.stdout
        assert "Token:  tok…YZ" in result.stdout
        assert TOKEN not in result.output


def test_whoami_without_configuration_names_the_embedded_store(h: _Harness) -> None:
    result = h.run("whoami")
    assert result.exit_code == 0
    assert "embedded local store" in result.stdout
    assert "frogml login" in result.stdout


def test_whoami_reports_a_broken_configuration_in_one_line(h: _Harness) -> None:
    def broken() -> Credentials | None:
        raise ConfigurationError("the frogml config file /x/config.json is not valid JSON")

    cli = build_cli(CliServices(make_storage=_no_storage, version="0"))
    for command in login_commands(
        login=lambda: Login(probe=h.probe, store=h.store),
        store=lambda: h.store,
        jfrog_cli=lambda: h.jfrog,
        resolve=broken,
    ):
        cli.add_command(command)
    result = CliRunner().invoke(cli, ["whoami"])
    assert result.exit_code == 5  # configuration
    assert result.stderr.strip() == "Error: the frogml config file /x/config.json is not valid JSON"


def test_logout_removes_the_default_server(h: _Harness) -> None:
    h.store.save("a", Credentials(url="https://a.io"))
    h.store.save("b", Credentials(url=URL, access_token=TOKEN))
    result = h.run("logout")
    assert result.exit_code == 0
    assert f"Logged out of {URL} (server 'b')" in result.stdout
    assert "Still in force: https://a.io" in result.stdout
    assert [e.server_id for e in h.store.entries] == ["a"]


def test_logout_all_forgets_every_server(h: _Harness) -> None:
    h.store.save("a", Credentials(url="https://a.io"))
    h.store.save("b", Credentials(url=URL))
    result = h.run("logout", "--all")
    assert result.exit_code == 0
    assert h.store.entries == []
    assert "Still in force" not in result.stdout


def test_logout_when_logged_out_says_so(h: _Harness) -> None:
    result = h.run("logout")
    assert result.exit_code == 0
    assert "Not logged in" in result.stdout


def test_logout_of_an_unknown_server_id_is_a_usage_error(h: _Harness) -> None:
    result = h.run("logout", "--server-id", "nope")
    assert result.exit_code == 2
    assert "'nope'" in result.stderr


def test_login_json_reusing_a_saved_server_prints_the_document_alone(h: _Harness) -> None:
    h.store.save("prod", Credentials(url=URL, access_token=TOKEN))
    result = h.run("login", "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)  # "Using server ..." went to stderr
    assert document["server_id"] == "prod"
    assert "Using server 'prod'" in result.stderr


def test_interactive_login_json_keeps_the_questions_off_stdout(h: _Harness) -> None:
    h.jfrog.save("jf", Credentials(url=URL, access_token=TOKEN))
    result = h.run("login", "--interactive", "--json", input="1\n")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["server_id"] == "jf"
    assert "1) jf" in result.stderr
    assert "Choose" in result.stderr


def test_questions_go_to_stderr_so_stdout_holds_results_only(h: _Harness) -> None:
    result = h.run("login", "--url", URL, input=f"token\n{TOKEN}\n")
    assert result.exit_code == 0, result.output
    assert "Authenticate with" in result.stderr
    assert "Access token" in result.stderr
    assert result.stdout.startswith(f"Logged in to {URL}")


@pytest.mark.parametrize(
    "args", [["login"], ["login", "--url", URL], ["login", "--url", URL, "-u", "alice"]]
)
def test_input_ending_at_a_question_is_one_line_and_exit_2(h: _Harness, args: list[str]) -> None:
    result = h.run(*args, input="")
    assert result.exit_code == 2
    [line] = [x for x in result.stderr.splitlines() if x.startswith("Error:")]
    assert "standard input ended" in line
    assert "--token-stdin" in line
    assert "Aborted" not in result.output
    assert h.store.entries == []


def test_login_repairs_a_damaged_config_file_and_says_where_the_copy_is(h: _Harness) -> None:
    h.store.damaged = True
    assert h.run("whoami").exit_code == 5  # every other command refuses the file
    result = h.run("login", "--url", URL, "--token", TOKEN)
    assert result.exit_code == 0, result.output
    assert (
        "Repaired /home/me/.frogml/config.json; the damaged file is kept as "
        "/home/me/.frogml/config.json.bak"
    ) in result.stdout
    assert [e.credentials.access_token for e in h.store.servers()] == [TOKEN]


def test_login_json_names_the_damaged_copy(h: _Harness) -> None:
    h.store.damaged = True
    result = h.run("login", "--url", URL, "--token", TOKEN, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["damaged_copy"] == "/home/me/.frogml/config.json.bak"
    assert (
        json.loads(h.run("login", "--url", URL, "--token", TOKEN, "--json").stdout)["damaged_copy"]
        is None
    )


def test_login_without_options_passes_over_a_damaged_config_file(h: _Harness) -> None:
    h.store.damaged = True
    h.jfrog.save("jf", Credentials(url=URL, access_token=TOKEN))
    result = h.run("login")
    assert result.exit_code == 0, result.output
    assert "Warning: /home/me/.frogml/config.json is damaged; its servers are not reused" in (
        result.stderr
    )
    assert "from /home/me/.jfrog/jfrog-cli.conf.v6" in result.stdout
    assert "Repaired" in result.stdout
    assert [e.server_id for e in h.store.servers()] == ["jf"]


@pytest.mark.parametrize(
    ("answers", "expected"),
    [("1\n{token}\n", "token"), ("2\n", "anonymous"), ("0\nalice\nalice-pw\n", "password")],
)
def test_jfrogs_numbered_answers_choose_the_method(
    h: _Harness, answers: str, expected: str
) -> None:
    # JFrog's client asks "0: Username and Password, 1: Access Token, 2: Anonymous Access".
    result = h.run("login", "--url", URL, input=answers.format(token=TOKEN))
    assert result.exit_code == 0, result.output
    saved = h.store.servers()[0].credentials
    # A password is exchanged for a token where the server allows it: the user tells.
    method = "password" if saved.user else "token" if saved.access_token else "anonymous"
    assert method == expected


def test_an_unknown_method_is_asked_again(h: _Harness) -> None:
    result = h.run("login", "--url", URL, input=f"7\ntoken\n{TOKEN}\n")
    assert result.exit_code == 0, result.output
    assert "'7' is not one of password (0), token (1) or anonymous (2)" in result.stderr
