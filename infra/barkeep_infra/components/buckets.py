"""A private, encrypted bucket that only one CloudFront distribution reads (origin access
control): the images and the web app are both served this way."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from barkeep_infra.components.base import Component

# AWS's managed CloudFront policies, by id.
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
ALL_VIEWER_EXCEPT_HOST_HEADER = "b689b0a8-53d0-40ab-baf2-68738e2966ac"


@dataclass(frozen=True)
class PrivateBucket:
    bucket: aws.s3.Bucket
    access_control: aws.cloudfront.OriginAccessControl
    public_access_block: aws.s3.BucketPublicAccessBlock

    def origin(self, origin_id: str) -> aws.cloudfront.DistributionOriginArgsDict:
        return {
            "origin_id": origin_id,
            "domain_name": self.bucket.bucket_regional_domain_name,
            "origin_access_control_id": self.access_control.id,
        }


def locked_bucket(
    component: Component, bucket_name: pulumi.Input[str], *, protect: bool
) -> tuple[aws.s3.Bucket, aws.s3.BucketPublicAccessBlock]:
    """A bucket nobody outside the account reads: owner-enforced, all public access blocked,
    encrypted at rest."""
    bucket = aws.s3.Bucket(
        component.child_name("bucket"),
        bucket=bucket_name,
        force_destroy=not protect,
        tags=component.tags,
        opts=component.child(protect=protect),
    )
    aws.s3.BucketOwnershipControls(
        component.child_name("ownership"),
        bucket=bucket.id,
        rule={"object_ownership": "BucketOwnerEnforced"},
        opts=component.child(),
    )
    block = aws.s3.BucketPublicAccessBlock(
        component.child_name("private"),
        bucket=bucket.id,
        block_public_acls=True,
        block_public_policy=True,
        ignore_public_acls=True,
        restrict_public_buckets=True,
        opts=component.child(),
    )
    aws.s3.BucketServerSideEncryptionConfiguration(
        component.child_name("encryption"),
        bucket=bucket.id,
        rules=[{"apply_server_side_encryption_by_default": {"sse_algorithm": "AES256"}}],
        opts=component.child(),
    )
    return bucket, block


def private_bucket(
    component: Component, thing: str, bucket_name: pulumi.Input[str], *, protect: bool
) -> PrivateBucket:
    """A locked bucket that one CloudFront distribution will read (see `readable_by`)."""
    bucket, block = locked_bucket(component, bucket_name, protect=protect)
    access = aws.cloudfront.OriginAccessControl(
        component.child_name("oac"),
        name=component.naming.name(thing),
        origin_access_control_origin_type="s3",
        signing_behavior="always",
        signing_protocol="sigv4",
        opts=component.child(),
    )
    return PrivateBucket(bucket, access, block)


def readable_by(
    component: Component, private: PrivateBucket, distribution: aws.cloudfront.Distribution
) -> aws.s3.BucketPolicy:
    """Only `distribution` may read the bucket (CloudFront's service principal, by source ARN)."""
    return aws.s3.BucketPolicy(
        component.child_name("policy"),
        bucket=private.bucket.id,
        policy=pulumi.Output.all(private.bucket.arn, distribution.arn).apply(
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
        opts=component.child(depends_on=[private.public_access_block]),
    )
