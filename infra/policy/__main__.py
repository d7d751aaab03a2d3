"""The policy pack: `pulumi preview --policy-pack infra/policy` (the stage from BARKEEP_STAGE)."""

import os

from barkeep_infra.policies import policies
from pulumi_policy import PolicyPack

PolicyPack(name="barkeep", policies=policies(os.environ.get("BARKEEP_STAGE", "dev")))
