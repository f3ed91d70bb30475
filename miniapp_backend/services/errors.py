"""Domain errors: each carries a specific Chinese message a person can act on."""


class DomainError(Exception):
    """Base of every refusal the domain makes; `code` is stable, `message` is for people."""

    code = "invalid"

    def __init__(self, message, **details):
        super().__init__(message)
        self.message = message
        self.details = details


class PermissionDenied(DomainError):
    """The person may not do this to this object."""

    code = "forbidden"


class NotFound(DomainError):
    """No such object (or not visible to this person)."""

    code = "not_found"


class InvalidState(DomainError):
    """The object is not in a state that allows this."""

    code = "invalid_state"


class ValidationFailed(DomainError):
    """A value was refused; `details["key"]` names the field."""

    code = "validation"


class RevisionConflict(DomainError):
    """A newer edit of the same field exists; `details` carries its value and revision."""

    code = "conflict"


class Incomplete(DomainError):
    """Submission refused; `details["missing"]` lists exactly what is missing."""

    code = "incomplete"


class NotEligible(DomainError):
    """The org may not apply for this (window closed, honour missing …); reasons listed."""

    code = "not_eligible"
