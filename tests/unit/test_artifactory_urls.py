"""Server URL normalisation and the safety check of a manifest's download_url."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frogml.adapters.artifactory._urls import ServerUrls, check_download_url, derive_url
from frogml.domain.errors import ConfigurationError, ProtocolError
from frogml.domain.model.entity import EntityKind, EntityRef
from frogml.domain.model.server import same_server
from frogml.domain.ports.artifact_store import Area

SERVER = ServerUrls.parse("https://acme.jfrog.io")
MODEL = EntityRef(
    repository="ml-local", kind=EntityKind.MODEL, name="fraud", namespace="acme", version="1.0"
)
DATASET = EntityRef(repository="ml-local", kind=EntityKind.DATASET, name="clicks", version="v2")
GOOD = "https://acme.jfrog.io/artifactory/ml-local/models/acme/fraud/1.0/model/weights/a.pt"


@pytest.mark.parametrize(
    "typed",
    [
        "https://acme.jfrog.io",
        "https://acme.jfrog.io/",
        "https://acme.jfrog.io/artifactory",
        "https://acme.jfrog.io/artifactory/",
        "  HTTPS://ACME.jfrog.io/artifactory/  ",
        "https://acme.jfrog.io/ui/repos/tree",
    ],
)
def test_every_spelling_of_a_server_means_the_same_base(typed: str) -> None:
    urls = ServerUrls.parse(typed)
    assert urls.base == "https://acme.jfrog.io/artifactory"
    assert urls.access == "https://acme.jfrog.io/access"


def test_a_port_and_a_proxy_prefix_are_kept() -> None:
    urls = ServerUrls.parse("http://127.0.0.1:8081/jfrog/artifactory/")
    assert urls.base == "http://127.0.0.1:8081/jfrog/artifactory"
    assert urls.access == "http://127.0.0.1:8081/jfrog/access"


@pytest.mark.parametrize(
    "typed",
    ["ftp://acme.jfrog.io", "acme.jfrog.io", "file:///etc/passwd", "https://", "http://h:99999"],
)
def test_non_http_urls_are_refused(typed: str) -> None:
    with pytest.raises(ConfigurationError):
        ServerUrls.parse(typed)


def test_credentials_in_the_url_are_refused_without_being_echoed() -> None:
    with pytest.raises(ConfigurationError) as caught:
        ServerUrls.parse("https://alice:s3cret@acme.jfrog.io")
    assert "s3cret" not in str(caught.value)


PATH = "weights/a.pt"


def _check(url: str, ref: EntityRef = MODEL, area: Area = Area.FILES, path: str = PATH) -> bool:
    return check_download_url(SERVER, ref, area, path, url)


def test_a_download_url_naming_the_file_passes_raw_or_encoded() -> None:
    assert _check(GOOD) is True
    assert _check(GOOD.replace("acme.jfrog.io", "ACME.jfrog.io:443")) is True
    odd = "w/a b#c;k=v?%+&=,'[]-ü模.bin"
    raw = f"https://acme.jfrog.io/artifactory/ml-local/models/acme/fraud/1.0/model/{odd}"
    assert _check(raw, path=odd) is True  # as Artifactory writes it
    assert _check(derive_url(SERVER, MODEL, Area.FILES, odd), path=odd) is True  # encoded


@pytest.mark.parametrize(
    "url",
    [
        GOOD.replace("https://acme.jfrog.io", "https://evil.example"),
        GOOD.replace("https://", "http://"),
        GOOD.replace("acme.jfrog.io", "acme.jfrog.io:8443"),
        GOOD.replace("acme.jfrog.io", "user@acme.jfrog.io"),
        GOOD.replace("https://acme.jfrog.io", "https://internal:8081/proxy"),
    ],
)
def test_a_download_url_on_another_origin_is_tolerated_but_not_used(url: str) -> None:
    # The file is fetched from the URL derived on the user's origin: credentials never
    # travel to the origin the server named.
    assert _check(url) is False


@pytest.mark.parametrize(
    "url",
    [
        GOOD.replace("/ml-local/", "/other-repo/"),
        GOOD.replace("/fraud/1.0/", "/fraud/2.0/"),
        GOOD.replace("/models/", "/datasets/"),
        GOOD.replace("/acme/fraud/", "/acme/other/"),
        GOOD.replace("/model/", "/code/"),
        GOOD + "?x=1",
        GOOD + "#frag",
        GOOD.replace("/a.pt", "/a.pt;prop=1"),
        GOOD.replace("weights/a.pt", "../../../2.0/model/a.pt"),
        GOOD.replace("weights/a.pt", "weights/../../a.pt"),
        GOOD.replace("weights/a.pt", "%2e%2e/a.pt"),
        GOOD.replace("weights/a.pt", "weights%2f..%2fa.pt"),
        GOOD.replace("weights/a.pt", "weights\\..\\a.pt"),
        GOOD.replace("weights/a.pt", "weights//a.pt"),
        GOOD.replace("weights/a.pt", ""),
        "/artifactory/ml-local/models/acme/fraud/1.0/model/weights/a.pt",
        "javascript:alert(1)",
    ],
)
def test_a_download_url_naming_another_file_is_a_protocol_error(url: str) -> None:
    with pytest.raises(ProtocolError, match="unsafe download_url"):
        _check(url)


_ESCAPES = st.sampled_from(["..", "%2e%2e", "%2E%2e", ".%2e", "%2e.", "%2E%2E"])


@given(
    before=st.lists(st.sampled_from(["a", "b.c", "x-y"]), max_size=3),
    escape=_ESCAPES,
    after=st.lists(st.sampled_from(["a", "z.bin"]), min_size=1, max_size=3),
)
def test_no_spelling_of_a_dot_dot_segment_passes(
    before: list[str], escape: str, after: list[str]
) -> None:
    tail = "/".join([*before, escape, *after])
    url = f"https://acme.jfrog.io/artifactory/ml-local/models/acme/fraud/1.0/model/{tail}"
    with pytest.raises(ProtocolError):
        _check(url, path="/".join([*before, *after]))


def test_derived_urls_follow_the_published_layout() -> None:
    base = "https://acme.jfrog.io/artifactory/ml-local"
    assert derive_url(SERVER, MODEL, Area.FILES, "w/a b;c.pt") == (
        f"{base}/models/acme/fraud/1.0/model/w/a%20b%3Bc.pt"
    )
    assert derive_url(SERVER, MODEL, Area.DEPENDENCIES, "requirements.txt") == (
        f"{base}/models/acme/fraud/1.0/dependencies/requirements.txt"
    )
    assert derive_url(SERVER, MODEL, Area.CODE, "code.zip") == (
        f"{base}/models/acme/fraud/1.0/code/code.zip"
    )
    assert derive_url(SERVER, DATASET, Area.FILES, "part-0.parquet") == (
        f"{base}/datasets/clicks/v2/dataset/part-0.parquet"
    )


def test_derived_urls_pass_the_download_url_check() -> None:
    for ref, area, path in (
        (MODEL, Area.FILES, "dir/file name.bin"),
        (MODEL, Area.CODE, "code #1.zip"),
        (DATASET, Area.FILES, "dir/x;y.bin"),
    ):
        assert _check(derive_url(SERVER, ref, area, path), ref, area, path) is True


@pytest.mark.parametrize(
    "typed",
    [
        "http://myorg.jfrog.io",
        "http://myorg.jfrog.io/",
        "http://myorg.jfrog.io/artifactory",
        "http://myorg.jfrog.io/artifactory/",
        "  HTTP://MyOrg.JFrog.io/artifactory/  ",
    ],
)
def test_every_form_of_the_documentation_names_one_server(typed: str) -> None:
    assert ServerUrls.parse(typed).base == "http://myorg.jfrog.io/artifactory"
    assert same_server(typed, "http://myorg.jfrog.io")


def test_a_reverse_proxy_prefix_is_kept_and_is_another_server() -> None:
    assert ServerUrls.parse("https://h/tools/artifactory/").base == "https://h/tools/artifactory"
    assert not same_server("https://h/tools/artifactory", "https://h")
    assert not same_server("https://h", "http://h")
    assert not same_server("not a url", "not a url")


@pytest.mark.parametrize("bad", ["https://h?x=1", "https://h/artifactory#top"])
def test_a_query_or_fragment_is_refused(bad: str) -> None:
    with pytest.raises(ConfigurationError):
        ServerUrls.parse(bad)
