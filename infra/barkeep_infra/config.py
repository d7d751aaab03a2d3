"""The stacks' configuration (namespace `barkeep`), read once per program."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pulumi

DEFAULT_REGION = "eu-west-1"
_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


class ConfigError(ValueError):
    pass


@dataclass(frozen=True)
class PlatformConfig:
    stage: str
    region: str
    web_origin: str
    realtime_api_key_expires: str
    cognito_domain_prefix: str | None
    alarm_email: str | None
    log_retention_days: int
    api_gateway_account: bool

    @classmethod
    def read(cls, now: datetime | None = None) -> PlatformConfig:
        config = pulumi.Config("barkeep")
        aws = pulumi.Config("aws")
        stage = pulumi.get_stack()
        expires = config.get("realtimeApiKeyExpires") or ""
        _check_expiry(expires, now or datetime.now(UTC))
        # Until the first `make deploy-web` sets it (or you set your own domain), the local
        # origin stands in: Cognito's callback and the bucket's CORS point there meanwhile.
        origin = config.get("webOrigin") or "http://localhost:8080"
        if not origin.startswith(("https://", "http://localhost")):
            raise ConfigError(
                "barkeep:webOrigin must be the web app's https:// origin (Cognito's callback and "
                "the images bucket's CORS point there)"
            )
        return cls(
            stage=stage,
            region=aws.get("region") or DEFAULT_REGION,
            web_origin=origin.rstrip("/"),
            realtime_api_key_expires=expires,
            cognito_domain_prefix=config.get("cognitoDomainPrefix"),
            alarm_email=config.get("alarmEmail"),
            log_retention_days=config.get_int("logRetentionDays") or (14 if stage == "dev" else 90),
            api_gateway_account=config.get_bool("apiGatewayAccount") is not False,
        )


def _check_expiry(expires: str, now: datetime) -> None:
    if not _RFC3339.match(expires):
        raise ConfigError(
            "set barkeep:realtimeApiKeyExpires to the realtime API key's expiry, "
            "e.g. 2027-11-30T00:00:00Z (at most 365 days ahead; AppSync's default is 7 days)"
        )
    moment = datetime.strptime(expires, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    if not now + timedelta(days=1) < moment <= now + timedelta(days=365):
        raise ConfigError(
            f"barkeep:realtimeApiKeyExpires={expires} must be between tomorrow and 365 days ahead"
        )


@dataclass(frozen=True)
class ServiceConfig:
    stage: str
    service: str
    region: str
    organization: str
    log_retention_days: int

    @classmethod
    def read(cls) -> ServiceConfig:
        config = pulumi.Config("barkeep")
        stack = pulumi.get_stack()
        stage, _, service = stack.partition("-")
        if not service:
            raise ConfigError(f"a service stack is named <stage>-<service>, not {stack!r}")
        return cls(
            stage=stage,
            service=service,
            region=pulumi.Config("aws").get("region") or DEFAULT_REGION,
            # Pulumi Cloud's organization (make deploy passes BARKEEP_PULUMI_ORG through)
            organization=config.get("organization")
            or os.environ.get("BARKEEP_PULUMI_ORG")
            or "organization",
            log_retention_days=config.get_int("logRetentionDays") or (14 if stage == "dev" else 90),
        )


@dataclass(frozen=True)
class WebConfig:
    stage: str
    organization: str
    domain: str | None
    certificate_arn: str | None

    @classmethod
    def read(cls) -> WebConfig:
        config = pulumi.Config("barkeep")
        stack = pulumi.get_stack()
        stage, _, kind = stack.partition("-")
        if kind != "web":
            raise ConfigError(f"the web stack is named <stage>-web, not {stack!r}")
        domain = config.get("webDomain")
        certificate = config.get("webCertificateArn")
        if bool(domain) != bool(certificate):
            raise ConfigError(
                "set both barkeep:webDomain and barkeep:webCertificateArn (an ACM certificate "
                "in us-east-1, as CloudFront requires), or neither"
            )
        return cls(
            stage=stage,
            organization=config.get("organization")
            or os.environ.get("BARKEEP_PULUMI_ORG")
            or "organization",
            domain=domain,
            certificate_arn=certificate,
        )
