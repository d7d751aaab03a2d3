"""The bartenders' directory: a Cognito user pool whose users an admin creates (no self
sign-up), the `admin` group, the web app's client (no secret, authorization code + PKCE) and a
managed-login (v2) domain with Cognito's branding."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from barkeep_infra.components.base import Component
from barkeep_infra.naming import Naming

ADMIN_GROUP = "admin"
CALLBACK_PATH = "/admin/callback"  # web/src/auth/admin.ts
SIGN_OUT_PATH = "/admin"


@dataclass(frozen=True)
class AdminDirectoryArgs:
    region: str
    web_origin: pulumi.Input[str]
    domain_prefix: pulumi.Input[str]


class AdminDirectory(Component):
    def __init__(
        self,
        name: str,
        naming: Naming,
        args: AdminDirectoryArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("AdminDirectory", name, naming, opts)
        self.pool = aws.cognito.UserPool(
            self.child_name("pool"),
            name=naming.name("admins"),
            username_attributes=["email"],
            auto_verified_attributes=["email"],
            admin_create_user_config={"allow_admin_create_user_only": True},
            password_policy={
                "minimum_length": 12,
                "require_lowercase": True,
                "require_uppercase": True,
                "require_numbers": True,
                "require_symbols": False,
                "temporary_password_validity_days": 3,
            },
            mfa_configuration="OPTIONAL",
            software_token_mfa_configuration={"enabled": True},
            account_recovery_setting={
                "recovery_mechanisms": [{"name": "verified_email", "priority": 1}]
            },
            deletion_protection="ACTIVE" if naming.protected else "INACTIVE",
            tags=self.tags,
            opts=self.child(protect=naming.protected),
        )
        self.group = aws.cognito.UserGroup(
            self.child_name("admin-group"),
            name=ADMIN_GROUP,
            user_pool_id=self.pool.id,
            description="Bartenders: the menu, invite codes, the order queue, the dashboard",
            opts=self.child(),
        )
        origin = pulumi.Output.from_input(args.web_origin)
        self.client = aws.cognito.UserPoolClient(
            self.child_name("spa"),
            name=naming.name("web"),
            user_pool_id=self.pool.id,
            generate_secret=False,
            allowed_oauth_flows_user_pool_client=True,
            allowed_oauth_flows=["code"],
            allowed_oauth_scopes=["openid", "email"],
            supported_identity_providers=["COGNITO"],
            callback_urls=[origin.apply(lambda o: o.rstrip("/") + CALLBACK_PATH)],
            logout_urls=[origin.apply(lambda o: o.rstrip("/") + SIGN_OUT_PATH)],
            # the hosted flow only: no password ever reaches the web app in AWS
            explicit_auth_flows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            prevent_user_existence_errors="ENABLED",
            enable_token_revocation=True,
            access_token_validity=60,
            id_token_validity=60,
            refresh_token_validity=12,
            token_validity_units={
                "access_token": "minutes",
                "id_token": "minutes",
                "refresh_token": "hours",
            },
            opts=self.child(),
        )
        self.domain = aws.cognito.UserPoolDomain(
            self.child_name("domain"),
            domain=args.domain_prefix,
            user_pool_id=self.pool.id,
            managed_login_version=2,
            opts=self.child(),
        )
        aws.cognito.ManagedLoginBranding(
            self.child_name("branding"),
            user_pool_id=self.pool.id,
            client_id=self.client.id,
            use_cognito_provided_values=True,
            opts=self.child(depends_on=[self.domain]),
        )
        self.user_pool_id: pulumi.Output[str] = self.pool.id
        self.user_pool_arn: pulumi.Output[str] = self.pool.arn
        self.client_id: pulumi.Output[str] = self.client.id
        self.issuer: pulumi.Output[str] = pulumi.Output.concat(
            "https://cognito-idp.", args.region, ".amazonaws.com/", self.pool.id
        )
        self.jwks_url: pulumi.Output[str] = self.issuer.apply(
            lambda issuer: f"{issuer}/.well-known/jwks.json"
        )
        self.hosted_domain: pulumi.Output[str] = pulumi.Output.concat(
            self.domain.domain, ".auth.", args.region, ".amazoncognito.com"
        )
        self.register_outputs(
            {
                "user_pool_id": self.user_pool_id,
                "client_id": self.client_id,
                "issuer": self.issuer,
                "hosted_domain": self.hosted_domain,
            }
        )
