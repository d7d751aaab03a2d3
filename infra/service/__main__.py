"""A service's stack: `pulumi up -s <stage>-<service>` here, or `make deploy SERVICE=…`."""

from barkeep_infra.stacks.service import service_program

service_program()
