"""Request and response shapes as JSON Schema, and strict request checking with Chinese errors.

One declaration serves both the OpenAPI document and the check of each request, so the two
cannot drift apart. Request objects are closed: an unknown field is refused, never ignored.
"""
import datetime as dt
import math
import re

from miniapp_backend.api.converters import ID_MAX
from miniapp_backend.services.errors import ValidationFailed

REF_PREFIX = "#/components/schemas/"
REGISTRY = {}
TYPE_NAMES = {"string": "文字", "integer": "整数", "number": "数字", "boolean": "true 或 false",
              "object": "对象", "array": "列表", "null": "空值"}
TRUE_TEXTS, FALSE_TEXTS = ("true", "1"), ("false", "0")
# Numbers in a query or form as a client writes them (JS's String(n): 39.7, -3, 1e-7): ASCII digits
# only, since int() and float() also take "٣", "3_0" or "３", and str.isdigit() lets "²" by.
INTEGER_TEXT = re.compile(r"[+-]?[0-9]{1,4000}", re.ASCII)  # int() refuses 4300+ digits
NUMBER_TEXT = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[+-]?(?:nan|inf(?:inity)?)",
                         re.ASCII | re.IGNORECASE)
UNKNOWN_FIELD = "不支持的字段"
ONE_FILE = "一次只能上传一个文件"
BINARY = "binary"


class InvalidRequest(Exception):
    """A request refused before any domain call; `fields` maps each bad field to its message."""

    def __init__(self, message, fields=None):
        """Keep the summary message and the per-field messages."""
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class Schema:
    """A named object shape, listed under the document's components."""

    def __init__(self, name, properties, required=(), description="", closed=True, title=None):
        """Declare `name`; `closed` objects (every request body) refuse unknown fields. A shape
        nested in a request needs a Chinese `title`: a refusal names the value by it."""
        self.name, self.properties, self.required = name, properties, tuple(required)
        self.description, self.closed, self.title = description, closed, title or name
        REGISTRY[name] = self

    @property
    def ref(self):
        """A JSON Schema reference to this shape."""
        return {"$ref": REF_PREFIX + self.name}

    def json_schema(self):
        """The shape as a JSON Schema object."""
        schema = {"type": "object", "title": self.title, "properties": self.properties}
        if self.required:
            schema["required"] = list(self.required)
        if self.description:
            schema["description"] = self.description
        if self.closed:
            schema["additionalProperties"] = False
        return schema

    def load(self, data):
        """Check a JSON body; return it with defaults filled in, or raise InvalidRequest."""
        if not isinstance(data, dict):
            raise InvalidRequest("请求内容应为JSON对象")
        return load_object(self.properties, self.required, data, _as_is)

    def load_text(self, args):
        """Check query or form values (text); return them typed, or raise InvalidRequest."""
        flat = {}
        for key in args:
            values = args.getlist(key) if hasattr(args, "getlist") else [args[key]]
            flat[key] = values[0] if len(values) == 1 else values
        return load_object(self.properties, self.required, flat, _from_text)

    def load_form(self, form, files):
        """Check a multipart form: text fields typed, binary fields present as uploaded files,
        one each (a second part of the same name is refused, never dropped)."""
        twice = {key: ONE_FILE for key in files if len(files.getlist(key)) > 1}
        if twice:
            raise InvalidRequest(ONE_FILE, twice)
        data = {key: files[key] for key in files}
        for key in form:
            values = form.getlist(key)
            data[key] = values[0] if len(values) == 1 else values
        return load_object(self.properties, self.required, data, _from_text)


def load_object(properties, required, data, convert):
    """Check every field of an object, collecting one message per bad field."""
    errors = {key: UNKNOWN_FIELD for key in data if key not in properties}
    result = {}
    for key, prop in properties.items():
        if key not in data:
            if key in required:
                errors[key] = f"请提供{prop.get('title', key)}"
            elif "default" in prop:
                result[key] = prop["default"]
            continue
        try:
            result[key] = check(prop, convert(prop, data[key]))
        except InvalidRequest as exc:
            errors[key] = exc.message
    if errors:
        raise InvalidRequest("请求有误：" + "；".join(f"{k}：{v}" for k, v in errors.items()), errors)
    return result


def _as_is(_prop, value):
    """JSON values arrive typed already."""
    return value


def _from_text(prop, text):
    """A query or form value converted to the property's type (left as is when it does not fit)."""
    kinds = _types(resolve(prop))
    if isinstance(text, list) or not isinstance(text, str):
        return text
    if "integer" in kinds and INTEGER_TEXT.fullmatch(text):
        return int(text)
    if "number" in kinds and NUMBER_TEXT.fullmatch(text):
        return float(text)
    if "boolean" in kinds and text.lower() in TRUE_TEXTS + FALSE_TEXTS:
        return text.lower() in TRUE_TEXTS
    return text


def resolve(prop):
    """The property itself, or the shape a $ref points at."""
    ref = prop.get("$ref")
    return REGISTRY[ref[len(REF_PREFIX):]].json_schema() if ref else prop


def _types(prop):
    """The JSON types a property allows (empty for "any value")."""
    kind = prop.get("type")
    return [kind] if isinstance(kind, str) else list(kind or [])


def _type_of(value):
    """The JSON type name of a decoded value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    return {str: "string", dict: "object", list: "array"}.get(type(value), "unknown")


def check(prop, value):
    """Check one value against a property; return it, or raise InvalidRequest with the message."""
    prop = resolve(prop)
    title = prop.get("title", "该字段")
    if prop.get("format") == BINARY:
        if not hasattr(value, "stream"):
            raise InvalidRequest(f"{title}应为上传的文件")
        return value
    kinds = _types(prop)
    actual = _type_of(value)
    if kinds and actual not in kinds and not (actual == "integer" and "number" in kinds):
        wanted = "或".join(TYPE_NAMES[k] for k in kinds if k != "null")
        raise InvalidRequest(f"{title}应为{wanted}")
    if actual == "number" and not math.isfinite(value):
        raise InvalidRequest(f"{title}应为有限的数字")
    if "enum" in prop and value not in prop["enum"]:
        raise InvalidRequest(f"{title}应为以下之一：{'、'.join(map(str, prop['enum']))}")
    checker = {"string": _check_string, "integer": _check_number, "number": _check_number,
               "array": _check_array, "object": _check_object}.get(actual)
    return checker(prop, value, title) if checker else value


def _check_string(prop, value, title):
    """Length and pattern of a text."""
    if len(value) < prop.get("minLength", 0):
        raise InvalidRequest(f"{title}不能少于{prop['minLength']}个字" if prop["minLength"] > 1
                             else f"{title}不能为空")
    if "maxLength" in prop and len(value) > prop["maxLength"]:
        raise InvalidRequest(f"{title}不能超过{prop['maxLength']}个字（现有{len(value)}个）")
    if "pattern" in prop and not re.search(_python_pattern(prop["pattern"]), value):
        raise InvalidRequest(f"{title}格式不对" + (f"，{prop['description']}" if prop.get("description") else ""))
    return value


def _python_pattern(pattern):
    """A JSON Schema (ECMA) pattern for Python: a final "$" must not let a trailing newline by."""
    return pattern[:-1] + r"\Z" if pattern.endswith("$") and not pattern.endswith(r"\$") else pattern


def _check_number(prop, value, title):
    """The bounds of a number."""
    if "minimum" in prop and value < prop["minimum"]:
        raise InvalidRequest(f"{title}不能小于{prop['minimum']}")
    if "maximum" in prop and value > prop["maximum"]:
        raise InvalidRequest(f"{title}不能大于{prop['maximum']}")
    return value


def _check_array(prop, value, title):
    """Item count and each item."""
    if len(value) < prop.get("minItems", 0):
        raise InvalidRequest(f"{title}至少要有{prop['minItems']}项")
    if "maxItems" in prop and len(value) > prop["maxItems"]:
        raise InvalidRequest(f"{title}最多{prop['maxItems']}项")
    if prop.get("uniqueItems") and len(set(map(str, value))) != len(value):
        raise InvalidRequest(f"{title}有重复项")
    items = prop.get("items")
    return [_within(f"第{i}项", items, v) for i, v in enumerate(value, 1)] if items else value


def _within(place, prop, value):
    """Check a value nested in another; its error names where it sits (a key, 第N项)."""
    try:
        return check(prop, value)
    except InvalidRequest as exc:
        raise InvalidRequest(f"{place}：{exc.message}") from None


def _check_object(prop, value, title):
    """Named properties (closed objects refuse others), or a map's keys and values."""
    named = prop.get("properties", {})
    if named and not isinstance(prop.get("additionalProperties"), dict):
        try:
            return load_object(prop["properties"], prop.get("required", ()), value, _as_is)
        except InvalidRequest as exc:
            # The caller names where this object sits; a $ref's title would be the schema's name.
            raise InvalidRequest("；".join(f"{k}：{v}" for k, v in exc.fields.items())) from None
    if "maxProperties" in prop and len(value) > prop["maxProperties"]:
        raise InvalidRequest(f"{title}最多{prop['maxProperties']}项")
    if len(value) < prop.get("minProperties", 0):
        raise InvalidRequest(f"{title}至少要有{prop['minProperties']}项")
    names, values = prop.get("propertyNames"), prop.get("additionalProperties")
    result = {}
    for key, item in value.items():
        if names:
            _within(f"“{_shortened(key)}”", names, key)
        schema = named.get(key, values)
        result[key] = _within(key, schema, item) if isinstance(schema, dict) else item
    return result


def _shortened(text, limit=40):
    """A received text quoted in a message, cut short (a key may be as long as the client likes)."""
    return text if len(text) <= limit else text[:limit] + "…"


def _prop(kind, title, description, nullable, extra):
    """A property dict without the options left unset."""
    prop = {"type": [kind, "null"] if nullable else kind, "title": title}
    if description:
        prop["description"] = description
    prop.update({k: v for k, v in extra.items() if v is not None})
    return prop


def string(title, *, min_length=None, max_length=None, enum=None, pattern=None, fmt=None,
           default=None, nullable=False, description=""):
    """A text property."""
    return _prop("string", title, description, nullable,
                 {"minLength": min_length, "maxLength": max_length, "enum": enum,
                  "pattern": pattern, "format": fmt, "default": default})


ISO_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"  # a date's shape; calendar_day checks the calendar


def calendar_day(text, label, key, example):
    """The date a client sent as YYYY-MM-DD (its pattern has checked the shape, not the calendar:
    2018-02-30 is refused here, naming the field)."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(f"{label}“{text}”不是有效的日期，请按 {example} 的格式填写", key=key) from None


def integer(title, *, minimum=None, maximum=None, default=None, nullable=False, description=""):
    """A whole-number property."""
    return _prop("integer", title, description, nullable,
                 {"minimum": minimum, "maximum": maximum, "default": default})


def identifier(title, description=""):
    """An object id."""
    return integer(title, minimum=1, maximum=ID_MAX, description=description)


def number(title, *, minimum=None, maximum=None, default=None, nullable=False, description=""):
    """A number property."""
    return _prop("number", title, description, nullable,
                 {"minimum": minimum, "maximum": maximum, "default": default})


def boolean(title, *, default=None, nullable=False, description=""):
    """A true/false property."""
    return _prop("boolean", title, description, nullable, {"default": default})


def array(title, items, *, min_items=None, max_items=None, unique=None, description=""):
    """A list property."""
    return _prop("array", title, description, False,
                 {"items": items, "minItems": min_items, "maxItems": max_items, "uniqueItems": unique})


def mapping(title, values, *, key_pattern=None, key_hint="", max_properties=None, min_properties=None,
            named=None, description=""):
    """An object used as a map from keys (matching `key_pattern`, as `key_hint` says in words) to
    `values`; `named` keys (optional) have shapes of their own."""
    names = _prop("string", f"{title}的键", key_hint, False, {"pattern": key_pattern}) if key_pattern else None
    return _prop("object", title, description, False,
                 {"properties": named, "additionalProperties": values, "propertyNames": names,
                  "maxProperties": max_properties, "minProperties": min_properties})


def any_value(title, description=""):
    """Any JSON value (the domain checks it further)."""
    prop = {"title": title}
    if description:
        prop["description"] = description
    return prop


def nullable(prop):
    """A copy of `prop` that also allows null (refs are wrapped with anyOf)."""
    if "$ref" in prop:
        return {"anyOf": [prop, {"type": "null"}]}
    kinds = _types(prop)
    return {**prop, "type": kinds + ["null"] if "null" not in kinds else kinds}


def binary(title, description=""):
    """An uploaded file (a multipart form part)."""
    return _prop("string", title, description, False, {"format": BINARY})
