"""Both 登记表: cover, every field in its cell, the roster, 主要事迹, 审议情况, approval blocks."""
import pytest

from miniapp_backend.models import ApplicationKind, Decision
from miniapp_backend.packets.build import render_packet
from miniapp_backend.services import review
from miniapp_backend.services.drafts import templates
from tests.factories import IN_WINDOW
from tests.packets.builders import DEEDS
from tests.packets.readers import below, docx_grids, docx_text, pdf_pages, right_of, squeeze
from workers.packet_sources import packet_source

REGISTRATION_KINDS = [ApplicationKind.DISTRICT_HOME, ApplicationKind.SMALL_HOME]
PAIRS = {  # label → printed value, for the fields laid out as label | value
    ApplicationKind.DISTRICT_HOME: {"单位全称": "UNIT_FULL_NAME值", "单位性质": "企业", "职工人数": "150人",
                                    "联系电话": "010-69312345", "工会委员会人数": "12人", "涵盖工会数": "12个",
                                    "合格职工之家数": "12个",
                                    "本单位工会委员会何时被授予合格职工之家称号": "2017年12月20日",
                                    "工会主席是否按同级党政副职配备": "是"},
    ApplicationKind.SMALL_HOME: {"联系电话": "010-69312345", "分会（小组）何时获得何种荣誉称号": "HONORS值",
                                 "何时被授予合格职工小家": "2017年12月20日"},
}
REVIEW = {ApplicationKind.DISTRICT_HOME: {"应到人数": "60人", "实到人数": "55人", "同意人数": "50人",
                                          "群众满意率": "96.5%"},
          ApplicationKind.SMALL_HOME: {"实到人数": "55人", "同意人数": "50人", "群众满意率": "96.5%"}}


def registration_grids(files):
    """The ruled tables of the registration form (the cover table has no 主要事迹)."""
    return [g for g in docx_grids(files.docx) if any("主要事迹" in row for row in g)
            or any(any("审议情况" in text for text in row) for row in g)]


@pytest.mark.parametrize("kind", REGISTRATION_KINDS)
def test_every_field_of_the_registration_is_in_place(packet_of, kind):
    application, files, _ = packet_of(kind)
    first, second = registration_grids(files)
    for label, value in PAIRS[kind].items():
        assert right_of(first, label) == value, label
    for label, value in REVIEW[kind].items():
        assert below(second, label) == value, label
    assert below(first, "主要事迹") == DEEDS
    assert below(first, "姓名") == "王建国"
    roster = [row for row in first if row[0] in ("王建国", "李芳")]
    assert [row[0] for row in roster] == ["王建国", "李芳"] and roster[0][4] == "45岁"


@pytest.mark.parametrize("kind", REGISTRATION_KINDS)
def test_cover_page_and_pdf_text(packet_of, kind):
    application, files, _ = packet_of(kind)
    template = next(t for t in templates(application) if t.kind == "registration")
    assert "APPLICANT_FULL_NAME值" in [row[1] for row in docx_grids(files.docx)[0]]
    assert "2017年12月20日" in [row[1] for row in docx_grids(files.docx)[0]]  # 填表日期
    assert " ".join(template.title.removesuffix("登记表")) in docx_text(files.docx)
    pages = pdf_pages(files.pdf)
    cover = pages[0]
    assert cover.index(squeeze(template.attachment)) < cover.index(squeeze(template.title))
    assert cover.index("乡镇、街道、委局") < cover.index("SYSTEM_UNION_NAME值") < cover.index("填表日期")
    text = "".join(pages)
    assert squeeze(DEEDS) in text and "96.5%" in text
    assert text.index("主要事迹") < text.index(squeeze(DEEDS)) < text.index("群众满意率")


def test_paper_blocks_stay_blank_and_digital_ones_take_the_opinions(packet_of, world, store):
    application, files, _ = packet_of(ApplicationKind.SMALL_HOME)
    second = registration_grids(files)[1]
    assert right_of(second, "基层工会委员会意见").split("\n")[-2:] == ["盖\u3000章\u3000\u3000", "年\u3000\u3000月\u3000\u3000日"]
    review.decide(application, world.chair, Decision.APPROVE, "同意推荐。", today=IN_WINDOW)
    files = render_packet(packet_source(application, application.version, store))
    second = registration_grids(files)[1]
    filled = right_of(second, "基层工会委员会意见")
    assert filled.startswith("同意推荐。\n北京良乡示例科技有限公司工会委员会，王建国")
    assert "（电子审批）" in filled
    assert filled.split("\n")[-2:] == ["盖\u3000章\u3000\u3000", "年\u3000\u3000月\u3000\u3000日"]
    paper = right_of(second, "同级党政意见")
    assert paper.replace("\n", "").startswith("盖\u3000章")
    assert "同意推荐。" in "".join(pdf_pages(files.pdf))
