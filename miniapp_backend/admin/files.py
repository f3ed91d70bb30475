"""Which stored files an admin may open, and cached JPEG thumbnails of photos."""
import io

from PIL import Image, ImageOps, UnidentifiedImageError

from miniapp_backend.models import Application, EvidenceLink, Honour, HonourMinutes, StoredFile
from miniapp_backend.models.admin_records import InspectionPhoto, SiteInspection
from miniapp_backend.storage import write_atomically

THUMB_BOX = (240, 180)
CANDIDATES = 20  # a file is rarely on more applications; checking a few is enough


def visible_file(sha256, scope):
    """The StoredFile if an application this admin sees uses it (as evidence or 现场验收 photo), or
    the minutes of a 合格 declaration of an org they see."""
    stored = StoredFile.get_or_none(StoredFile.sha256 == sha256)
    if stored is None:
        return None
    declared = (Honour.select().join(HonourMinutes).where(HonourMinutes.file == stored)
                .distinct().limit(CANDIDATES))
    if any(scope.sees_org(honour.org) for honour in declared):
        return stored
    linked = (Application.select().join(EvidenceLink).where(EvidenceLink.file == stored)
              .distinct().limit(CANDIDATES))
    inspected = (Application.select().join(SiteInspection).join(InspectionPhoto)
                 .where(InspectionPhoto.file == stored).distinct().limit(CANDIDATES))
    for application in list(linked) + list(inspected):
        if scope.sees_application(application):
            return stored
    return None


def thumbnail(filestore, stored):
    """Path of a small JPEG of the photo, made once and kept beside the blobs."""
    target = filestore.root / "thumbs" / f"{stored.sha256}.jpg"
    if target.exists():
        return target
    source = filestore.path_for(stored.sha256)
    try:
        with Image.open(source) as image:
            image = ImageOps.exif_transpose(image).convert("RGB")
            image.thumbnail(THUMB_BOX)
            out = io.BytesIO()
            image.save(out, "JPEG", quality=80)
    except (UnidentifiedImageError, OSError):
        return source  # not a readable image: the original is the best we can show
    write_atomically(target, out.getvalue())
    return target
