#!/usr/bin/env bash
# Debian packages the project needs beyond Python wheels; installs only what is missing.
#   (no argument)  the TrueType fonts embedded in print-ready PDFs: AR PL UMing (a 宋体-style
#                  face for form text), WenQuanYi Zen Hei (黑体, headings) and DejaVu Sans (☑ ☐);
#                  then headless Chromium for the admin web's browser tests
#   venv           python3-venv, when the interpreter cannot create a virtualenv
# Each group installs on its own: the fonts the product needs come first, and a browser that
# cannot be had (Ubuntu ships `chromium` as a snap, which a container cannot run) only skips the
# browser tests.
set -euo pipefail

FONT_DIR="${SYSTEM_DEPS_FONT_DIR:-/usr/share/fonts/truetype}"  # another folder only for tests
updated=""

# Install the packages named; non-zero (with a message) when that cannot be done.
install() {
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null; then
      echo "system-deps: please install $* (needs root)" >&2
      return 1
    fi
    sudo=sudo
  fi
  echo "system-deps: installing $*"
  if [ -z "$updated" ]; then
    $sudo apt-get update -qq || return 1
    updated=1
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

if [ "${1:-}" = venv ]; then
  install python3-venv
  exit
fi

# reportlab embeds TrueType outlines only (the Noto CJK OpenType/CFF fonts would not do).
fonts=()
[ -f "$FONT_DIR/wqy/wqy-zenhei.ttc" ] || fonts+=(fonts-wqy-zenhei)
[ -f "$FONT_DIR/arphic/uming.ttc" ] || fonts+=(fonts-arphic-uming)
[ -f "$FONT_DIR/dejavu/DejaVuSans.ttf" ] || fonts+=(fonts-dejavu-core)
if [ ${#fonts[@]} -gt 0 ]; then
  install "${fonts[@]}" || { echo "system-deps: the packets cannot be printed without ${fonts[*]}" >&2; exit 1; }
fi

# Headless Chromium and its version-matched driver, for the admin web's browser tests (Debian's
# own packages: a browser download at test time does not work here).
if ! command -v chromium >/dev/null || [ ! -x /usr/bin/chromedriver ]; then
  install chromium chromium-driver ||
    echo "system-deps: no chromium chromium-driver; the admin web's browser tests will be skipped" >&2
fi
exit 0
