"""The packet in the seed's order: 登记表, 验收单, 会员评家报告, 影像资料."""
from miniapp_backend.packets.checklist_layout import checklist_blocks
from miniapp_backend.packets.layout import (
    Document, Figure, FigureRow, PageBreak, PdfPages, Text, TextStyle)
from miniapp_backend.packets.photos import build_appendix, print_copy
from miniapp_backend.packets.registration_layout import registration_blocks

REPORT_SLOT = "report"
REPORT_TITLE = "会员评家报告"
REPORT_NOTE = "会员评家报告见随附文件“{file}”；PDF版申报材料已附全文。"


def report_stem(index, count):
    """The name (without extension) of the `index`th of `count` report files in the zip."""
    return REPORT_TITLE + (f"_{index + 1}" if count > 1 else "")


def _form_blocks(source, appendix):
    """Each part of the bundle: registration forms first, as the seed lists them."""
    ordered = sorted(source.templates, key=lambda t: t.kind != "registration")
    blocks = []
    for template in ordered:
        if blocks:
            blocks.append(PageBreak())
        if template.kind == "registration":
            blocks += registration_blocks(template, source.answers, source.opinions)
        else:
            blocks += checklist_blocks(template, source.answers, source.opinions, appendix.numbers,
                                      source.station)
    return blocks


def _report_blocks(source):
    """The 会员评家报告: PDF pages appended as they are, a photographed report printed."""
    blocks = []
    # Numbered as the zip numbers them (build._originals): the uploads that are in the store.
    shas = [sha for sha in source.evidence.get(REPORT_SLOT, ()) if sha in source.files]
    for index, sha in enumerate(shas):
        blob = source.files[sha]
        if blob.is_pdf:
            note = REPORT_NOTE.format(file=f"{report_stem(index, len(shas))}.pdf")
            blocks.append(PdfPages(sha, REPORT_TITLE, note))
        else:
            image = print_copy(source, sha)
            # A page of its own: a title left at the foot of the page before would lose its photo.
            blocks += [PageBreak()] if blocks else []
            blocks += [Text(REPORT_TITLE, TextStyle.TITLE),
                       FigureRow((Figure(0, image, f"{REPORT_TITLE}（第{index + 1}页）"),), full_page=True)]
    return blocks


def build_document(source):
    """The whole packet as layout blocks, and the photo appendix they print."""
    appendix = build_appendix(source)
    blocks = _form_blocks(source, appendix)
    for part in (_report_blocks(source), list(appendix.blocks)):
        if part:
            blocks += [PageBreak()] + part
    footer = f"{source.unit_name}　{source.title}申报材料　第{source.version}版"
    document = Document(title=f"{source.title}申报材料", subject=source.unit_name, footer=footer,
                        blocks=tuple(blocks))
    return document, appendix
