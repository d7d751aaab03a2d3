"""The platform stack (one per stage: `pulumi up -s dev` here, or `make deploy-platform`)."""

from barkeep_infra.stacks.platform import platform_program

platform_program()
