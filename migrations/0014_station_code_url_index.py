"""A station is looked up by the url of its sign's official-account code (what a scan in the 扫码
menu reports): an index on station_wechat_code.url keeps that lookup from reading every code."""
from peewee import *


def up(migrator, db):
    """The index (frozen copy of StationWechatCode.url's index=True)."""
    migrator.migrate(migrator.add_index("station_wechat_code", ("url",), False))


def down(migrator, db):
    """Drop the index."""
    migrator.migrate(migrator.drop_index("station_wechat_code", "station_wechat_code_url"))
