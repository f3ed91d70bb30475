"""Hot queries compiled to SQL once per database type, then run again with new arguments.

peewee turns a query into SQL anew on every execution, and turns each row into models through
a general cursor wrapper; for the small indexed lookups and writes a chat message makes (an
answer by key, a photo count, an identity by openid, the answer written) both cost ten to thirty
times what the database takes to run them. A `Prepared` query is written once as a function of
its arguments; the first call compiles it with markers standing in for the arguments and
records where each argument's value lands among the SQL parameters (after the field's own
conversion), later calls only bind new values. Rows of a query that selects model fields (its
own model's, and those of models joined through its foreign keys) are built straight into
model instances by a plan made at compile time. Arguments must be single values (not lists: an
IN list's length is part of the SQL).
"""
from dataclasses import dataclass

from peewee import (
    ROW, AutoField, BigAutoField, BigIntegerField, CharField, Field, ForeignKeyField, IntegerField, Node,
    SmallIntegerField, TextField)

from miniapp_backend.db import database


class _Argument(Node):
    """Argument `number` of a prepared query, noting its parameter position when compiled."""

    def __init__(self, number, value, positions):
        super().__init__()
        self.number, self.value, self.positions = number, value, positions
        self.field = None

    def to(self, field):
        """Convert this argument as `field` does (for values written by INSERT or UPDATE, where
        peewee applies no conversion to an expression)."""
        self.field = field
        return self

    def __sql__(self, ctx):
        # ctx.value converts with the state's converter (the compared field's db_value)
        # and appends exactly one parameter; remember which one, and how it was converted.
        converter = self.field.db_value if self.field is not None else ctx.state.converter
        self.positions.append((len(ctx._values), self.number, converter))
        return ctx.value(converter(self.value) if converter else self.value, converter=False)


# Fields whose column both drivers already return as the field's own type (int, str): their
# conversion would only check that. Exact types: a subclass (JSONField is a TextField) keeps its own.
_NATIVE = frozenset({AutoField, BigAutoField, IntegerField, BigIntegerField, SmallIntegerField, CharField,
                     TextField})


def _converter(field):
    """What turns a column of `field` into its Python value (None: the value as it comes)."""
    target = field.rel_field if isinstance(field, ForeignKeyField) else field
    if type(target) in _NATIVE or not field._coerce:
        return None
    return field.python_value


@dataclass(frozen=True)
class _RowPlan:
    """How one row becomes model instances: the query's model first, then models it joins."""

    models: tuple  # model classes, the query's own first
    columns: tuple  # per column: (model index, field name, converter or None)
    links: tuple  # (model index, foreign-key name on the first model) for each joined model

    @classmethod
    def of(cls, query):
        """The plan for `query`, or None when its rows need peewee's own wrapper."""
        model = getattr(query, "model", None)
        selected = getattr(query, "_returning", None)
        if model is None or not selected or getattr(query, "_row_type", None) not in (None, ROW.MODEL):
            return None
        joins = getattr(query, "_joins", {})
        if any(source is not model for source in joins):
            return None  # a join from a joined model: peewee nests those
        joined = {}
        for dest, attr, constructor, join_type in joins.get(model, ()):
            if (dest is not constructor or "INNER" not in join_type
                    or not isinstance(model._meta.fields.get(attr), ForeignKeyField)):
                return None
            joined[dest] = attr
        models = (model, *joined)
        columns = []
        for node in selected:
            if not isinstance(node, Field) or node.model not in models:
                return None
            columns.append((models.index(node.model), node.name, _converter(node)))
        return cls(models, tuple(columns), tuple((models.index(m), a) for m, a in joined.items()))

    def build(self, row):
        """The first model's instance, with the joined ones attached as peewee would."""
        data = [{} for _ in self.models]
        for value, (index, name, converter) in zip(row, self.columns):
            data[index][name] = converter(value) if converter is not None and value is not None else value
        objects = []
        for model, values in zip(self.models, data):
            obj = model.__new__(model)
            obj.__data__, obj._dirty, obj.__rel__ = values, set(), {}
            objects.append(obj)
        first = objects[0]
        for index, attr in self.links:
            first.__rel__[attr] = objects[index]
        return first


@dataclass(frozen=True)
class _Compiled:
    """The SQL of one database type, its parameters as first bound, and the argument slots."""

    query: object  # turns this SQL's rows into models, as peewee would
    sql: str
    params: tuple
    slots: tuple  # (parameter index, argument number, converter or None)
    plan: _RowPlan | None

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
        if {number for _index, number, _converter in positions} != set(range(len(args))):
            raise TypeError("every argument of a prepared query must appear in it")
        return _Compiled(query, sql, tuple(params), tuple(positions), _RowPlan.of(query))

    def _cursor(self, args):
        db = database.obj
        compiled = self._compiled.get(type(db))
        if compiled is None:
            compiled = self._compiled[type(db)] = self._compile(db, args)
        return compiled, db.execute_sql(compiled.sql, compiled.bind(args))

    def rows(self, *args):
        """Every row, as the query's own type would give them (models, dicts, tuples)."""
        compiled, cursor = self._cursor(args)
        if compiled.plan is not None:
            return [compiled.plan.build(row) for row in cursor.fetchall()]
        return list(compiled.query._get_cursor_wrapper(cursor))

    def first(self, *args):
        """The first row or None (give the query a LIMIT 1)."""
        found = self.rows(*args)
        return found[0] if found else None

    def values(self, *args):
        """Every row as the database gives it: a tuple of column values, unconverted."""
        _compiled, cursor = self._cursor(args)
        return cursor.fetchall()

    def scalar(self, *args):
        """The first column of the first row, or None."""
        _compiled, cursor = self._cursor(args)
        row = cursor.fetchone()
        return row[0] if row else None

    def execute(self, *args):
        """Run a write without RETURNING; the number of rows it changed."""
        _compiled, cursor = self._cursor(args)
        return cursor.rowcount
