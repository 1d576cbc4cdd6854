"""The exception a refused spec raises."""


class SpecError(ValueError):
    """A spec the core refused, with the field it concerns.

    ``field`` is the field's path as in docs/spec.md (``"eta"``, ``"x0[0]"``, ``"objective.mu"``;
    ``""`` for the spec as a whole) and ``message`` says what is accepted. ``str(error)`` is
    ``"field: message"``, as the ``eoslab`` command prints it.
    """

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field
        self.message = message
