"""Files on disk addressed by content hash, written atomically (temp name, then rename)."""
import hashlib
import os
import tempfile
from pathlib import Path


class FileStore:
    """A folder of blobs: <root>/<aa>/<bb>/<sha256>."""

    def __init__(self, root):
        self.root = Path(root)

    def path_for(self, sha256):
        """Where the blob with this hash lives."""
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, data):
        """Store `data` (idempotent); return its sha256."""
        sha256 = hashlib.sha256(data).hexdigest()
        target = self.path_for(sha256)
        if not target.exists():
            write_atomically(target, data)
        return sha256

    def get(self, sha256):
        """The bytes stored under `sha256`."""
        return self.path_for(sha256).read_bytes()

    def exists(self, sha256):
        """True when the blob is on disk."""
        return self.path_for(sha256).exists()


def write_atomically(target, data):
    """Write `data` to `target` so readers see the old file or the whole new one, never half."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
