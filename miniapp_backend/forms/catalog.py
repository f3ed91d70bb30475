"""The catalog of form files, forms/<year>/<code>.yaml: each loaded once per file version."""
import time
from functools import lru_cache
from pathlib import Path

from miniapp_backend.forms.reader import KEY_RE, read_form
from miniapp_backend.forms.template import FormDataError, FormTemplate

PACKAGE_DIR = Path(__file__).resolve().parent


@lru_cache(maxsize=128)
def _load_cached(path: str, mtime_ns: int) -> FormTemplate:
    """Load and check one file; keyed on its modification time too, so an edited file is re-read."""
    return read_form(Path(path))


# Forms are read on every chat message: a file's modification time is looked at again after
# this many seconds, not on every read, and an edited file is picked up after at most that long.
RECHECK_SECONDS = 1.0
_versions = {}  # path as given -> (resolved path, mtime_ns or None when missing, checked at)


def _version(path):
    """(resolved path, modification time or None for a missing file), rechecked now and then."""
    key = str(path)
    known = _versions.get(key)
    if known is not None and time.monotonic() - known[2] < RECHECK_SECONDS:
        return known[0], known[1]
    file = Path(path).resolve()
    try:
        mtime_ns = file.stat().st_mtime_ns if file.is_file() else None
    except OSError:
        mtime_ns = None
    _versions[key] = (file, mtime_ns, time.monotonic())
    return file, mtime_ns


def load_form(path) -> FormTemplate:
    """Load one form file, checked strictly against the schema (FormDataError otherwise)."""
    file, mtime_ns = _version(path)
    if mtime_ns is None:
        raise FormDataError(file, "", "cannot read the file: no such file")
    return _load_cached(str(file), mtime_ns)


@lru_cache(maxsize=256)
def _form_path(root: Path, year: int, code: str) -> str | None:
    """root/<year>/<code>.yaml, or None for a code that cannot name a form file."""
    return str(root / str(year) / f"{code}.yaml") if KEY_RE.fullmatch(code) else None


class FormCatalog:
    """The form files under root/<year>/<code>.yaml."""

    def __init__(self, root=None):
        """Use the package's own folder unless another root is given."""
        self.root = Path(root) if root is not None else PACKAGE_DIR

    def years(self) -> list[int]:
        """The years that have a folder of forms, ascending."""
        if not self.root.is_dir():
            return []
        return sorted(int(p.name) for p in self.root.iterdir() if p.is_dir() and p.name.isdigit())

    def _paths(self, year: int) -> list[Path]:
        """The form files of one year, by name."""
        return sorted((self.root / str(year)).glob("*.yaml"))

    def for_year(self, year: int) -> dict[str, FormTemplate]:
        """Every form of a year, by code."""
        forms = (load_form(p) for p in self._paths(year))
        return {form.code: form for form in forms}

    def get(self, year: int, code: str) -> FormTemplate:
        """One form; KeyError when the year has no such form."""
        path = _form_path(self.root, int(year), code)
        file, mtime_ns = _version(path) if path is not None else (None, None)
        if mtime_ns is None:
            raise KeyError(f"no form {code!r} for {year}")
        return _load_cached(str(file), mtime_ns)

    def check(self) -> list[str]:
        """Every problem found in every form file (empty when all load)."""
        problems = []
        for year in self.years():
            for path in self._paths(year):
                try:
                    load_form(path)
                except FormDataError as exc:
                    problems.append(str(exc))
        return problems
