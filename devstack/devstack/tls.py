"""The party's own certificate authority and the server certificate it signs (ADR 0035).

Phones give service workers, notifications and Web Locks only to a secure context, and a LAN
address over plain HTTP is not one. `make party` therefore serves HTTPS with a certificate for
the LAN address, signed by a CA made on this machine the first time and kept in the data
directory: a guest installs the CA once (from the plain page the banner prints) and it keeps
working across restarts. A new LAN address gets a new server certificate from the same CA.
"""

from __future__ import annotations

import datetime
import ipaddress
import os
import ssl
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from .party import PARTY_NETWORKS

TLS_DIR = "tls"
CA_NAME = "Barkeep party CA"
CA_DAYS = 2 * 365
# Phones that installed the CA trust whatever it signs, so it signs for nothing but the
# addresses a party can be on (party.PARTY_NETWORKS) and no DNS name at all (the only permitted
# one, `.invalid`, cannot exist): a leaked key cannot impersonate a website. Android, iOS and
# desktop browsers enforce name constraints.
# Apple refuses server certificates valid for more than 825 days; a year is plenty for a party.
SERVER_DAYS = 365
RENEW_BEFORE = datetime.timedelta(days=30)


@dataclass(frozen=True)
class Certificates:
    ca_cert: Path  # PEM: what phones install (also served as DER)
    cert: Path  # PEM: the server certificate, then the CA (the chain a phone is sent)
    key: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.load_cert_chain(self.cert, self.key)
        return context

    def client_context(self) -> ssl.SSLContext:
        """A client that trusts this CA alone (tests, and the checks below)."""
        return ssl.create_default_context(cafile=str(self.ca_cert))

    def ca_der(self) -> bytes:
        return x509.load_pem_x509_certificate(self.ca_cert.read_bytes()).public_bytes(
            serialization.Encoding.DER
        )


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def _write_private(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


_NAME_CONSTRAINTS = x509.NameConstraints(
    permitted_subtrees=[
        *(x509.IPAddress(ipaddress.ip_network(n)) for n in PARTY_NETWORKS),
        x509.DNSName("invalid"),
    ],
    excluded_subtrees=None,
)


def _load_pair(
    cert_path: Path, key_path: Path
) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey] | None:
    """A certificate (the first in its file) and its EC key, or None when either is missing,
    cut short, or not the other's half (a crash between writing the two, and TLS would refuse
    to start)."""
    if not (cert_path.is_file() and key_path.is_file()):
        return None
    try:
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    except (ValueError, TypeError):
        return None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or cert.public_key() != key.public_key():
        return None
    return cert, key


def _load_ca(directory: Path) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey] | None:
    pair = _load_pair(directory / "ca.pem", directory / "ca-key.pem")
    if pair is None:
        return None
    cert, key = pair
    if cert.not_valid_after_utc - RENEW_BEFORE < _now():
        # a new CA, which phones install again, rather than a certificate dying mid-party
        return None
    try:
        constrained = cert.extensions.get_extension_for_class(x509.NameConstraints).value
    except x509.ExtensionNotFound:
        return None  # a CA from before the constraints: replaced, and phones install the new one
    if constrained != _NAME_CONSTRAINTS:
        return None
    return cert, key


def _new_ca(directory: Path) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, CA_NAME),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Barkeep (this party only)"),
        ]
    )
    now = _now()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=CA_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_NAME_CONSTRAINTS, critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                key_cert_sign=True,
                crl_sign=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    _write_private(directory / "ca-key.pem", _key_pem(key))
    (directory / "ca.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return cert, key


def _server_cert_fits(directory: Path, host: str, ca: x509.Certificate) -> bool:
    pair = _load_pair(directory / "server.pem", directory / "server-key.pem")
    if pair is None:
        return False
    cert = pair[0]
    try:
        names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        cert.verify_directly_issued_by(ca)  # signed by this CA's key, not an older one's
    except (ValueError, TypeError, x509.ExtensionNotFound, InvalidSignature):
        return False
    return (
        ipaddress.ip_address(host) in names.get_values_for_type(x509.IPAddress)
        and cert.not_valid_after_utc - RENEW_BEFORE > _now()
    )


def _new_server_cert(
    directory: Path, host: str, ca: x509.Certificate, ca_key: ec.EllipticCurvePrivateKey
) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    now = _now()
    cert = (
        x509.CertificateBuilder()
        # not the address: OpenSSL reads a host-like common name as a DNS name, which the CA's
        # name constraints forbid; browsers read the address from the SAN alone
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"Barkeep party {host}")]))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        # never past the CA's end: the chain dies with it
        .not_valid_after(min(now + datetime.timedelta(days=SERVER_DAYS), ca.not_valid_after_utc))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(host))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    _write_private(directory / "server-key.pem", _key_pem(key))
    chain = cert.public_bytes(serialization.Encoding.PEM) + ca.public_bytes(
        serialization.Encoding.PEM
    )
    (directory / "server.pem").write_bytes(chain)


def ensure_certificates(data_dir: Path, host: str) -> Certificates:
    """The CA (made once, then reused) and a server certificate for `host` (remade when the
    address changed or it nears its end), under `<data_dir>/tls/`."""
    directory = data_dir / TLS_DIR
    directory.mkdir(parents=True, exist_ok=True)
    ca = _load_ca(directory) or _new_ca(directory)
    ca_cert, ca_key = ca
    if not _server_cert_fits(directory, host, ca_cert):
        _new_server_cert(directory, host, ca_cert, ca_key)
    return Certificates(
        ca_cert=directory / "ca.pem",
        cert=directory / "server.pem",
        key=directory / "server-key.pem",
    )
