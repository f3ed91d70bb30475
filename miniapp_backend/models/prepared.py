"""Hot queries compiled to SQL once per database type, then run again with new arguments.

peewee turns a query into SQL anew on every execution, and for the small indexed lookups a
chat message makes (an answer by key, a photo count, an identity by openid) that costs ten to
thirty times what the database takes to run them. A `Prepared` query is written once as a
function of its arguments; the first call compiles it with markers standing in for the
arguments and records where each argument's value lands among the SQL parameters (after the
field's own conversion), later calls only bind new values. Arguments must be single values
(not lists: an IN list's length is part of the SQL).
"""
from dataclasses import dataclass

from peewee import Node

from miniapp_backend.db import database


class _Argument(Node):
    """Argument `number` of a prepared query, noting its parameter position when compiled."""

    def __init__(self, number, value, positions):
        super().__init__()
        self.number, self.value, self.positions = number, value, positions

    def __sql__(self, ctx):
        # ctx.value converts with the state's converter (the compared field's db_value)
        # and appends exactly one parameter; remember which one, and how it was converted.
        self.positions.append((len(ctx._values), self.number, ctx.state.converter))
        return ctx.value(self.value)


@dataclass(frozen=True)
class _Compiled:
    """The SQL of one database type, its parameters as first bound, and the argument slots."""

    query: object  # turns this SQL's rows into models, as peewee would
    sql: str
    params: tuple
    slots: tuple  # (parameter index, argument number, converter or None)

    def bind(self, args):
        """The parameters for `args`."""
        params = list(self.params)
        for index, number, converter in self.slots:
            params[index] = converter(args[number]) if converter else args[number]
        return params


class Prepared:
    """A query built by `build(*args)` from peewee expressions, compiled once per database type."""

    def __init__(self, build):
        self.build = build
        self._compiled = {}

    def _compile(self, db, args):
        positions = []
        query = self.build(*(_Argument(n, value, positions) for n, value in enumerate(args)))
        sql, params = db.get_sql_context().sql(query).query()
        if len(positions) != len(args):
            raise TypeError("every argument of a prepared query must appear once in it")
        return _Compiled(query, sql, tuple(params), tuple(positions))

    def _cursor(self, args):
        db = database.obj
        compiled = self._compiled.get(type(db))
        if compiled is None:
            compiled = self._compiled[type(db)] = self._compile(db, args)
        return compiled, db.execute_sql(compiled.sql, compiled.bind(args))

    def rows(self, *args):
        """Every row, as the query's own type would give them (models, dicts, tuples)."""
        compiled, cursor = self._cursor(args)
        return list(compiled.query._get_cursor_wrapper(cursor))

    def first(self, *args):
        """The first row or None (give the query a LIMIT 1)."""
        found = self.rows(*args)
        return found[0] if found else None

    def scalar(self, *args):
        """The first column of the first row, or None."""
        _compiled, cursor = self._cursor(args)
        row = cursor.fetchone()
        return row[0] if row else None
