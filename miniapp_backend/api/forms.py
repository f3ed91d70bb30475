"""Form templates as data, so the mini-program renders every 验收单 and 登记表 without hard-coding."""
from miniapp_backend.api import bp
from miniapp_backend.api.operations import operation
from miniapp_backend.api.schemas import Schema, array, boolean, integer, nullable, string
from miniapp_backend.forms import FormCatalog
from miniapp_backend.forms.reader import FIELD_TYPES
from miniapp_backend.services.errors import NotFound

TAG = "表单"

FormField = Schema("FormField", {
    "key": string("字段键"),
    "answer_key": string("答案键", description="PATCH 答案时用的键：<表单>:<字段>；名册的列为空"),
    "label": string("名称"),
    "type": string("类型", enum=sorted(FIELD_TYPES)),
    "required": boolean("必填"),
    "hint": string("提示"),
    "unit": string("单位"),
    "no": nullable(integer("序号")),
    "prefill": nullable(string("预填来源")),
    "max_len": nullable(integer("最多字数")),
    "min": nullable(integer("最小值")),
    "max": nullable(integer("最大值")),
    "max_chars": nullable(integer("最多字数（长文本）")),
    "choices": array("选项", string("选项")),
    "columns": array("名册的列", {"$ref": "#/components/schemas/FormField"}),
    "min_rows": nullable(integer("最少行数")),
    "max_rows": nullable(integer("最多行数")),
    "past_only": boolean("日期不能晚于填写当天"),
}, required=["key", "label", "type", "required"], closed=False)
FormItem = Schema("FormItem", {
    "no": integer("条目序号"),
    "answer_key": string("答案键", description="<表单>:item.<序号>，答案为 {done, note}"),
    "category": string("类别"),
    "text": string("具体要求"),
    "evidence_required": boolean("需要照片佐证"),
    "boxes": boolean("打勾栏"),
}, required=["no", "answer_key", "category", "text", "evidence_required"], closed=False)
FormSection = Schema("FormSection", {
    "title": string("标题"), "fields": array("字段", FormField.ref),
}, required=["title", "fields"], closed=False)
FormApproval = Schema("FormApproval", {
    "key": string("键"), "label": string("名称"), "levels": array("审核层级", string("层级")),
    "mode": string("方式", enum=["paper", "digital"]), "stamp": string("盖章要求"),
}, required=["key", "label", "levels", "mode"], closed=False)
FormRule = Schema("FormRule", {
    "rule": string("规则"), "field": string("字段"), "other": string("比较字段"),
    "fraction": nullable(string("比例")), "message": string("提示"),
}, required=["rule", "field", "other", "message"], closed=False)
FormTemplate = Schema("FormTemplate", {
    "code": string("表单代码"), "year": integer("年度"), "kind": string("类型", enum=["checklist", "registration"]),
    "attachment": string("附件号"), "title": string("标题"), "note": string("备注"),
    "cover": array("封面字段", FormField.ref), "header": array("表头字段", FormField.ref),
    "sections": array("分节", FormSection.ref), "items": array("验收条目", FormItem.ref),
    "extra": array("附加行", FormField.ref), "approvals": array("审批栏", FormApproval.ref),
    "checks": array("校验规则", FormRule.ref), "warnings": array("提醒规则", FormRule.ref),
}, required=["code", "year", "kind", "title", "items", "sections"], closed=False)


def field_view(field, form_code=None):
    """One field with every constraint; roster columns nested."""
    return {
        "key": field.key, "answer_key": f"{form_code}:{field.key}" if form_code else "",
        "label": field.label, "type": field.type, "required": field.required, "hint": field.hint,
        "unit": field.unit, "no": field.no, "prefill": field.prefill, "max_len": field.max_len,
        "min": field.min, "max": field.max, "max_chars": field.max_chars,
        "choices": list(field.choices), "columns": [field_view(c) for c in field.columns],
        "min_rows": field.min_rows, "max_rows": field.max_rows, "past_only": field.past_only,
    }


def _rule_view(rule):
    """A cross-field rule; the fraction as text such as "2/3"."""
    return {"rule": rule.rule, "field": rule.field, "other": rule.other, "message": rule.message,
            "fraction": str(rule.fraction) if rule.fraction is not None else None}


def template_view(template):
    """The whole template, in document order."""
    code = template.code
    return {
        "code": code, "year": template.year, "kind": template.kind, "attachment": template.attachment,
        "title": template.title, "note": template.note,
        "cover": [field_view(f, code) for f in template.cover],
        "header": [field_view(f, code) for f in template.header],
        "sections": [{"title": s.title, "fields": [field_view(f, code) for f in s.fields]}
                     for s in template.sections],
        "items": [{"no": i.no, "answer_key": f"{code}:{i.key}", "category": i.category, "text": i.text,
                   "evidence_required": i.evidence_required, "boxes": i.boxes} for i in template.items],
        "extra": [field_view(f, code) for f in template.extra],
        "approvals": [{"key": a.key, "label": a.label, "levels": list(a.levels), "mode": a.mode,
                       "stamp": a.stamp} for a in template.approvals],
        "checks": [_rule_view(r) for r in template.checks],
        "warnings": [_rule_view(r) for r in template.warnings],
    }


@bp.get("/forms/<id:year>/<code>")
@operation("一张表单的完整模板（分节、字段、选项、约束、照片要求）", tag=TAG,
           response=FormTemplate, errors=(404,))
def form_template(year, code):
    """The template of form `code` of `year`."""
    try:
        template = FormCatalog().get(year, code)
    except KeyError:
        raise NotFound(f"{year}年度没有表单“{code}”") from None
    return template_view(template)
