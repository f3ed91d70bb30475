"""Path converters of the API's routes: bounded ids, and the catch-all that keeps 404s in JSON."""
from werkzeug.routing import BaseConverter, PathConverter

from miniapp_backend.services.application_search import ID_DIGITS

ID_MAX = 10**ID_DIGITS - 1  # within PostgreSQL's 32-bit integers; a larger number names nothing


class IdConverter(BaseConverter):
    """Path ids 1..ID_MAX, by pattern alone: anything else falls through to the JSON 404."""

    regex = rf"[1-9][0-9]{{0,{ID_DIGITS - 1}}}"

    def to_python(self, value):
        """The id as an int."""
        return int(value)

    def to_url(self, value):
        """The id as text."""
        return str(int(value))


class RestConverter(PathConverter):
    """Whatever is left of a path, slashes and control characters included."""

    regex = r"[\s\S]*?"
    part_isolating = False


CONVERTERS = {"id": IdConverter, "rest": RestConverter}
