"""Run every benchmark, print a summary, and write bench/results/bench.json and bench.png."""

from __future__ import annotations

import json
import platform
import sys
import time
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"


def _chart(results: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 5, figsize=(26, 4))
    h = results["menu_get_drinks"]
    labels = ["p50", "p90", "p99"]
    x = range(len(labels))
    axes[0].bar(
        [i - 0.2 for i in x],
        [h["handler"][f"{k}_ms"] for k in labels],
        0.4,
        label="in-process handler",
    )
    axes[0].bar(
        [i + 0.2 for i in x], [h["raw_sql"][f"{k}_ms"] for k in labels], 0.4, label="raw psycopg"
    )
    axes[0].set_xticks(list(x), labels)
    axes[0].set_ylabel("ms")
    axes[0].set_title(f"GET /drinks ({h['drinks_on_menu']} drinks), p50 ratio {h['ratio_p50']}")
    axes[0].legend()
    c = results["menu_cold_import"]
    axes[1].bar(
        ["menu app.py", "eager heavy imports", "bare python"],
        [c["app_import_median_ms"], c["eager_import_median_ms"], c["bare_interpreter_median_ms"]],
        color=["tab:green", "tab:red", "tab:gray"],
    )
    axes[1].set_ylabel("ms (median)")
    axes[1].set_title(f"cold import, ratio {c['ratio']}")
    party = [
        ("POST /register", results["identity_register"]),
        ("POST /orders", results["orders_post"]),
        ("PATCH -> frame", results["realtime_end_to_end"]),
    ]
    x3 = range(len(party))
    axes[2].bar([i - 0.2 for i in x3], [p["p50_ms"] for _, p in party], 0.4, label="p50")
    axes[2].bar([i + 0.2 for i in x3], [p["p99_ms"] for _, p in party], 0.4, label="p99")
    axes[2].axhline(100, color="red", linestyle="--", linewidth=1, label="100 ms target")
    axes[2].set_xticks(list(x3), [name for name, _ in party])
    axes[2].set_ylabel("ms")
    lost = results["realtime_delivery"]["lost"]
    axes[2].set_title(f"the party: 200 guests on WebSocket, lost {lost}")
    axes[2].legend()
    cold = results["lambda_packages"]["cold_start"]
    names = list(cold)
    x4 = range(len(names))
    axes[3].bar(
        [i - 0.2 for i in x4],
        [cold[n]["packaged_median_ms"] for n in names],
        0.4,
        label="packaged handler",
        color="tab:green",
    )
    axes[3].bar(
        [i + 0.2 for i in x4],
        [cold[n]["eager_pattern_median_ms"] for n in names],
        0.4,
        label="eager imports (seeds)",
        color="tab:red",
    )
    axes[3].set_xticks(list(x4), names)
    axes[3].set_ylabel("ms (median)")
    axes[3].set_title("Lambda cold start: python3.13 -> first GET /openapi.json")
    axes[3].legend()
    side = results["seeds_side_by_side"]
    endpoints = [("GET /drinks", side["get_drinks"]), ("POST /orders", side["post_orders"])]
    x5 = range(len(endpoints))
    for offset, who, color in ((-0.2, "ours", "tab:green"), (0.2, "seeds", "tab:red")):
        axes[4].bar(
            [i + offset for i in x5],
            [e[who]["requests_per_s"] for _, e in endpoints],
            0.4,
            label=f"{who} (p99 ms: {', '.join(str(e[who]['p99_ms']) for _, e in endpoints)})",
            color=color,
        )
    axes[4].set_xticks(list(x5), [name for name, _ in endpoints])
    axes[4].set_ylabel("requests/s")
    axes[4].set_title(f"{side['threads']} threads: ours vs the seeds' per-request pattern")
    axes[4].legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main() -> int:
    root = Path(__file__).resolve().parents[1]
    sys.path.insert(0, str(root))
    from bench import (
        ai_bench,
        identity_bench,
        input_bench,
        menu_bench,
        orders_bench,
        package_bench,
        party_bench,
        seeds_bench,
        web_bench,
    )

    RESULTS.mkdir(parents=True, exist_ok=True)
    started = time.time()
    results: dict[str, Any] = {
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
        "menu_cold_import": menu_bench.bench_cold_import(),
        "menu_get_drinks": menu_bench.bench_handler_vs_raw(),
        "lambda_packages": package_bench.bench_packages(),
        "guest_token_verification": identity_bench.bench_guest_token_verification(),
        "identity_register": identity_bench.bench_register_over_http(),
        "seeds_side_by_side": seeds_bench.bench_seeds(),
        "publish_order": party_bench.bench_publish_order(),
        **orders_bench.bench_party(),
        **ai_bench.bench_ai(),
        **web_bench.bench_web(),
        "gateway_upload_memory": input_bench.bench_upload_memory(),
    }
    # the whole party, with its timeline, goes to its own party.json and party.png
    party = party_bench.bench_party_under_load()
    party_bench.write(party, RESULTS)
    results["party_under_load"] = {k: v for k, v in party.items() if k != "timeline"}
    results["seconds"] = round(time.time() - started, 1)
    (RESULTS / "bench.json").write_text(json.dumps(results, indent=2))
    _chart(results, RESULTS / "bench.png")
    h, c = results["menu_get_drinks"], results["menu_cold_import"]
    print(json.dumps(results, indent=2))
    print(
        f"\nGET /drinks p50: handler {h['handler']['p50_ms']} ms vs raw {h['raw_sql']['p50_ms']}"
        f" ms -> ratio {h['ratio_p50']} (target <= 2.0); vs its own document SQL raw"
        f" {h['raw_document_sql']['p50_ms']} ms -> {h['ratio_p50_vs_document_sql']}"
    )
    print(
        f"cold import: app {c['app_import_median_ms']} ms vs eager {c['eager_import_median_ms']}"
        f" ms -> ratio {c['ratio']} (target <= 0.4)"
    )
    for service, cold in results["lambda_packages"]["cold_start"].items():
        size = results["lambda_packages"]["sizes"][f"{service}/arm64"]
        print(
            f"lambda {service}: cold start {cold['packaged_median_ms']} ms vs eager"
            f" {cold['eager_pattern_median_ms']} ms -> ratio {cold['ratio']} (target <= 0.5);"
            f" arm64 zip {size['zipped_mb']} MB, {size['unpacked_mb']} MB unpacked"
        )
    v, r = results["guest_token_verification"], results["identity_register"]
    print(
        f"guest token verification: p50 {v['p50_ms']} ms, p99 {v['p99_ms']} ms (target p50 <= 0.3)"
    )
    print(f"POST /register via gateway: p50 {r['p50_ms']} ms, p99 {r['p99_ms']} ms (n={r['n']})")
    o, d = results["orders_post"], results["realtime_delivery"]
    print(f"POST /orders via gateway: p50 {o['p50_ms']} ms, p99 {o['p99_ms']} ms (n={o['n']})")
    print(
        f"realtime delivery, 200 subscribed: p50 {d['p50_ms']} ms, p99 {d['p99_ms']} ms,"
        f" lost {d['lost']} (target p99 <= 100 ms, lost 0)"
    )
    e = results["realtime_end_to_end"]
    print(f"realtime end to end (PATCH sent -> frame): p50 {e['p50_ms']} ms, p99 {e['p99_ms']} ms")
    side = results["seeds_side_by_side"]
    for label, key in (("GET /drinks", "get_drinks"), ("POST /orders", "post_orders")):
        m = side[key]
        print(
            f"{label}, {side['threads']} threads, ours vs seeds' pattern:"
            f" {m['ours']['requests_per_s']} vs {m['seeds']['requests_per_s']} req/s"
            f" (x{m['ratio_throughput']}), p99 {m['ours']['p99_ms']} vs {m['seeds']['p99_ms']} ms"
            f" (x{m['ratio_p99']})"
        )
    a, q = results["ai_recommendations"], results["ai_queue_to_prompt"]
    print(f"recommendations (offline, 200 drinks): p50 {a['p50_ms']} ms, p99 {a['p99_ms']} ms")
    t = results["ai_chat_turn"]
    print(f"chat turn (offline, 200 drinks): p50 {t['p50_ms']} ms, p99 {t['p99_ms']} ms")
    print(f"queue to prompt: p50 {q['p50_ms']} ms, p99 {q['p99_ms']} ms (n={q['n']})")
    if "web_ready_on_screen" in results:
        b, load = results["web_bundle"], results["web_cold_load"]
        f, s = results["web_ready_frame"], results["web_ready_on_screen"]
        print(
            f"web: guest bundle {b['guest_entry_gzip_kb']} KB gzip (admin chunk"
            f" {b['admin_chunk_gzip_kb']} KB); cold load on a phone p50 {load['p50_ms']} ms"
        )
        print(
            f"ready, PATCH sent -> raw frame p50 {f['p50_ms']} / p99 {f['p99_ms']} ms vs on the"
            f" guest's screen p50 {s['p50_ms']} / p99 {s['p99_ms']} ms (n={s['n']})"
        )
    else:
        print(f"web: skipped ({results.get('web_skipped')})")
    for line in party_bench.summary(party, results["publish_order"]):
        print(line)
    for line in input_bench.summary(results["gateway_upload_memory"]):
        print(line)
    print(f"written: {RESULTS / 'bench.json'}, {RESULTS / 'bench.png'}, party.json, party.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
