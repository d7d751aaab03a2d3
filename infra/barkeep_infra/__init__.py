"""Barkeep's Pulumi program, as a library the stacks compose.

- `components/`: one `ComponentResource` per capability (`Database`, `AdminDirectory`,
  `EventBus`, `Realtime`, `Images`, `GuestSigning`, `Alarms`; `ChaliceService` and what a
  service's declaration asks for).
- `platform_outputs`: what the platform stack exports, read by service stacks through one typed
  accessor over a single `StackReference`.
- `policies`: `pulumi-policy` validations, run offline in the tests and as a policy pack.
- `deploy`: `make deploy` and friends (preflight, package, migrations, `pulumi up`, smoke).

Infra never imports a service: it reads `dist/<service>/manifest.json` (`make package`) and
`services/<service>/platform.toml` (through `barkeep.declarations`).
"""
