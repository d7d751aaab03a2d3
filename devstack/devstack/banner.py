"""What `make dev` prints once everything is up."""

from __future__ import annotations

from .config import DEFAULT_DATA_DIR, PARTY_LOG, DevEnv
from .stack import RunningStack


def printable_database_url(url: str) -> str:
    """The URL with any password masked (the embedded server has none)."""
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    try:
        params = conninfo_to_dict(url)
    except Exception:
        return "(unparseable DATABASE_URL)"
    if not params.get("password"):
        return url
    params["password"] = "***"  # noqa: S105 - masking, not a password
    return make_conninfo("", **params)


def banner(stack: RunningStack) -> str:
    base = stack.base_url
    site = stack.site
    width = max(len(name) for name in site.service_names())
    apis = [
        f"    {name:<{width}}  {site.api_url(name)}"
        + ("" if name in stack.services else "   (not built yet)")
        for name in site.service_names()
    ]
    web = (
        ""
        if (site.web_dist / "index.html").is_file()
        else ("  (the web app is not built yet: these pages show the API URLs and credentials)\n")
    )
    return "\n".join(
        [
            "",
            "Barkeep local stack",
            f"  Guest app        {base}/",
            f"  Admin            {base}/admin",
            f"  Kitchen display  {base}/admin/orders",
            f"  Pickup board     {base}/admin/board",
            web + f"  config.json      {base}/config.json",
            "  APIs",
            *apis,
            *(
                [f"  Invite link      {stack.invite_url}  (kept across restarts)"]
                if stack.invite_url
                else []
            ),
            f"  Admin sign-in    {stack.aws.admin_email} / "
            + (
                "(your BARKEEP_ADMIN_PASSWORD)"
                if site.host != "localhost"
                else stack.aws.admin_password
            ),
            f"                   (override with {DevEnv.ADMIN_EMAIL} / {DevEnv.ADMIN_PASSWORD})",
            f"  AWS (moto)       {stack.aws.endpoint}",
            f"  Database         {printable_database_url(stack.database_url)}",
            f"  Data             {stack.data_dir}",
            *(party_lines(stack) if site.host != "localhost" else []),
            "",
            f"Ready on {base}/ (Ctrl-C to stop)",
        ]
    )


def party_lines(stack: RunningStack) -> list[str]:
    """`make party`: how phones get in, and how to keep the night's data (ADR 0035)."""
    site = stack.site
    plain = f"http://{site.host}:{site.port}/"
    secure = (
        [
            "  Phones           HTTPS with this party's own certificate. Once per phone, open",
            f"                   {plain}  (plain HTTP) and install the certificate",
            "                   as it says (Android: Settings > Security > Install a CA",
            "                   certificate; iPhone: Safari, then Settings > Profile Downloaded,",
            "                   then General > About > Certificate Trust Settings).",
            "                   Without it, accept the browser's warning: ordering works,",
            "                   notifications and offline do not.",
            f"  CA certificate   {stack.certificates.ca_cert}" if stack.certificates else "",
        ]
        if site.https
        else [
            "  Phones           plain HTTP (BARKEEP_HTTPS=0): joining, the menu, ordering and",
            "                   live status work; notifications, offline and installing do not.",
        ]
    )
    # the exact commands for this data: a new shell has no BARKEEP_DEV_DIR
    own_dir = "" if stack.data_dir == DEFAULT_DATA_DIR else f"{DevEnv.DEV_DIR}={stack.data_dir} "
    mode = f"{DevEnv.HTTPS}={'1' if site.https else '0'}"
    return [
        "",
        f"Party mode: serving the local network on {site.host} (every guest on this Wi-Fi can",
        "open it; the QR codes at /admin/codes name this address)",
        *[line for line in secure if line],
        f"  Log              {stack.data_dir / PARTY_LOG}  (a line per request; warnings",
        "                   and errors show here too)",
        f"  All night        keep this address, port {site.port} and {mode}: printed QR codes",
        "                   and guests' sign-ins name them, and break if they change",
        "  Keep the night   the data survives restarts; to save it, stop (Ctrl-C) and run",
        f"                     {own_dir}make backup      (a .tar.gz in this checkout)",
        "                   to bring it back later:",
        f"                     {own_dir}make restore FILE=barkeep-backup-<date>.tar.gz",
    ]
