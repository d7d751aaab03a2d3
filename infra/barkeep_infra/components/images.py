"""Drink photos (and the public guest JWKS): a private, encrypted bucket that only CloudFront
reads (origin access control), and that browsers may POST to only from the web origin."""

from __future__ import annotations

import json

import pulumi
import pulumi_aws as aws
from barkeep.settings import images_bucket_name

from barkeep_infra.components.base import Component
from barkeep_infra.naming import Naming

# AWS's managed cache policies: "CachingOptimized" (photos never change under their key) and
# "CachingDisabled" (the guest JWKS: verifiers must see a rotated key at once, ADR 0019).
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"


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
        self.bucket = aws.s3.Bucket(
            self.child_name("bucket"),
            bucket=pulumi.Output.from_input(account_id).apply(
                lambda account: images_bucket_name(naming.stage, account)
            ),
            force_destroy=not naming.protected,
            tags=self.tags,
            opts=self.child(protect=naming.protected),
        )
        aws.s3.BucketOwnershipControls(
            self.child_name("ownership"),
            bucket=self.bucket.id,
            rule={"object_ownership": "BucketOwnerEnforced"},
            opts=self.child(),
        )
        self.public_access_block = aws.s3.BucketPublicAccessBlock(
            self.child_name("private"),
            bucket=self.bucket.id,
            block_public_acls=True,
            block_public_policy=True,
            ignore_public_acls=True,
            restrict_public_buckets=True,
            opts=self.child(),
        )
        aws.s3.BucketServerSideEncryptionConfiguration(
            self.child_name("encryption"),
            bucket=self.bucket.id,
            rules=[{"apply_server_side_encryption_by_default": {"sse_algorithm": "AES256"}}],
            opts=self.child(),
        )
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
        access = aws.cloudfront.OriginAccessControl(
            self.child_name("oac"),
            name=naming.name("images"),
            origin_access_control_origin_type="s3",
            signing_behavior="always",
            signing_protocol="sigv4",
            opts=self.child(),
        )
        self.distribution = aws.cloudfront.Distribution(
            self.child_name("cdn"),
            enabled=True,
            comment=f"{naming.prefix} images",
            price_class="PriceClass_100",
            http_version="http2and3",
            origins=[
                {
                    "origin_id": "images",
                    "domain_name": self.bucket.bucket_regional_domain_name,
                    "origin_access_control_id": access.id,
                }
            ],
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
        aws.s3.BucketPolicy(
            self.child_name("policy"),
            bucket=self.bucket.id,
            policy=pulumi.Output.all(self.bucket.arn, self.distribution.arn).apply(
                lambda args: json.dumps(
                    {
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Sid": "CloudFrontReads",
                                "Effect": "Allow",
                                "Principal": {"Service": "cloudfront.amazonaws.com"},
                                "Action": "s3:GetObject",
                                "Resource": f"{args[0]}/*",
                                "Condition": {"StringEquals": {"AWS:SourceArn": args[1]}},
                            }
                        ],
                    }
                )
            ),
            opts=self.child(depends_on=[self.public_access_block]),
        )
        self.bucket_name: pulumi.Output[str] = self.bucket.bucket
        self.bucket_arn: pulumi.Output[str] = self.bucket.arn
        self.base_url: pulumi.Output[str] = pulumi.Output.concat(
            "https://", self.distribution.domain_name
        )
        self.register_outputs(
            {"bucket": self.bucket_name, "arn": self.bucket_arn, "base_url": self.base_url}
        )
