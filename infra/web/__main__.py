"""The web stack: `pulumi up -s <stage>-web` here, or `make deploy-web`."""

from barkeep_infra.stacks.web import web_program

web_program()
