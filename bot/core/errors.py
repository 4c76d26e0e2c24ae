"""One error hierarchy: anything a user can cause is a ``UserFacingError`` with a friendly text."""

from __future__ import annotations

from collections.abc import Mapping

from bot.storage.errors import StaffroomError


class UserFacingError(StaffroomError):
    """An error whose message is safe and useful to show to the person who caused it.

    The message is already in the actor's language (``ctx.gettext``), or a
    ``bot.core.i18n.LazyText`` the dispatcher translates (code without a ``Context``)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(UserFacingError):
    """The command was recognised but its arguments were wrong; ``usage`` shows the right form."""

    def __init__(self, message: str, *, usage: str = "") -> None:
        super().__init__(message)
        self.usage = usage


class PermissionDenied(UserFacingError):
    """The actor's role is below what the command needs."""


class NotFound(UserFacingError):
    """Something the user named does not exist (in their community)."""


class FormError(UserFacingError):
    """A submitted form had invalid fields; ``field_errors`` maps field name to what is wrong."""

    def __init__(self, field_errors: Mapping[str, str]) -> None:
        summary = "; ".join(f"{name}: {text}" for name, text in field_errors.items())
        # The dispatcher writes this sentence again in the member's language.
        super().__init__(f"Some answers need another look — {summary}")
        self.field_errors = dict(field_errors)


class CapabilityUnavailable(StaffroomError):
    """The chat platform cannot do what was asked (for example, look up members by name)."""


class DeliveryError(StaffroomError):
    """A message could not be delivered.

    ``permanent`` errors (DMs closed, user gone) must not be retried; ``retry_after`` (seconds)
    is set when the platform asked us to slow down.
    """

    def __init__(
        self, message: str, *, permanent: bool = False, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.retry_after = retry_after
