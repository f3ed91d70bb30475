"""Grouping rows by the 系统工会 they fall under, in SQL (one pass, no per-org queries)."""
from peewee import SQL, NodeList, fn

from miniapp_backend.db import database, is_postgres
from miniapp_backend.models import Org, OrgKind

DIRECT = 0  # the bucket of 直属 units, which hang under the 区总工会 itself


def top_segment(org_model=Org):
    """The id of the org's top-level subtree (the second id in `path`), as an SQL expression.

    For a unit under a 系统工会 that is the 系统工会's id; for a 直属 unit it is the unit itself.
    """
    path = org_model.path
    if is_postgres(database.obj):
        text = fn.split_part(path, "/", 3)
    else:
        rest = fn.substr(path, fn.instr(fn.substr(path, 2), "/") + 2)
        text = fn.substr(rest, 1, fn.instr(rest, "/") - 1)
    return NodeList((SQL("CAST("), fn.NULLIF(text, ""), SQL("AS INTEGER)")))


def system_unions(condition=None):
    """{id: Org} of the 系统工会 (within `condition`, an Org condition, when given)."""
    query = Org.select().where(Org.kind == OrgKind.SYSTEM)
    if condition is not None:
        query = query.where(condition)
    return {o.id: o for o in query.order_by(Org.full_name)}


def bucket(segment, systems):
    """The 系统工会 id a top segment stands for, or DIRECT."""
    return segment if segment in systems else DIRECT
