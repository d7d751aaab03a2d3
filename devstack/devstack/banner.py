"""What `make dev` prints once everything is up."""

from __future__ import annotations

from .config import DevEnv
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
                [f"  Invite link      {stack.invite_url}  (50 guests, 24 h)"]
                if stack.invite_url
                else []
            ),
            f"  Admin sign-in    {stack.aws.admin_email} / {stack.aws.admin_password}",
            f"                   (override with {DevEnv.ADMIN_EMAIL} / {DevEnv.ADMIN_PASSWORD})",
            f"  AWS (moto)       {stack.aws.endpoint}",
            f"  Database         {printable_database_url(stack.database_url)}",
            f"  Data             {stack.data_dir}",
            "",
            f"Ready on {base}/ (Ctrl-C to stop)",
        ]
    )
