from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

from barkeep.local import LocalApi

from tests.conftest import drink_event


def test_backfill_rebuilds_the_read_model_from_the_public_menu(
    api: LocalApi, guest: dict[str, str]
) -> None:
    from chalicelib.backfill import backfill

    drinks = [
        drink_event(name, tags, ingr)["detail"]["data"]
        for name, tags, ingr in (
            ("Gimlet", ["sour", "classic"], ["Gin", "Lime cordial"]),
            ("Americano", ["bitter", "light"], ["Campari", "Sweet vermouth", "Soda water"]),
        )
    ]

    class Menu(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = json.dumps({"drinks": drinks}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Menu)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        assert backfill(f"http://127.0.0.1:{server.server_port}") == 2
    finally:
        server.shutdown()
    recs = api.post(
        "/recommendations", token=guest["token"], json_body={"preferences": "bitter and light"}
    ).json()["recommendations"]
    assert recs[0]["name"] == "Americano"
