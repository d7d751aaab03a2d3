"""Names and tags: `barkeep-<stage>-<service>-<thing>` for everything a service owns,
`barkeep-<stage>-<thing>` for the platform's, so stages and services never collide."""

from __future__ import annotations

from dataclasses import dataclass

from barkeep.settings import platform_resource_name, resource_name

PLATFORM = "platform"


@dataclass(frozen=True)
class Naming:
    stage: str
    service: str = PLATFORM

    def __post_init__(self) -> None:
        if not self.stage.isalnum() or not self.stage.islower():
            raise ValueError(f"a stage is lower-case letters and digits, not {self.stage!r}")

    @property
    def prefix(self) -> str:
        if self.service == PLATFORM:
            return f"barkeep-{self.stage}"
        return f"barkeep-{self.stage}-{self.service}"

    def name(self, thing: str) -> str:
        """The AWS name of one of this stack's resources."""
        if self.service == PLATFORM:
            return platform_resource_name(thing, stage=self.stage)
        return resource_name(self.service, thing, stage=self.stage)

    @property
    def tags(self) -> dict[str, str]:
        return {"app": "barkeep", "stage": self.stage, "service": self.service}

    @property
    def protected(self) -> bool:
        """Outside `dev`, data survives a mistaken `destroy` (deletion protection)."""
        return self.stage != "dev"
