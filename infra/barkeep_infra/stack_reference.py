"""A stack another stack reads: one cached `StackReference` per stack, and a closed list of the
output names it may be asked for (so a typo fails at once, never resolving to None)."""

from __future__ import annotations

from typing import Any, ClassVar

import pulumi


class TypedReference:
    OUTPUTS: ClassVar[tuple[str, ...]] = ()
    WHAT: ClassVar[str] = "stack"
    _references: ClassVar[dict[str, pulumi.StackReference]] = {}

    def __init__(self, resource_name: str, stack_name: str) -> None:
        if stack_name not in TypedReference._references:
            TypedReference._references[stack_name] = pulumi.StackReference(
                resource_name, stack_name=stack_name
            )
        self._reference = TypedReference._references[stack_name]

    @staticmethod
    def forget() -> None:
        """Tests run several programs in one process."""
        TypedReference._references.clear()

    def _require(self, name: str) -> pulumi.Output[Any]:
        if name not in self.OUTPUTS:
            raise KeyError(f"the {self.WHAT} exports no {name!r}")
        return self._reference.require_output(name)
