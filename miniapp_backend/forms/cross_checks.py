"""A form's rules across fields (e.g. 到会人数 not above 应到人数; a quorum warning), applied to
parsed values."""
from fractions import Fraction

from miniapp_backend.forms.template import FormTemplate, Rule


def _as_fraction(value) -> Fraction | None:
    """A number as an exact fraction; None for anything else (missing, text, bool)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return Fraction(value)


def _violates(rule: Rule, values: dict) -> bool:
    """Whether the values break a rule; a rule with a missing side is not checked."""
    value, other = _as_fraction(values.get(rule.field)), _as_fraction(values.get(rule.other))
    if value is None or other is None:
        return False
    if rule.rule == "not_greater":
        return value > other
    limit = other * rule.fraction
    if rule.rule == "at_least_fraction":
        return value < limit
    return value <= limit


def check_cross_field(template: FormTemplate, values: dict) -> tuple[dict[str, str], list[str]]:
    """Apply the form's checks (errors by field key) and warnings (messages) to parsed values."""
    errors: dict[str, str] = {}
    for rule in template.checks:
        if _violates(rule, values):
            errors.setdefault(rule.field, rule.message)
    warnings = [rule.message for rule in template.warnings if _violates(rule, values)]
    return errors, warnings
