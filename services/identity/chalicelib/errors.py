from barkeep.errors import Forbidden, NotAuthenticated, NotFound


class CodeUnusable(Forbidden):
    code = "code_unusable"

    def __init__(self) -> None:
        super().__init__("This invite code is unknown, expired, revoked or used up")


class CodeNotFound(NotFound):
    code = "code_not_found"

    def __init__(self) -> None:
        super().__init__("No such invite code")


class GuestNotFound(NotFound):
    code = "guest_not_found"

    def __init__(self) -> None:
        super().__init__("No such guest")


class RefreshRejected(NotAuthenticated):
    code = "invalid_refresh_token"

    def __init__(self) -> None:
        super().__init__("The refresh token is not valid; please join again")
