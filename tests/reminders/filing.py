"""Filing applications completely in tests: every field, item, photo and material."""
from miniapp_backend.models import FileKind
from miniapp_backend.services import drafts, evidence, review, submissions
from miniapp_backend.services.progress import progress

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64
PDF = b"%PDF-1.4\n% test report\n%%EOF\n"
# Values for the fields the org tree does not prefill (登记表).
ANSWERS = {
    "system_union_name": "北京市房山区总工会",  # a 直属 unit has no 系统工会 to prefill
    "committee_member_count": 7, "full_time_cadre_count": 2, "chair_rank_matched": "是",
    "chairs": [{"name": "王建国", "gender": "男", "age": 50, "political_status": "中共党员",
                "position": "工会主席", "employment_type": "专职"}],
    "main_deeds": "本单位坚持以职工为中心，建家强家暖家。", "expected": 100, "present": 90,
    "agreed": 80, "satisfaction": 98.5,
}


def answer_items(app, person, store, today, count=None):
    """Answer the first `count` items (all by default) 是, each with a photo."""
    photo = evidence.store(store, PNG, FileKind.PHOTO, "image/png")
    for template in drafts.templates(app):
        for item in template.items[:count]:
            key = f"{template.code}:{item.key}"
            drafts.write_answer(app, person, key, {"done": True}, today=today)
            evidence.attach(app, person, key, photo, today=today)


def fill(app, person, store, today):
    """Complete the application: missing fields, every item with a photo, the report."""
    answer_items(app, person, store, today)
    for missing in progress(app).missing_of("field"):
        drafts.write_answer(app, person, missing.key, ANSWERS[missing.key.split(":")[1]], today=today)
    if progress(app).missing_of("material"):
        evidence.attach(app, person, "report", evidence.store(store, PDF, FileKind.PDF, "application/pdf"),
                        today=today)
    assert progress(app).complete, progress(app).missing
    return app


def file_complete(world, person, org, kind, store, today):
    """Start, complete and submit an application; pass the unit's own paper step if it has one."""
    app = drafts.start_or_resume(person, org, world.campaign, kind, today=today)
    app = submissions.submit(fill(app, person, store, today), person, today=today)
    step = review.current_step(app)
    if step is not None and step.level == "unit_paper":
        stamped = evidence.store(store, PDF + b"stamped", FileKind.PDF, "application/pdf")
        evidence.attach(app, person, "stamped:unit_paper", stamped)
        app = review.complete_paper_step(app, person)
    return app
