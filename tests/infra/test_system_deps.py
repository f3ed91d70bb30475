"""scripts/system-deps.sh, run against a stand-in apt-get (a machine's packages are not ours to
change in a test): each package group installs on its own, the fonts the packets need first."""
import shutil
import subprocess

from miniapp_backend.config import PROJECT_ROOT

SCRIPT = PROJECT_ROOT / "scripts" / "system-deps.sh"
FONTS = "fonts-wqy-zenhei fonts-arphic-uming fonts-dejavu-core"


def _stub(folder, name, body):
    """An executable shell script `name` in `folder`."""
    path = folder / name
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)


def _run(tmp_path, refuse, *args):
    """The script as root on a machine with no fonts and no browser, whose apt-get logs each call
    and fails for packages matching the shell pattern `refuse` (as Ubuntu's snap-only chromium
    does in a container); (exit code, stderr, apt-get's calls)."""
    bin_dir, fonts, log = tmp_path / "bin", tmp_path / "fonts", tmp_path / "apt.log"
    bin_dir.mkdir()
    fonts.mkdir()
    _stub(bin_dir, "id", "echo 0")
    _stub(bin_dir, "apt-get", f'echo "$*" >> {log}\ncase "$*" in {refuse}) exit 100;; esac')
    done = subprocess.run([shutil.which("bash"), str(SCRIPT), *args], capture_output=True, text=True,
                          env={"PATH": str(bin_dir), "SYSTEM_DEPS_FONT_DIR": str(fonts)})
    calls = log.read_text().splitlines() if log.exists() else []
    return done.returncode, done.stderr, calls


def test_a_browser_that_cannot_be_installed_never_stops_the_fonts(tmp_path):
    code, stderr, calls = _run(tmp_path, "*chromium*")
    assert code == 0, stderr
    assert calls.count("update -qq") == 1  # once for both groups
    assert f"install -y -qq --no-install-recommends {FONTS}" in calls
    assert calls[-1] == "install -y -qq --no-install-recommends chromium chromium-driver"
    assert "browser tests will be skipped" in stderr


def test_fonts_that_cannot_be_installed_stop_the_set_up_with_what_is_missing(tmp_path):
    code, stderr, calls = _run(tmp_path, "*fonts-*")
    assert code == 1 and f"the packets cannot be printed without {FONTS}" in stderr
    assert not any("chromium" in call for call in calls)


def test_venv_installs_python3_venv_alone(tmp_path):
    code, _, calls = _run(tmp_path, "nothing", "venv")
    assert code == 0 and calls == ["update -qq", "install -y -qq --no-install-recommends python3-venv"]
