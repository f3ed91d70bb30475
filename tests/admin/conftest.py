"""Fixtures for the admin web: the world with sign-in accounts, files under the test's folder."""
import dataclasses

import pytest

from miniapp_backend.app import create_app
from tests.admin.helpers import make_accounts


@pytest.fixture
def admin_config(config, tmp_path):
    """The test Config with stored files where the test's applications put them."""
    return dataclasses.replace(config, storage_dir=tmp_path / "files")


@pytest.fixture
def admin_app(admin_config, db, redis_client):
    """The app on the test backends."""
    return create_app(admin_config)


@pytest.fixture
def admin_world(world):
    """The test world with admin accounts for its reviewers."""
    make_accounts(world)
    return world


@pytest.fixture
def web(admin_app):
    """A test client of the admin app."""
    return admin_app.test_client()
