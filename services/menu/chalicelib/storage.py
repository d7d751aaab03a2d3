"""Drink images in S3: presigned POSTs that S3 itself holds to a content type and size."""

from __future__ import annotations

from typing import Any

from barkeep.aws import client


class S3ImageUploads:
    def __init__(self, bucket: str, public_base_url: str | None = None) -> None:
        self.bucket = bucket
        self.public_base_url = public_base_url

    def presign(self, key: str, content_type: str, max_bytes: int, expires: int) -> dict[str, Any]:
        # SigV4 (x-amz-algorithm AWS4-HMAC-SHA256): boto3 signs a POST with SigV2 by default,
        # which regions opened since 2014 refuse. The policy pins the exact key, the exact type
        # and the size; S3 enforces it (moto does not: the tests read the policy instead).
        post: dict[str, Any] = client("s3", signature_version="s3v4").generate_presigned_post(
            Bucket=self.bucket,
            Key=key,
            Fields={"Content-Type": content_type},
            Conditions=[
                {"Content-Type": content_type},
                ["content-length-range", 1, max_bytes],
            ],
            ExpiresIn=expires,
        )
        return {"url": post["url"], "fields": post["fields"]}

    def public_url(self, key: str) -> str:
        if self.public_base_url:
            return f"{self.public_base_url.rstrip('/')}/{key}"
        return f"https://{self.bucket}.s3.amazonaws.com/{key}"
