"""The yearly forms of the notice (验收单, 登记表) as data, and validation of their answers."""

from miniapp_backend.forms.catalog import FormCatalog, load_form
from miniapp_backend.forms.template import Field, FieldError, FormDataError, FormTemplate, Item

__all__ = [
    "Field", "FieldError", "FormCatalog", "FormDataError", "FormTemplate", "Item", "load_form",
]
