"""Short human-typable codes (no 0/O, 1/I/L) for invites and channel links."""
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_code(length=8):
    """A random code of `length` characters from an unambiguous alphabet."""
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalize_code(text):
    """What a person typed, in the canonical form (upper case, no spaces or dashes)."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())
