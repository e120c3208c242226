"""Which CA certificates verify the server, in words; TLS failures as errors that say
what to do.

A certificate the client cannot verify is a :class:`CertificateUntrustedError` (a
ConfigurationError: trying again cannot help, trusting the right CA does); any other
failed handshake is a :class:`TlsHandshakeError`. Both name the CA bundle in effect and
where it came from, since a global ``REQUESTS_CA_BUNDLE`` silently outranking the
user's ``SSL_CERT_FILE`` is a common cause.
"""

from __future__ import annotations

import ssl

import urllib3.exceptions as u3

from frogml.adapters.artifactory.settings import ArtifactorySettings
from frogml.domain.errors import ConfigurationError, TransientError

__all__ = [
    "CA_HINT",
    "CertificateUntrustedError",
    "TlsHandshakeError",
    "default_ca_file",
    "tls_error",
    "trust_fields",
    "trust_in_effect",
]

CA_HINT = (
    "to trust the CA that signed the server's certificate, give its PEM file with "
    "--ca-bundle, REQUESTS_CA_BUNDLE or SSL_CERT_FILE; REQUESTS_CA_BUNDLE wins over "
    "SSL_CERT_FILE"
)
_WRONG_NAME = "use the host name the server's certificate names in the URL"
_HINTS = {  # by OpenSSL's X509_V_ERR_* code
    9: "the server's certificate is not valid yet: check this machine's clock",
    10: "the server's certificate has expired: its administrator must renew it",
    62: _WRONG_NAME,  # host name mismatch
    64: _WRONG_NAME,  # IP address mismatch
}
_MAX_REASON = 200

_SOURCES = {
    "option": "--ca-bundle",
    "REQUESTS_CA_BUNDLE": "REQUESTS_CA_BUNDLE",
    "SSL_CERT_FILE": "SSL_CERT_FILE",
}


class CertificateUntrustedError(ConfigurationError):
    """The server's TLS certificate failed verification with the CA certificates in effect."""


class TlsHandshakeError(TransientError):
    """The TLS handshake failed for another reason than the certificate (not retried)."""


def default_ca_file() -> str | None:
    """The file of the system's default CA certificates, when OpenSSL has one."""
    paths = ssl.get_default_verify_paths()
    return paths.cafile or paths.capath


def trust_in_effect(settings: ArtifactorySettings) -> str:
    """``CA bundle /x.pem (from REQUESTS_CA_BUNDLE, which outranks SSL_CERT_FILE)``,
    ``the system's default CA certificates in /etc/ssl/cert.pem``, or that verification
    is off."""
    if not settings.verify_tls:
        return "no CA: certificate verification is off (--insecure / JFML_INSECURE)"
    if not settings.ca_bundle:
        where = default_ca_file()
        return "the system's default CA certificates" + (f" in {where}" if where else "")
    source = _SOURCES.get(settings.ca_bundle_source, settings.ca_bundle_source)
    outranked = ", ".join(settings.ca_bundle_outranked)
    tail = f", which outranks {outranked}" if outranked else ""
    return f"CA bundle {settings.ca_bundle} (from {source}{tail})"


def trust_fields(settings: ArtifactorySettings) -> dict[str, object]:
    """The CA certificates in effect as log fields (``ca_bundle``, ``ca_bundle_source``,
    ``ca_bundle_outranked``: the CA variables set but not used)."""
    if not settings.verify_tls:
        return {"verify_tls": False}
    fields: dict[str, object] = {
        "ca_bundle": settings.ca_bundle or default_ca_file(),
        "ca_bundle_source": settings.ca_bundle_source,
    }
    if settings.ca_bundle_outranked:
        fields["ca_bundle_outranked"] = list(settings.ca_bundle_outranked)
    return fields


def _ssl_cause(exc: BaseException) -> ssl.SSLError | None:
    """The ``ssl`` error urllib3 wrapped; a verification failure first."""
    seen = [*exc.args[:1], exc.__cause__, exc.__context__]
    candidates = [e for e in seen if isinstance(e, ssl.SSLError)]
    verification = [e for e in candidates if isinstance(e, ssl.SSLCertVerificationError)]
    return (verification or candidates or [None])[0]


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _MAX_REASON else text[:_MAX_REASON] + "…"


def tls_error(
    exc: u3.SSLError, *, what: str, host: str, settings: ArtifactorySettings
) -> ConfigurationError | TransientError:
    """The error for a failed TLS handshake with ``host``: what failed, with which CA
    certificates, and what to do."""
    cause = _ssl_cause(exc)
    trust = trust_in_effect(settings)
    if isinstance(cause, ssl.SSLCertVerificationError):
        reason = _shorten(str(cause.verify_message or cause.reason or cause))
        return CertificateUntrustedError(
            f"{what}: the TLS certificate of {host} could not be verified ({reason}); "
            f"trusted: {trust}",
            source=settings.ca_bundle_source,
            hint=_HINTS.get(cause.verify_code, CA_HINT),
        )
    reason = _shorten(str(getattr(cause, "reason", None) or cause or exc))
    return TlsHandshakeError(
        f"{what}: the TLS handshake with {host} failed ({reason}); trusted: {trust}",
        hint=(
            f"check that {host} speaks HTTPS, not plain HTTP; if a proxy on the way re-signs "
            "TLS traffic, give its CA's PEM file with --ca-bundle, REQUESTS_CA_BUNDLE or "
            "SSL_CERT_FILE"
        ),
    )
