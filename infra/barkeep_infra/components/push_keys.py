"""The stage's Web Push (VAPID) key pair's secret (ADR 0036).

As with the guest-token signing keys, Pulumi creates the secret and never its value: orders
writes the first key pair itself on first use, so no private key is ever in Pulumi's state.
One pair per stage, kept: every browser subscribed with its public half, so replacing it
means every guest's phone subscribes again (the app does, the next time it opens).
"""

from __future__ import annotations

import pulumi

from barkeep_infra.components.base import Component
from barkeep_infra.naming import Naming


class PushKeys(Component):
    def __init__(
        self, name: str, naming: Naming, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("PushKeys", name, naming, opts)
        self.secret = self.service_written_secret(
            "push-keys", "Barkeep Web Push VAPID key pair (P-256); written by orders only"
        )
        self.secret_name: pulumi.Output[str] = self.secret.name
        self.secret_arn: pulumi.Output[str] = self.secret.arn
        self.register_outputs({"secret_arn": self.secret_arn})
