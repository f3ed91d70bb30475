"""One format for every scannable code: "<prefix>.<ident>", ≤ 32 characters.

The same value is a valid official-account scene_str (1–64 chars) and a mini-program code
scene (≤ 32 chars of [0-9A-Za-z!#$&'()*+,/:;=?@-._~]).
"""
import re
from enum import StrEnum

MAX_LENGTH = 32
_IDENT = re.compile(r"^[0-9A-Za-z]{1,29}$")


class SceneKind(StrEnum):
    """What a code opens; the prefix is what is stored in the QR code."""

    STATION = "st"
    BALLOT = "bt"
    SIGN_IN = "si"


def encode(kind, ident):
    """The scene string for `kind` and an alphanumeric `ident`."""
    ident = str(ident)
    if not _IDENT.match(ident):
        raise ValueError(f"scene ident must be 1–29 letters or digits: {ident!r}")
    return f"{SceneKind(kind)}.{ident}"


def decode(scene):
    """(SceneKind, ident) from a scene string (a "qrscene_" prefix is tolerated), or None."""
    scene = (scene or "").strip()
    if scene.startswith("qrscene_"):
        scene = scene[len("qrscene_"):]
    prefix, dot, ident = scene.partition(".")
    if not dot or len(scene) > MAX_LENGTH or not _IDENT.match(ident):
        return None
    try:
        return SceneKind(prefix), ident
    except ValueError:
        return None
