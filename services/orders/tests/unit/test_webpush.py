"""Web Push's protocol part against the RFCs: RFC 8291's worked example byte for byte, a
VAPID token a push service would accept (RFC 8292), and which endpoints a guest may name."""

from __future__ import annotations

import json

import jwt
import pytest
from chalicelib import webpush
from chalicelib.domain import (
    Order,
    Status,
    endpoint_problem,
    pings_guest,
    ready_message,
    subscription_id,
)
from cryptography.hazmat.primitives.asymmetric import ec

from tests.pushing import decrypt

# RFC 8291, Appendix A
PLAINTEXT = b"When I grow up, I want to be a watermelon"
AS_PRIVATE = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw"
AS_PUBLIC = (
    "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8"
)
UA_PRIVATE = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94"
UA_PUBLIC = (
    "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4"
)
AUTH = "BTBZMqHH6r4Tts7J_aSIgg"
SALT = "DGv6ra1nlYgDCS1FRnbzlw"
BODY = (
    "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS"
    "6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qu"
    "lcy4a-fN"
)


def _private(d: str) -> ec.EllipticCurvePrivateKey:
    return ec.derive_private_key(int.from_bytes(webpush.unb64url(d), "big"), ec.SECP256R1())


def test_encrypts_rfc_8291_example_byte_for_byte() -> None:
    # Given the example's sender key and salt
    sender = _private(AS_PRIVATE)
    assert webpush.b64url(webpush.public_point(sender.public_key())) == AS_PUBLIC
    # When the example's message is encrypted for its browser
    body = webpush.encrypt(
        PLAINTEXT,
        webpush.unb64url(UA_PUBLIC),
        webpush.unb64url(AUTH),
        sender=sender,
        salt=webpush.unb64url(SALT),
    )
    # Then it is the RFC's body, header and ciphertext alike
    assert webpush.b64url(body) == BODY


def test_a_browser_reads_a_fresh_message() -> None:
    # Given a browser's keys, as pushManager.subscribe makes them
    browser = ec.generate_private_key(ec.SECP256R1())
    auth = b"0123456789abcdef"
    p256dh = webpush.public_point(browser.public_key())
    # When two messages are encrypted for it
    first = webpush.encrypt(b'{"hello":1}', p256dh, auth)
    second = webpush.encrypt(b'{"hello":1}', p256dh, auth)
    # Then each is new (its own key and salt) and both decrypt to the message
    assert first[:16] != second[:16]
    assert decrypt(first, browser, auth) == decrypt(second, browser, auth) == b'{"hello":1}'
    assert (
        decrypt(webpush.unb64url(BODY), _private(UA_PRIVATE), webpush.unb64url(AUTH)) == PLAINTEXT
    )


def test_refuses_keys_that_are_not_a_browsers() -> None:
    with pytest.raises(ValueError):
        webpush.encrypt(b"x", b"\x04" + b"\x00" * 64, b"0123456789abcdef")  # not on the curve
    with pytest.raises(ValueError):
        webpush.encrypt(b"x", webpush.unb64url(UA_PUBLIC), b"short")
    with pytest.raises(ValueError):
        webpush.encrypt(b"x" * 4096, webpush.unb64url(UA_PUBLIC), webpush.unb64url(AUTH))
    with pytest.raises(ValueError):
        webpush.unb64url("not base64!")


def test_vapid_header_is_an_es256_token_for_the_endpoints_origin() -> None:
    # Given the stage's key pair
    key = webpush.VapidKey.generate()
    # When a message to FCM is signed
    header = key.authorization(
        "https://fcm.googleapis.com/fcm/send/abc:def", "https://bar.example", now=1_000_000
    )
    # Then it is "vapid t=<jwt>, k=<public key>", the token verified by that public key
    assert header.startswith("vapid t=")
    token, k = header.removeprefix("vapid t=").split(", k=")
    assert k == key.public_key and len(webpush.unb64url(k)) == 65
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), webpush.unb64url(k))
    claims = jwt.decode(
        token,
        public,
        algorithms=["ES256"],
        audience="https://fcm.googleapis.com",
        options={"verify_exp": False},
    )
    assert claims == {
        "aud": "https://fcm.googleapis.com",
        "exp": 1_000_000 + 12 * 3600,
        "sub": "https://bar.example",
    }
    assert jwt.get_unverified_header(token) == {"typ": "JWT", "alg": "ES256"}
    # and a token signed by another key does not verify
    other = webpush.VapidKey.generate().private.public_key()
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(
            token, other, algorithms=["ES256"], options={"verify_aud": False, "verify_exp": False}
        )


def test_a_key_survives_its_pem() -> None:
    key = webpush.VapidKey.generate()
    assert webpush.VapidKey.from_pem(key.to_pem()).public_key == key.public_key


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://fcm.googleapis.com/fcm/send/abc",
        "https://updates.push.services.mozilla.com/wpush/v2/gAAA",
        "https://web.push.apple.com/QO2PUyNL",
        "https://wns2-par02p.notify.windows.com/w/?token=x",
    ],
)
def test_accepts_the_browsers_push_services(endpoint: str) -> None:
    assert endpoint_problem(endpoint) is None


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://fcm.googleapis.com/fcm/send/abc",  # not https
        "https://169.254.169.254/latest",  # somewhere of the guest's choosing
        "https://evilgoogleapis.com/x",
        "https://user:pw@fcm.googleapis.com/x",
        "https://fcm.googleapis.com:bad/x",
        "fcm.googleapis.com/x",
        "https://fcm.googleapis.com/" + "a" * 2000,
        # where URL parsers disagree: urllib3, which sends, reads the host as 127.0.0.1
        "https://127.0.0.1\\.fcm.googleapis.com/x",
        "https://169.254.169.254\\@fcm.googleapis.com/x",
        "https://fcm.googleapis.com/x\x00",
        "https://fcm.googleapis.com/x y",
        "https://fcm.googleapis.com\t/x",
        "https://fcm.googleapis.com/ü",
        # Google hosts that serve anyone's content, and another port of a push service
        "https://script.google.com/macros/s/x/exec",
        "https://storage.googleapis.com/bucket/x",
        "https://fcm.googleapis.com:8443/x",
    ],
)
def test_refuses_other_endpoints(endpoint: str) -> None:
    assert endpoint_problem(endpoint) is not None


def test_a_listed_host_may_be_plain_http() -> None:
    assert endpoint_problem("http://127.0.0.1:9/push/1", ("127.0.0.1",)) is None
    assert endpoint_problem("http://127.0.0.1:9/push/1") is not None


def test_one_id_per_endpoint() -> None:
    assert subscription_id("https://a/1") == subscription_id("https://a/1")
    assert subscription_id("https://a/1") != subscription_id("https://a/2")


def _order(status: Status) -> Order:
    from datetime import UTC, datetime

    now = datetime(2026, 12, 2, 21, tzinfo=UTC)
    return Order("7d3c", "k", "Ada", "d", "Mojito", 2, "", status, now, now, number=41)


def test_only_a_move_into_ready_pings() -> None:
    assert pings_guest(_order(Status.PREPARING), _order(Status.READY))
    assert pings_guest(_order(Status.SERVED), _order(Status.READY))  # recalled: ready again
    assert not pings_guest(_order(Status.READY), _order(Status.SERVED))
    assert not pings_guest(_order(Status.PENDING), _order(Status.PREPARING))


def test_the_message_carries_the_order_not_words() -> None:
    message = ready_message(_order(Status.READY))
    assert message == {
        "type": "ORDER_READY",
        "order": {"id": "7d3c", "number": 41, "drink_name": "Mojito", "quantity": 2},
    }
    assert len(json.dumps(message)) < 3000
