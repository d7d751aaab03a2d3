from barkeep.errors import Conflict, NotFound


class OrderNotFound(NotFound):
    code = "order_not_found"

    def __init__(self) -> None:
        super().__init__("No such order")


class DrinkNotOrderable(NotFound):
    code = "drink_not_found"

    def __init__(self) -> None:
        super().__init__("That drink is not on the menu")


class InvalidTransition(Conflict):
    code = "invalid_transition"


class TooManyActiveOrders(Conflict):
    code = "too_many_active_orders"

    def __init__(self, limit: int) -> None:
        super().__init__(
            f"You already have {limit} orders on the way; wait for one first",
            details={"limit": limit},
        )


class RecallWindowClosed(Conflict):
    code = "recall_window_closed"


class OrderingPaused(Conflict):
    code = "ordering_paused"


class DrinkSoldOut(Conflict):
    code = "sold_out"

    def __init__(self, name: str) -> None:
        super().__init__(f"{name} is sold out for now", details={"drink_name": name})
