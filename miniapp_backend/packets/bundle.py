"""Zip files with fixed timestamps and order: the same inputs give byte-identical archives."""
import io
import zipfile

# The earliest date a zip entry can carry; any constant would do, this one looks deliberate.
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
FILE_MODE = 0o100644 << 16  # a regular file, rw-r--r--
# Already-compressed formats are stored as they are: deflating them again only costs time.
STORED_SUFFIXES = (".jpg", ".jpeg", ".png", ".zip", ".docx", ".pdf")
# Characters a file name cannot hold on Windows (a "/" in a zip entry even makes a folder), as the
# full-width forms that read the same: “良乡镇政府/便民中心驿站” names a file, not a folder.
FILE_NAME_FORMS = str.maketrans({"/": "／", "\\": "＼", ":": "：", "*": "＊", "?": "？", '"': "＂",
                                 "<": "＜", ">": "＞", "|": "｜"})
CONTROL = dict.fromkeys(range(32))


# A file name's limit on Linux and macOS file systems, in UTF-8 bytes (a 汉字 takes 3).
NAME_MAX_BYTES = 255
CUT_MARK = "…"


def file_name(text):
    """Text people typed (a unit's or a station's name) made fit to be part of a file name."""
    return text.translate(FILE_NAME_FORMS).translate(CONTROL).strip()


class Typed(str):
    """A part of fitted_name that people typed (a unit's or a station's name): it may be shortened."""


def _size(parts):
    """The UTF-8 byte length of the joined parts."""
    return sum(len(part.encode()) for part in parts)


def fitted_name(*parts, limit=NAME_MAX_BYTES):
    """A file name of `parts` within `limit` UTF-8 bytes, so it unpacks on Linux and macOS.

    Typed parts are made fit (file_name) and, while the name is too long, the longest of them
    loses its last whole character and ends in “…”; the other parts (codes, ids, versions, the
    extension: what tells names apart) are kept whole.
    """
    parts = [Typed(file_name(part)) if isinstance(part, Typed) else part for part in parts]
    cut = set()

    def shown():
        """The parts as they would be written, shortened ones with their mark."""
        return [f"{part}{CUT_MARK}" if index in cut else part for index, part in enumerate(parts)]
    while _size(shown()) > limit:
        typed = [i for i, part in enumerate(parts) if isinstance(part, Typed) and part]
        if not typed:
            break  # nothing typed left to shorten: our own parts are never this long
        longest = max(typed, key=lambda i: len(parts[i].encode()))
        parts[longest] = Typed(parts[longest][:-1].rstrip())
        cut.add(longest)
    return "".join(shown())


def _compression(name):
    """Stored for formats that are compressed already, deflated otherwise."""
    return zipfile.ZIP_STORED if name.lower().endswith(STORED_SUFFIXES) else zipfile.ZIP_DEFLATED


def _info(name, compress):
    """A ZipInfo with the fixed time and mode."""
    info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
    info.compress_type = compress
    info.external_attr = FILE_MODE
    info.create_system = 3  # Unix, whatever machine writes it
    return info


def write_zip(target, entries):
    """Write a zip of (name, bytes or a function returning bytes) entries to a file object.

    Entries go in the given order with fixed metadata; a loader is called only when its entry is
    written, so large archives stream.
    """
    with zipfile.ZipFile(target, "w") as archive:
        for name, data in entries:
            archive.writestr(_info(name, _compression(name)), data() if callable(data) else data)


def build_zip(entries):
    """A zip of (name, bytes) entries as bytes."""
    out = io.BytesIO()
    write_zip(out, entries)
    return out.getvalue()


class FixedZipWriter:
    """python-docx's physical package writer, with fixed timestamps and stored pictures.

    Handed to python-docx's PackageWriter in place of its own, so a DOCX is zipped once,
    deterministically, instead of zipped and then rewritten.
    """

    def __init__(self, target):
        """Open a zip on a file object."""
        self.archive = zipfile.ZipFile(target, "w")

    def write(self, pack_uri, blob):
        """Add one part of the package."""
        self.archive.writestr(_info(pack_uri.membername, _compression(pack_uri.membername)), blob)

    def close(self):
        """Finish the archive."""
        self.archive.close()
