"""What every component shares: the type token's namespace, child options, tags."""

from __future__ import annotations

from collections.abc import Sequence

import pulumi
import pulumi_aws as aws

from barkeep_infra import iam
from barkeep_infra.naming import Naming


class Component(pulumi.ComponentResource):
    """A Barkeep component: `barkeep:<stack kind>:<Capability>`, children parented to it."""

    KIND = "platform"

    def __init__(
        self, capability: str, name: str, naming: Naming, opts: pulumi.ResourceOptions | None
    ) -> None:
        super().__init__(f"barkeep:{self.KIND}:{capability}", name, None, opts)
        self.naming = naming
        self._name = name

    def child(self, *, protect: bool = False, **extra: object) -> pulumi.ResourceOptions:
        """Options for a child: parented to this component (and protected where asked)."""
        return pulumi.ResourceOptions(parent=self, protect=protect, **extra)  # type: ignore[arg-type]

    def child_name(self, suffix: str) -> str:
        return f"{self._name}-{suffix}"

    @property
    def tags(self) -> dict[str, str]:
        return self.naming.tags

    def service_written_secret(self, thing: str, description: str) -> aws.secretsmanager.Secret:
        """A secret created without a value: the service that owns it writes the first one, so
        no key is ever in Pulumi's state (the signing keys, the push keys)."""
        return aws.secretsmanager.Secret(
            self.child_name("keys"),
            name=self.naming.name(thing),
            description=description,
            recovery_window_in_days=7 if self.naming.protected else 0,
            tags=self.tags,
            opts=self.child(protect=self.naming.protected),
        )

    def iam_role(
        self,
        thing: str,
        principal: str,
        statements: Sequence[iam.Statement],
        *,
        opts: pulumi.ResourceOptions | None = None,
    ) -> tuple[aws.iam.Role, aws.iam.RolePolicy]:
        """A role `principal` may assume, holding exactly `statements` (named by `thing`)."""
        role = aws.iam.Role(
            self.child_name(f"{thing}-role"),
            name=self.naming.name(thing),
            assume_role_policy=iam.assume_role_policy(principal),
            tags=self.tags,
            opts=opts or self.child(),
        )
        policy = aws.iam.RolePolicy(
            self.child_name(f"{thing}-policy"),
            name=self.naming.name(thing),
            role=role.id,
            policy=iam.document(statements),
            opts=opts or self.child(),
        )
        return role, policy
