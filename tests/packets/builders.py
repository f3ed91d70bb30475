"""Complete, submitted applications of every kind, with photos and a report, for packet tests."""
import hashlib
import io

from PIL import Image
from reportlab.pdfgen import canvas

from miniapp_backend.models import ApplicationKind, HonourKind
from miniapp_backend.packets.fonts import register_fonts
from miniapp_backend.services import drafts, evidence, submissions
from miniapp_backend.services.evaluation_targets import takes_report
from tests.factories import IN_WINDOW, make_qualified, station_for

# Values that pass every field's checks and the cross-field rules (实到 ≤ 应到, 同意 ≤ 实到).
NUMBERS = {"expected": 60, "member_total": 60, "present": 55, "agreed": 50, "employee_count": 150,
           "member_count": 140}
DEEDS = "本单位工会坚持以职工为中心，建成职工书屋和母婴关爱室，开展技能竞赛和困难帮扶。"
SIMPLE_VALUES = {"name": "王建国", "int": 12, "date": "2017-12-20", "phone": "010-69312345",
                 "email": "gh@example.com", "percent": 96.5, "longtext": DEEDS}
NOT_DONE_NOTE = "母婴关爱室正在装修，预计十月底完成"
EXIF_ORIENTATION = 0x0112
ROTATE_90_CW = 6  # EXIF: the camera was held sideways; viewers turn the image 90° clockwise


def photo(seed, size=(640, 480), orientation=None):
    """A JPEG photo with distinct pixels, optionally tagged with an EXIF orientation."""
    image = Image.new("RGB", size, ((seed * 37) % 256, (seed * 91) % 256, 120))
    image.paste((255, 0, 0), (0, 0, size[0] // 4, size[1] // 4))  # a marker in the top-left corner
    out = io.BytesIO()
    exif = Image.Exif()
    if orientation:
        exif[EXIF_ORIENTATION] = orientation
    image.save(out, "JPEG", quality=85, exif=exif.tobytes())
    return out.getvalue()


def report_pdf():
    """A one-page 会员评家报告 as a PDF (written with the process-wide reportlab settings)."""
    register_fonts()
    out = io.BytesIO()
    page = canvas.Canvas(out, invariant=1)
    page.drawString(72, 720, "Member evaluation report 2018")
    page.save()
    return out.getvalue()


def field_value(field):
    """A valid answer for any field of the 2018 forms."""
    if field.key in NUMBERS:
        return NUMBERS[field.key]
    if field.type == "roster":
        return [{c.key: _column_value(c, row) for c in field.columns} for row in range(2)]
    if field.type == "choice":
        return field.choices[0]
    if field.type == "text":
        return f"{field.key.upper()}值"  # unique per field, so tests can find each in place
    return SIMPLE_VALUES[field.type]


def _column_value(column, row):
    """A valid roster cell for row `row`."""
    if column.type == "choice":
        return column.choices[row % len(column.choices)]
    return {"name": ["王建国", "李芳"][row], "int": 45 + row}[column.type]


def answer_all(application, person, store, not_done=(5,), shared=(4, 6)):
    """Fill every field and item; item numbers in `not_done` get 否 with a note.

    Each 是 item gets its own photo, and the items in `shared` also get one photo together.
    Returns {item no: [photo sha256, …]}.
    """
    photos = {}
    together = evidence.store(store, photo(999, orientation=ROTATE_90_CW), "photo", "image/jpeg")
    for template in drafts.templates(application):
        for field in template.fields():
            drafts.write_answer(application, person, f"{template.code}:{field.key}", field_value(field),
                                today=IN_WINDOW)
        for item in template.items:
            key = f"{template.code}:{item.key}"
            done = item.no not in not_done
            drafts.write_answer(application, person, key,
                                {"done": done, "note": "" if done else NOT_DONE_NOTE}, today=IN_WINDOW)
            if not done:
                continue
            stored = evidence.store(store, photo(item.no), "photo", "image/jpeg")
            evidence.attach(application, person, key, stored, today=IN_WINDOW)
            photos[item.no] = [stored.sha256]
            if item.no in shared:
                evidence.attach(application, person, key, together, today=IN_WINDOW)
                photos[item.no].append(together.sha256)
    return photos


def attach_report(application, person, store):
    """The 会员评家报告 as an uploaded PDF."""
    stored = evidence.store(store, report_pdf(), "pdf", "application/pdf")
    evidence.attach(application, person, "report", stored, today=IN_WINDOW)
    return stored


KIND_SUBJECTS = {
    ApplicationKind.DISTRICT_HOME: ("unit", "chair", HonourKind.QUALIFIED_HOME),
    ApplicationKind.SMALL_HOME: ("branch", "branch_chair", HonourKind.QUALIFIED_SMALL_HOME),
    ApplicationKind.MODEL_HOME: ("unit", "chair", None),
    ApplicationKind.NEW_UNION_HOME: ("unit", "chair", None),
    ApplicationKind.WARM_STATION: ("unit", "chair", None),
}


def submitted(world, store, kind, with_report=True):
    """A complete application of `kind`, submitted: (application, chair, photos by item)."""
    org_name, chair_name, honour = KIND_SUBJECTS[kind]
    org, chair = getattr(world, org_name), getattr(world, chair_name)
    if honour:
        make_qualified(org, honour)
    station = station_for(org) if kind == ApplicationKind.WARM_STATION else None
    application = drafts.start_or_resume(chair, org, world.campaign, kind, station=station, today=IN_WINDOW)
    photos = answer_all(application, chair, store)
    if with_report and takes_report(application):  # a 暖心驿站 has no 会员评家报告
        attach_report(application, chair, store)
    return submissions.submit(application, chair, today=IN_WINDOW), chair, photos


def sha(data):
    """The sha256 of bytes."""
    return hashlib.sha256(data).hexdigest()
