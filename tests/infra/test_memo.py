"""IdentityMemo: one value per object by identity, bounded."""
from miniapp_backend.memo import IdentityMemo


def test_a_value_is_made_once_per_object_and_again_for_an_equal_copy():
    memo, made = IdentityMemo(size=2), []

    def make(tag):
        made.append(tag)
        return tag

    data, copy = {"kinds": [1]}, {"kinds": [1]}
    assert memo.get((data,), lambda: make("a")) == "a"
    assert memo.get((data,), lambda: make("b")) == "a"  # remembered: same object
    assert memo.get((copy,), lambda: make("c")) == "c"  # equal, but another object
    assert memo.get((data, copy), lambda: make("d")) == "d"  # past the size: starts afresh
    assert memo.get((data,), lambda: make("e")) == "e"
    assert made == ["a", "c", "d", "e"]
