"""Values worked out once per object, for objects that do not change once made (a campaign's
parsed data, a form template) but are too large to hash cheaply."""


class IdentityMemo:
    """`memo.get(objects, make)`: `make()` the first time for these very objects (a tuple, found
    by identity), the remembered value after. The objects are held while remembered, so their ids
    cannot be reused meanwhile; past `size` entries the memo starts afresh."""

    def __init__(self, size):
        self.size, self._known = size, {}

    def get(self, objects, make):
        """The value for `objects`, made by `make()` if not remembered."""
        key = tuple(map(id, objects))
        known = self._known.get(key)
        if known is None:
            if len(self._known) >= self.size:
                self._known.clear()
            known = self._known[key] = (objects, make())
        return known[1]
