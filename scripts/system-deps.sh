#!/usr/bin/env bash
# Debian packages the project needs beyond Python wheels; installs only what is missing.
#   (no argument)  the TrueType fonts embedded in print-ready PDFs: AR PL UMing (a 宋体-style
#                  face for form text), WenQuanYi Zen Hei (黑体, headings) and DejaVu Sans (☑ ☐)
#   venv           python3-venv, when the interpreter cannot create a virtualenv
set -euo pipefail

# Headless Chromium and its version-matched driver, for the admin web's browser tests (Debian's
# own packages: a browser download at test time does not work here). Its own idempotent step.
if [ "${1:-}" != venv ] && { ! command -v chromium >/dev/null || [ ! -x /usr/bin/chromedriver ]; }; then
  if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null; then
    echo "system-deps: please install chromium chromium-driver (needs root)" >&2
    exit 1
  fi
  echo "system-deps: installing chromium chromium-driver"
  $([ "$(id -u)" -eq 0 ] || echo sudo) apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $([ "$(id -u)" -eq 0 ] || echo sudo) apt-get install -y -qq \
    --no-install-recommends chromium chromium-driver >/dev/null
fi

missing=()
if [ "${1:-}" = venv ]; then
  missing+=(python3-venv)
else
  # reportlab embeds TrueType outlines only (the Noto CJK OpenType/CFF fonts would not do).
  [ -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] || missing+=(fonts-wqy-zenhei)
  [ -f /usr/share/fonts/truetype/arphic/uming.ttc ] || missing+=(fonts-arphic-uming)
  [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null; then
  echo "system-deps: please install ${missing[*]} (needs root)" >&2
  exit 1
fi
SUDO=$([ "$(id -u)" -eq 0 ] && echo "" || echo sudo)
echo "system-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
