"""Every deployed artifact, kept per commit (`<service>/<commit>/deployment.zip` and its
manifest), so `make rollback SERVICE=… TO=<commit>` redeploys one without rebuilding it."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from barkeep_infra.components.base import Component
from barkeep_infra.components.buckets import locked_bucket
from barkeep_infra.naming import Naming

KEEP_DAYS = 180


class ArtifactStore(Component):
    def __init__(
        self,
        name: str,
        naming: Naming,
        account_id: pulumi.Input[str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("ArtifactStore", name, naming, opts)
        self.bucket, _ = locked_bucket(
            self,
            pulumi.Output.from_input(account_id).apply(
                lambda account: naming.name(f"artifacts-{account}")
            ),
            protect=False,  # what it holds can be rebuilt from the commits
        )
        aws.s3.BucketLifecycleConfiguration(
            self.child_name("expiry"),
            bucket=self.bucket.id,
            rules=[
                {
                    "id": "old-artifacts",
                    "status": "Enabled",
                    "filter": {},
                    "expiration": {"days": KEEP_DAYS},
                }
            ],
            opts=self.child(),
        )
        self.bucket_name: pulumi.Output[str] = self.bucket.bucket
        self.register_outputs({"bucket": self.bucket_name})
