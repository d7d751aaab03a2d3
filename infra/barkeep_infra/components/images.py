"""Drink photos (and the public guest JWKS): a private, encrypted bucket that only CloudFront
reads (origin access control), and that browsers may POST to only from the web origin."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws
from barkeep.settings import images_bucket_name

from barkeep_infra.components.base import Component
from barkeep_infra.components.buckets import (
    CACHING_DISABLED,
    CACHING_OPTIMIZED,
    private_bucket,
    readable_by,
)
from barkeep_infra.naming import Naming


class Images(Component):
    def __init__(
        self,
        name: str,
        naming: Naming,
        web_origin: pulumi.Input[str],
        account_id: pulumi.Input[str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("Images", name, naming, opts)
        self.private = private_bucket(
            self,
            "images",
            pulumi.Output.from_input(account_id).apply(
                lambda account: images_bucket_name(naming.stage, account)
            ),
            protect=naming.protected,
        )
        self.bucket = self.private.bucket
        aws.s3.BucketCorsConfiguration(
            self.child_name("cors"),
            bucket=self.bucket.id,
            cors_rules=[
                {
                    # the bartender's browser uploads through menu's presigned POST
                    "allowed_methods": ["POST"],
                    "allowed_origins": [web_origin],
                    "allowed_headers": ["*"],
                    "max_age_seconds": 3600,
                }
            ],
            opts=self.child(),
        )
        # photos never change under their key (CachingOptimized); the guest JWKS must be seen
        # at once after a rotation (CachingDisabled, ADR 0019)
        self.distribution = aws.cloudfront.Distribution(
            self.child_name("cdn"),
            enabled=True,
            comment=f"{naming.prefix} images",
            price_class="PriceClass_100",
            http_version="http2and3",
            origins=[self.private.origin("images")],
            default_cache_behavior={
                "target_origin_id": "images",
                "viewer_protocol_policy": "redirect-to-https",
                "allowed_methods": ["GET", "HEAD"],
                "cached_methods": ["GET", "HEAD"],
                "cache_policy_id": CACHING_OPTIMIZED,
                "compress": True,
            },
            ordered_cache_behaviors=[
                {
                    "path_pattern": ".well-known/*",
                    "target_origin_id": "images",
                    "viewer_protocol_policy": "https-only",
                    "allowed_methods": ["GET", "HEAD"],
                    "cached_methods": ["GET", "HEAD"],
                    "cache_policy_id": CACHING_DISABLED,
                    "compress": True,
                }
            ],
            restrictions={"geo_restriction": {"restriction_type": "none"}},
            viewer_certificate={"cloudfront_default_certificate": True},
            tags=self.tags,
            opts=self.child(),
        )
        readable_by(self, self.private, self.distribution)
        self.bucket_name: pulumi.Output[str] = self.bucket.bucket
        self.bucket_arn: pulumi.Output[str] = self.bucket.arn
        self.base_url: pulumi.Output[str] = pulumi.Output.concat(
            "https://", self.distribution.domain_name
        )
        self.register_outputs(
            {"bucket": self.bucket_name, "arn": self.bucket_arn, "base_url": self.base_url}
        )
