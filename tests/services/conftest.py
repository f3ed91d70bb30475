"""Domain-test fixtures: a migrated empty database with a small district in it."""
import pytest

from tests.factories import build_world


@pytest.fixture
def world(db):
    """The district tree, people and the 2018 campaign."""
    return build_world()
