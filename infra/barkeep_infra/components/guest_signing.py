"""The guest-token signing keys' secret, and where verifiers find the public keys.

Pulumi creates the secret and never its value: identity writes the first key set itself and
rotates it (`make rotate-keys STAGE=…`), so no private key is ever in Pulumi's state. Identity
publishes the public JWKS to the images bucket; every verifier (the services and the channel
authorizer) reads it through the images CDN, so no service stack depends on identity's
(ADR 0019).
"""

from __future__ import annotations

import pulumi
from barkeep.settings import GUEST_JWKS_KEY

from barkeep_infra.components.base import Component
from barkeep_infra.naming import Naming


class GuestSigning(Component):
    def __init__(
        self,
        name: str,
        naming: Naming,
        images_base_url: pulumi.Input[str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("GuestSigning", name, naming, opts)
        self.secret = self.service_written_secret(
            "signing-keys", "Barkeep guest-token signing keys (RS256); written by identity only"
        )
        self.secret_name: pulumi.Output[str] = self.secret.name
        self.secret_arn: pulumi.Output[str] = self.secret.arn
        # `iss` of every guest token: a name, not a URL anyone fetches
        self.issuer = f"barkeep-{naming.stage}-identity"
        self.jwks_url: pulumi.Output[str] = pulumi.Output.from_input(images_base_url).apply(
            lambda base: f"{base.rstrip('/')}/{GUEST_JWKS_KEY}"
        )
        self.register_outputs(
            {"secret_arn": self.secret_arn, "issuer": self.issuer, "jwks_url": self.jwks_url}
        )
