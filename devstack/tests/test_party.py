"""`make party` (ADR 0035): finding the LAN address, refusing a guessable admin password, the
party's CA and server certificate, and the plain page that hands the CA out."""

from __future__ import annotations

import datetime
import ipaddress
import json
import socket
import ssl
import threading
from dataclasses import replace
from pathlib import Path

import pytest
from cryptography import x509
from devstack.config import DEFAULT_ADMIN_PASSWORD, DEFAULT_DATA_DIR, ConfigError, DevConfig
from devstack.front import PlainPage
from devstack.gateway import Site, build_app, moto_allows
from devstack.party import check_admin_password, detect_lan_address, party_host, password_problem
from devstack.tls import ensure_certificates
from starlette.testclient import TestClient

STRONG = "Party-tonight-2026"


# -- the address --------------------------------------------------------------------------------


def test_the_detected_address_is_one_of_this_machines_own_and_not_loopback() -> None:
    found = detect_lan_address()
    if found is None:
        pytest.skip("this machine has no route to a network")
    assert not found.startswith("127.")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((found, 0))  # only an address of this machine can be bound


def test_a_route_that_only_reaches_loopback_is_no_lan_address() -> None:
    # the kernel answers 127.0.0.1 as the source towards 127.0.0.2: no phone could use that
    assert detect_lan_address(("127.0.0.2", 9)) is None


def test_barkeep_host_wins_over_detection_and_must_be_an_ipv4_address() -> None:
    def never() -> str:
        raise AssertionError("detection must not run when BARKEEP_HOST is set")

    assert party_host("192.168.1.20", detect=never) == "192.168.1.20"
    assert party_host("10.1.2.3", detect=never) == "10.1.2.3"
    assert party_host("127.0.0.2", detect=never) == "127.0.0.2"  # the tests' stand-in
    for bad in (
        "my-laptop.local",
        "::1",
        "0.0.0.0",
        "224.0.0.1",
        "192.168.1",
        "255.255.255.255",  # broadcast
        "8.8.8.8",  # on the internet, not a party's network
        "127.0.0.1",  # this machine alone
    ):
        with pytest.raises(ConfigError, match="BARKEEP_HOST"):
            party_host(bad, detect=never)


def test_no_address_found_says_to_set_barkeep_host() -> None:
    with pytest.raises(ConfigError, match="BARKEEP_HOST=<this machine's IP address>"):
        party_host(None, detect=lambda: None)


def test_a_detected_address_the_party_ca_cannot_name_is_refused_with_what_to_do() -> None:
    assert party_host(None, detect=lambda: "192.168.1.20") == "192.168.1.20"
    # a venue or campus network handing out a public address: no phone would trust it
    with pytest.raises(ConfigError, match=r"130\.237\.1\.1, is not a private one.*BARKEEP_HOST"):
        party_host(None, detect=lambda: "130.237.1.1")


# -- the admin password -------------------------------------------------------------------------


def test_the_default_admin_password_is_refused_with_how_to_set_one() -> None:
    with pytest.raises(ConfigError) as refused:
        check_admin_password(DEFAULT_ADMIN_PASSWORD)
    message = str(refused.value)
    assert "default" in message and "BARKEEP_ADMIN_PASSWORD=" in message
    assert "make party" in message


@pytest.mark.parametrize(
    ("password", "missing"),
    [
        ("Short-1", "at least 12 characters"),
        ("all-lowercase-2026", "an uppercase letter"),
        ("ALL-UPPERCASE-2026", "a lowercase letter"),
        ("No-Numbers-Tonight", "a number"),
    ],
)
def test_a_password_weaker_than_the_user_pools_policy_is_refused(
    password: str, missing: str
) -> None:
    problem = password_problem(password)
    assert problem is not None and missing in problem


def test_a_password_with_a_space_at_either_end_is_refused_as_cognito_would() -> None:
    for padded in (f" {STRONG}", f"{STRONG} "):
        problem = password_problem(padded)
        assert problem is not None and "space" in problem
    assert password_problem("Party tonight 2026") is None  # inside, a space is fine


def test_a_strong_password_passes() -> None:
    assert password_problem(STRONG) is None
    check_admin_password(STRONG)


def test_party_config_refuses_the_default_password_but_make_dev_keeps_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("BARKEEP_ADMIN_PASSWORD", raising=False)
    monkeypatch.setenv("BARKEEP_HOST", "127.0.0.2")
    dev = DevConfig.from_env()
    assert (dev.host, dev.admin_password) == (None, DEFAULT_ADMIN_PASSWORD)
    with pytest.raises(ConfigError, match=r"^No admin password is set \(BARKEEP_ADMIN_PASSWORD\)"):
        DevConfig.from_env(party=True)
    monkeypatch.setenv("BARKEEP_ADMIN_PASSWORD", DEFAULT_ADMIN_PASSWORD)
    with pytest.raises(ConfigError, match=r"^The admin password is the default printed"):
        DevConfig.from_env(party=True)
    monkeypatch.setenv("BARKEEP_ADMIN_PASSWORD", STRONG)
    party = DevConfig.from_env(party=True)
    assert (party.host, party.https) == ("127.0.0.2", True)
    monkeypatch.setenv("BARKEEP_HTTPS", "0")
    assert DevConfig.from_env(party=True).https is False
    monkeypatch.setenv("BARKEEP_HTTPS", "maybe")
    with pytest.raises(ConfigError, match="BARKEEP_HTTPS"):
        DevConfig.from_env(party=True)


# -- the certificates ---------------------------------------------------------------------------


def _handshake(certs_dir: Path, host: str, name: str) -> None:
    """A TLS server with the party's certificate on `host`; a client trusting only the CA
    connects to it expecting the name `name`."""
    certs = ensure_certificates(certs_dir, host)
    server = certs.server_context()
    with socket.create_server((host, 0)) as listener:
        port = listener.getsockname()[1]

        def serve() -> None:
            conn, _ = listener.accept()
            try:
                with server.wrap_socket(conn, server_side=True) as tls:
                    tls.recv(1)
            except (ssl.SSLError, OSError):
                pass

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        try:
            with (
                socket.create_connection((host, port), timeout=5) as raw,
                certs.client_context().wrap_socket(raw, server_hostname=name) as tls,
            ):
                tls.sendall(b"x")
        finally:
            thread.join(timeout=5)


def test_the_server_certificate_is_valid_for_the_ip_and_chains_to_the_ca(tmp_path: Path) -> None:
    _handshake(tmp_path, "127.0.0.2", "127.0.0.2")
    certs = ensure_certificates(tmp_path, "127.0.0.2")
    leaf, *chain = x509.load_pem_x509_certificates(certs.cert.read_bytes())
    ca = x509.load_pem_x509_certificate(certs.ca_cert.read_bytes())
    leaf.verify_directly_issued_by(ca)
    assert chain == [ca]  # the CA is sent along
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is True
    names = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert [str(ip) for ip in names.get_values_for_type(x509.IPAddress)] == ["127.0.0.2"]
    assert (certs.key.stat().st_mode & 0o777) == 0o600


def test_the_ca_signs_for_party_addresses_alone_so_its_key_cannot_impersonate_a_website(
    tmp_path: Path,
) -> None:
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    from cryptography.x509.verification import PolicyBuilder, Store, VerificationError

    certs = ensure_certificates(tmp_path, "127.0.0.2")
    ca = x509.load_pem_x509_certificate(certs.ca_cert.read_bytes())
    verifier = PolicyBuilder().store(Store([ca]))
    leaf = x509.load_pem_x509_certificates(certs.cert.read_bytes())[0]
    verifier.build_server_verifier(x509.IPAddress(ipaddress.ip_address("127.0.0.2"))).verify(
        leaf, []
    )

    # Given someone who copied the CA's key (from a backup, say)
    ca_key = serialization.load_pem_private_key(
        (tmp_path / "tls" / "ca-key.pem").read_bytes(), password=None
    )
    assert isinstance(ca_key, ec.EllipticCurvePrivateKey)

    def forged(name: x509.GeneralName) -> x509.Certificate:
        now = datetime.datetime.now(datetime.UTC)
        key = ec.generate_private_key(ec.SECP256R1())
        return (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "forged")]))
            .issuer_name(ca.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=1))
            .not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName([name]), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                critical=False,
            )
            .sign(ca_key, hashes.SHA256())
        )

    # When they sign a certificate for a website or an internet address with it
    # Then a browser that trusts the party's CA still refuses both
    for name in (x509.DNSName("www.google.com"), x509.IPAddress(ipaddress.ip_address("8.8.8.8"))):
        with pytest.raises(VerificationError):
            verifier.build_server_verifier(name).verify(forged(name), [])


def test_the_certificate_is_refused_for_another_address(tmp_path: Path) -> None:
    with pytest.raises(ssl.SSLCertVerificationError, match="IP address mismatch"):
        _handshake(tmp_path, "127.0.0.2", "127.0.0.3")


def test_the_ca_is_kept_across_restarts_and_a_new_address_gets_a_new_certificate(
    tmp_path: Path,
) -> None:
    first = ensure_certificates(tmp_path, "127.0.0.2")
    ca, cert = first.ca_cert.read_bytes(), first.cert.read_bytes()
    again = ensure_certificates(tmp_path, "127.0.0.2")
    assert (again.ca_cert.read_bytes(), again.cert.read_bytes()) == (ca, cert)

    moved = ensure_certificates(tmp_path, "127.0.0.3")  # the laptop got another DHCP lease
    assert moved.ca_cert.read_bytes() == ca  # phones that installed the CA keep working
    assert moved.cert.read_bytes() != cert
    _handshake(tmp_path, "127.0.0.3", "127.0.0.3")


def test_a_key_left_apart_from_its_certificate_by_a_crash_is_made_again(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    def stray_key() -> bytes:
        return ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )

    first = ensure_certificates(tmp_path, "127.0.0.2")
    ca, cert = first.ca_cert.read_bytes(), first.cert.read_bytes()
    first.key.write_bytes(stray_key())  # the server's key written, its certificate not yet
    again = ensure_certificates(tmp_path, "127.0.0.2")
    assert again.ca_cert.read_bytes() == ca and again.cert.read_bytes() != cert
    _handshake(tmp_path, "127.0.0.2", "127.0.0.2")

    (tmp_path / "tls" / "ca-key.pem").write_bytes(stray_key())  # and the CA's
    (tmp_path / "tls" / "ca-key.pem").chmod(0o600)
    remade = ensure_certificates(tmp_path, "127.0.0.2")
    assert remade.ca_cert.read_bytes() != ca
    _handshake(tmp_path, "127.0.0.2", "127.0.0.2")


def test_the_server_certificate_ends_with_the_ca_and_a_ca_near_its_end_is_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from devstack import tls

    first = ensure_certificates(tmp_path, "127.0.0.2")
    ca = x509.load_pem_x509_certificate(first.ca_cert.read_bytes())
    start = tls._now()

    # a party 18 months on: the server certificate is remade, and ends when the CA does
    monkeypatch.setattr(tls, "_now", lambda: start + datetime.timedelta(days=550))
    later = ensure_certificates(tmp_path, "127.0.0.2")
    assert later.ca_cert.read_bytes() == first.ca_cert.read_bytes()
    server = x509.load_pem_x509_certificate(later.cert.read_bytes())
    assert server.not_valid_after_utc == ca.not_valid_after_utc

    # a week before the CA ends, a new CA (phones install it again) rather than a dead chain
    monkeypatch.setattr(tls, "_now", lambda: ca.not_valid_after_utc - datetime.timedelta(days=7))
    renewed = ensure_certificates(tmp_path, "127.0.0.2")
    new_ca = x509.load_pem_x509_certificate(renewed.ca_cert.read_bytes())
    assert new_ca.not_valid_after_utc > ca.not_valid_after_utc + datetime.timedelta(days=300)


def test_the_plain_page_hands_out_the_ca_and_redirects_the_rest_to_https(tmp_path: Path) -> None:
    certs = ensure_certificates(tmp_path, "127.0.0.2")
    page = PlainPage("https://127.0.0.2:8443", certs.ca_der(), certs.ca_cert.read_bytes())
    status, _, headers, body = page.answer("/barkeep-ca.crt")
    assert status == 200 and headers["Content-Type"] == "application/x-x509-ca-cert"
    assert x509.load_der_x509_certificate(body) == x509.load_pem_x509_certificate(
        certs.ca_cert.read_bytes()
    )
    status, _, headers, body = page.answer("/")
    assert status == 200 and b"/barkeep-ca.crt" in body and b"https://127.0.0.2:8443/" in body
    status, _, headers, _ = page.answer("/join?code=abc")
    assert (status, headers["Location"]) == (308, "https://127.0.0.2:8443/join?code=abc")


# -- moto through the party's gateway ---------------------------------------------------------


def _party_site() -> Site:
    return Site(
        port=8443,
        services={},
        region="eu-west-1",
        user_pool_id="pool",
        client_id="client",
        cognito_endpoint="http://127.0.0.1:5000",
        web_dist=Path("/nonexistent"),
        admin_email="admin@barkeep.local",
        admin_password=STRONG,
        images_base_url="http://127.0.0.1:5000/barkeep-local-images",
        host="192.168.1.20",
        https=True,
    )


def test_phones_get_sign_in_and_photos_through_the_gateway_and_nothing_else_of_moto() -> None:
    site = _party_site()
    discovery = site.discovery()
    assert discovery["auth"]["cognito_endpoint"] == "https://192.168.1.20:8443/aws/"
    assert discovery["images"] == "https://192.168.1.20:8443/aws/barkeep-local-images"
    cognito = "AWSCognitoIdentityProviderService."
    json = "application/x-amz-json-1.1"
    allowed = [
        ("POST", "/", cognito + "InitiateAuth", "", json),
        ("GET", "/barkeep-local-images/drinks/a.png", "", ""),
        ("HEAD", "/barkeep-local-images/.well-known/guest-jwks.json", "", ""),
    ]
    refused = [
        # moto takes a form body's Action= over the target: ListQueues, ListUsers...
        ("POST", "/", cognito + "InitiateAuth", "", "application/x-www-form-urlencoded"),
        ("POST", "/", cognito + "InitiateAuth", "", ""),
        # what the web app never calls (and moto has not implemented RevokeToken: a 500)
        ("POST", "/", cognito + "RevokeToken", "", json),
        ("POST", "/", cognito + "GetUser", "", json),
        ("POST", "/", cognito + "AdminSetUserPassword", ""),
        ("POST", "/", cognito + "ListUsers", ""),
        ("POST", "/", "secretsmanager.GetSecretValue", ""),
        ("POST", "/", "", ""),
        ("GET", "/", "", ""),  # ListBuckets
        ("GET", "/barkeep-local-images/", "", ""),  # a listing
        ("GET", "/barkeep-local-images", "", "list-type=2"),
        ("GET", "/barkeep-local-images/a.png", "", "acl"),
        ("PUT", "/barkeep-local-images/a.png", "", ""),
        ("DELETE", "/barkeep-local-images/a.png", "", ""),
        ("POST", "/barkeep-local-images", "", ""),
        ("GET", "/other-bucket/a.png", "", ""),
        # what arrives decoded, and what a URL library would fold or split, is not a key
        ("GET", "/barkeep-local-images/../moto-api/data.json", "", ""),
        ("GET", "/barkeep-local-images/drinks/../../moto-api/data.json", "", ""),
        ("GET", "/barkeep-local-images/./a.png", "", ""),
        ("GET", "/barkeep-local-images/?list-type=2", "", ""),
        ("GET", "/barkeep-local-images/a.png?acl", "", ""),
        ("GET", "/barkeep-local-images/a%2fb.png", "", ""),
        ("GET", "/barkeep-local-images/a\\b.png", "", ""),
        ("GET", "/barkeep-local-images/drinks//a.png", "", ""),
    ]
    assert all(moto_allows(site, *request) for request in allowed)
    assert not any(moto_allows(site, *request) for request in refused)


def test_a_photo_path_that_climbs_out_of_the_bucket_never_reaches_moto() -> None:
    # Starlette decodes %2e%2e to `..` before the route sees it: the dump of moto's state, the
    # bucket's listing and moto's dashboard stay out of reach from the Wi-Fi
    site = replace(_party_site(), cognito_endpoint="http://127.0.0.1:9")  # nothing listens
    client = TestClient(build_app(site))
    for path in (
        "/barkeep-local-images/%2e%2e/moto-api/data.json",
        "/barkeep-local-images/drinks/%2E%2E/%2e%2e/moto-api/",
        "/barkeep-local-images/%3Flist-type=2",
        "/barkeep-local-images/a.png%3Facl",
        "/barkeep-local-images/%2e/a.png",
    ):
        answer = client.get("/aws" + path)
        assert answer.status_code == 403, path
        assert answer.json()["error"]["code"] == "forbidden"
    # a plain photo key is passed on (and moto, not listening here, is a 502)
    assert client.get("/aws/barkeep-local-images/drinks/a.png").status_code == 502


def test_moto_failing_on_what_a_phone_sent_is_a_400_in_our_envelope() -> None:
    import http.server

    class Moto(http.server.BaseHTTPRequestHandler):  # as moto answers what it cannot parse
        def do_GET(self) -> None:
            self.send_response(500)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<h1>Internal Server Error</h1>")

        def log_message(self, *args: object) -> None:
            pass

    moto = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Moto)
    threading.Thread(target=moto.serve_forever, daemon=True).start()
    try:
        site = replace(_party_site(), cognito_endpoint=f"http://127.0.0.1:{moto.server_port}")
        answer = TestClient(build_app(site)).get(
            "/aws/barkeep-local-images/.well-known/guest-jwks.json",
            headers={"If-Modified-Since": "garbage"},
        )
        assert answer.status_code == 400
        assert answer.json()["error"]["code"] == "bad_request"
    finally:
        moto.shutdown()


def test_a_cognito_call_cannot_carry_another_action_to_moto() -> None:
    import httpx
    from barkeep.testing.aws import start_moto
    from devstack.stack import local_aws

    # moto parses every body as a form too, and an Action= there wins over the target header
    server, endpoint = start_moto()
    try:
        aws = local_aws(endpoint, "admin@barkeep.local", STRONG)
        site = replace(_party_site(), cognito_endpoint=endpoint, user_pool_id=aws.user_pool_id)
        client = TestClient(build_app(site))
        target = {
            "X-Amz-Target": "AWSCognitoIdentityProviderService.InitiateAuth",
            "Content-Type": "application/x-amz-json-1.1",
        }
        smuggled = [
            {"MaxResults": 10, "x": "&Action=ListUserPools&"},
            {"UserPoolId": aws.user_pool_id, "Username": "boss@x", "x": "&Action=AdminCreateUser&"},
        ]
        for body in smuggled:
            answer = client.post("/aws/", headers=target, content=json.dumps(body))
            assert "UserPools" not in answer.text and "boss@x" not in answer.text, answer.text
        cognito = aws.client("cognito-idp")
        users = cognito.list_users(UserPoolId=aws.user_pool_id)["Users"]
        emails = [a["Value"] for u in users for a in u["Attributes"] if a["Name"] == "email"]
        assert (len(users), emails) == (1, ["admin@barkeep.local"])
        # what is no JSON object is refused here, before moto
        for junk in ("Action=ListUserPools", "[]", '"x"', "{"):
            assert client.post("/aws/", headers=target, content=junk).status_code == 400
        # and signing in still works through it
        signed_in = client.post(
            "/aws/",
            headers=target,
            content=json.dumps(
                {
                    "AuthFlow": "USER_PASSWORD_AUTH",
                    "ClientId": aws.client_id,
                    "AuthParameters": {"USERNAME": "admin@barkeep.local", "PASSWORD": STRONG},
                }
            ),
        )
        assert (
            signed_in.status_code == 200
            and "AccessToken" in signed_in.json()["AuthenticationResult"]
        )
    finally:
        httpx.post(f"{endpoint}/moto-api/reset")
        server.stop()


def test_make_dev_keeps_moto_where_it_was() -> None:
    site = replace(_party_site(), host="localhost", https=False)
    assert site.discovery()["auth"]["cognito_endpoint"] == "http://127.0.0.1:5000/"
    assert site.discovery()["images"] == "http://127.0.0.1:5000/barkeep-local-images"
    assert not any(route.path.startswith("/aws") for route in build_app(site).routes)  # type: ignore[attr-defined]


# -- the front door -----------------------------------------------------------------------------


def test_the_front_door_speaks_tls_to_the_gateway_and_plain_http_to_strangers(
    tmp_path: Path,
) -> None:
    import http.server
    import urllib.request

    from devstack.front import Front
    from devstack.ports import reserve_port

    class Gateway(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = f"gateway saw {self.path} for {self.headers['Host']}".encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    gateway = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Gateway)
    threading.Thread(target=gateway.serve_forever, daemon=True).start()
    certs = ensure_certificates(tmp_path, "127.0.0.2")
    public = reserve_port(0, "127.0.0.2")
    port = public.getsockname()[1]
    page = PlainPage(f"https://127.0.0.2:{port}", certs.ca_der(), certs.ca_cert.read_bytes())
    front = Front(public, ("127.0.0.1", gateway.server_address[1]), certs.server_context(), page)
    front.start()
    try:
        # a client that sends too long a head, or nothing TLS or HTTP, is dropped...
        with socket.create_connection(("127.0.0.2", port), timeout=5) as stranger:
            stranger.sendall(b"GET /" + b"a" * 40_000)
            try:
                dropped = stranger.recv(100) == b""  # closed, with no answer
            except ConnectionResetError:  # or reset: it left bytes unread
                dropped = True
            assert dropped
        # ...and the next ones are served: HTTPS to the gateway, with the Host the phone sent
        with urllib.request.urlopen(
            f"https://127.0.0.2:{port}/menu?x=1", context=certs.client_context(), timeout=5
        ) as answer:
            assert answer.read() == f"gateway saw /menu?x=1 for 127.0.0.2:{port}".encode()
        with urllib.request.urlopen(f"http://127.0.0.2:{port}/", timeout=5) as answer:
            assert b"Download the certificate" in answer.read()
    finally:
        front.stop()
        public.close()
        gateway.shutdown()


# -- what the party prints and shows ------------------------------------------------------------


def test_the_party_banner_says_how_to_install_the_ca_and_keep_the_night(tmp_path: Path) -> None:
    from types import SimpleNamespace

    from devstack.banner import party_lines

    certs = ensure_certificates(tmp_path, "127.0.0.2")
    site = replace(_party_site(), host="127.0.0.2")
    stack = SimpleNamespace(site=site, certificates=certs, data_dir=DEFAULT_DATA_DIR)
    text = "\n".join(party_lines(stack))  # type: ignore[arg-type]
    assert "http://127.0.0.2:8443/" in text and str(certs.ca_cert) in text
    assert " make backup " in text and " make restore FILE=" in text
    assert "port 8443 and BARKEEP_HTTPS=1" in text
    # a party with its own data directory is told the exact commands for it
    own = SimpleNamespace(site=site, certificates=certs, data_dir=tmp_path)
    assert f"BARKEEP_DEV_DIR={tmp_path} make backup" in "\n".join(party_lines(own))  # type: ignore[arg-type]
    plain_stack = SimpleNamespace(
        site=replace(site, https=False), certificates=None, data_dir=DEFAULT_DATA_DIR
    )
    plain = "\n".join(party_lines(plain_stack))  # type: ignore[arg-type]
    assert "BARKEEP_HTTPS=0" in plain and "notifications, offline and installing do not" in plain


def test_the_page_shown_before_the_web_app_is_built_never_shows_the_party_password() -> None:
    from devstack.gateway import not_built_page

    assert STRONG not in not_built_page(_party_site())
    assert STRONG in not_built_page(replace(_party_site(), host="localhost", https=False))
