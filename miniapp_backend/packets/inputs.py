"""What a packet is made of: the frozen snapshot, the form templates, the opinions, the files."""
from dataclasses import dataclass, field
from typing import Callable, Mapping

from miniapp_backend.forms import FormTemplate
from miniapp_backend.packets.content_keys import content_key

KEY_LENGTH = 16
# The version of the packet's layout, kept with each packet and in its state key (as SIGN_LAYOUT is
# in a sign's): change it whenever a packet would come out differently, so that packets already
# made are compiled again when next downloaded (workers.packets.refresh_outdated).
PACKET_LAYOUT = 1
DECIDED = ("approved", "returned", "rejected")
PDF_MIME = "application/pdf"


@dataclass(frozen=True)
class Opinion:
    """One review step as it is printed: who decided what, for which unit, on which day."""

    seq: int
    level: str
    mode: str
    label: str
    status: str
    reviewer: str = ""
    org: str = ""
    text: str = ""
    decided_on: str = ""  # local date, ISO

    @property
    def decided(self):
        """True once a reviewer approved, returned or rejected."""
        return self.status in DECIDED


@dataclass(frozen=True)
class Blob:
    """A stored file the packet may print; `load` reads its bytes only when needed."""

    sha256: str
    mime: str
    load: Callable[[], bytes] = field(compare=False, repr=False)

    @property
    def is_pdf(self):
        """PDF files are appended page by page; everything else is treated as a photo."""
        return self.mime == PDF_MIME


@dataclass(frozen=True)
class PacketSource:
    """Everything a packet depends on; the same source always renders the same bytes."""

    snapshot: dict
    templates: tuple[FormTemplate, ...]
    opinions: tuple[Opinion, ...]
    files: Mapping[str, Blob]
    title: str  # e.g. “2018示范职工之家”
    version: int
    # Print-size copies made when photos arrived (see print_copies): get(key) → bytes | None,
    # put(key, bytes); copies missing from it are derived and put.
    print_cache: object = field(default=None, compare=False, repr=False)

    @property
    def answers(self):
        """{"<form>:<key>": value} of the snapshot."""
        return self.snapshot.get("answers", {})

    @property
    def evidence(self):
        """{slot: [sha256, …]} of the snapshot."""
        return self.snapshot.get("evidence", {})

    @property
    def unit_name(self):
        """The applying unit's full name."""
        return self.snapshot.get("org", {}).get("full_name", "")

    @property
    def station(self):
        """{"name", "address"} of a 驿站 application's station as submitted, else None."""
        return self.snapshot.get("station")


def state_key(opinions, layout=PACKET_LAYOUT):
    """A short digest of what the opinions put on paper and of the layout that draws the packet:
    equal keys print equal packets (content_keys)."""
    printed = [[o.seq, o.level, o.mode, o.label, o.status if o.decided else "", o.reviewer,
                o.org, o.text, o.decided_on] for o in opinions if o.decided]
    return content_key(KEY_LENGTH, printed, layout)
