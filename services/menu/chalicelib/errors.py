from barkeep.errors import Conflict, NotFound


class DrinkNotFound(NotFound):
    code = "drink_not_found"

    def __init__(self) -> None:
        super().__init__("No such drink")


class SectionNotFound(NotFound):
    code = "section_not_found"

    def __init__(self) -> None:
        super().__init__("No such section")


class SectionNotEmpty(Conflict):
    code = "section_not_empty"

    def __init__(self, drinks: int) -> None:
        super().__init__(
            "The section still holds drinks; move or delete them first", details={"drinks": drinks}
        )


class DuplicateName(Conflict):
    code = "duplicate_name"

    def __init__(self, kind: str, name: str) -> None:
        super().__init__(f"A {kind} named '{name}' already exists", details={"name": name})
