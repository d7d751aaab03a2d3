"""A verifier's copy of identity's revocation list (ADR 0028): fresh within seconds, read by
one caller at a time, and an outage of the list never signs anyone out."""

from __future__ import annotations

import threading
from typing import Any

from barkeep.auth import NotPublished, RevocationList

ADA = "9b2f7c1e-5a4d-4e8f-9c3b-1d2e3f4a5b6c"


class Served:
    """What the bucket answers, and who asked when."""

    def __init__(self) -> None:
        self.document: dict[str, Any] | Exception = {"revoked": []}
        self.reads = 0

    def __call__(self, url: str) -> dict[str, Any]:
        self.reads += 1
        if isinstance(self.document, Exception):
            raise self.document
        return self.document


def test_a_revocation_is_seen_once_the_copy_is_max_age_old() -> None:
    served, now = Served(), [0.0]
    revocations = RevocationList("https://x/r.json", fetch=served, max_age=2, clock=lambda: now[0])
    assert not revocations.revoked(ADA)
    served.document = {"revoked": [ADA]}
    now[0] = 1.9
    assert not revocations.revoked(ADA) and served.reads == 1  # no I/O per call
    now[0] = 2.0
    assert revocations.revoked(ADA) and served.reads == 2


def test_no_list_yet_is_an_empty_list() -> None:
    served = Served()
    served.document = NotPublished("https://x/r.json")
    assert not RevocationList("https://x/r.json", fetch=served).revoked(ADA)


def test_an_unreadable_or_malformed_list_keeps_the_last_one() -> None:
    served, now = Served(), [0.0]
    served.document = {"revoked": [ADA]}
    revocations = RevocationList("https://x/r.json", fetch=served, max_age=2, clock=lambda: now[0])
    assert revocations.revoked(ADA)
    for broken in (OSError("CloudFront blip"), {"revoked": "everyone"}, {"keys": []}):
        served.document = broken
        now[0] += 2
        assert revocations.revoked(ADA), broken
    assert served.reads == 4


def test_while_one_caller_reads_the_list_the_others_go_on_with_theirs() -> None:
    now = [0.0]
    reading, release = threading.Event(), threading.Event()
    reads = []

    def slow(url: str) -> dict[str, Any]:
        reads.append(url)
        if len(reads) == 2:
            reading.set()
            release.wait(5)
        return {"revoked": [ADA]}

    revocations = RevocationList("https://x/r.json", fetch=slow, max_age=2, clock=lambda: now[0])
    assert revocations.revoked(ADA)
    now[0] = 5
    reader = threading.Thread(target=revocations.revoked, args=(ADA,))
    reader.start()
    assert reading.wait(5)
    assert revocations.revoked(ADA) and len(reads) == 2  # answered at once, from its copy
    release.set()
    reader.join(5)
