"""Packet benchmark: `python bench/packets.py` — a 21-item 示范职工之家 packet with 21 phone photos,
LibreOffice converting the same DOCX for comparison, and a batch of 200 station signs.

Prints wall time and peak memory (RSS of a fresh process) per packet, the LibreOffice time and
the ratio, and the batch time. Targets: a packet under 2 s and at least 5× faster than the
LibreOffice conversion; 200 signs under 20 s; peak memory under 300 MB. LibreOffice
(libreoffice-writer-nogui) is installed for the benchmark only, when missing and run as root.
"""
import argparse
import hashlib
import io
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402

TARGET_PACKET_S, TARGET_RATIO, TARGET_SIGNS_S, TARGET_MB = 2.0, 5.0, 20.0, 300
PHOTOS, SIGNS = 21, 200
PHONE_PHOTO = (4032, 3024)  # a 12-megapixel phone camera
LIBREOFFICE_PACKAGE = "libreoffice-writer-nogui"
EXIF_ORIENTATION, ROTATE_90_CW = 0x0112, 6


def phone_photo(seed):
    """A 12 MP JPEG about the size of a phone camera's (3–4 MB: smooth noise), some turned."""
    noise = Image.effect_noise((PHONE_PHOTO[0] // 6, PHONE_PHOTO[1] // 6), 60 + seed)
    base = Image.merge("RGB", (noise, noise.rotate(90, expand=False), noise.transpose(0)))
    image = base.resize(PHONE_PHOTO, Image.Resampling.BILINEAR)
    exif = Image.Exif()
    if seed % 3 == 0:
        exif[EXIF_ORIENTATION] = ROTATE_90_CW
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, exif=exif.tobytes())
    return out.getvalue()


def model_home_source(photo_dir, cache_dir=None):
    """The 21-item 示范职工之家 packet, every item 是 with its own photo (photos read from disk)."""
    from miniapp_backend.forms import FormCatalog
    from miniapp_backend.packets.inputs import Blob, Opinion, PacketSource
    from miniapp_backend.storage import FileStore
    from miniapp_backend.packets.print_copies import PrintCache
    template = FormCatalog().get(2018, "model_home_checklist")
    answers = {f"{template.code}:{f.key}": "北京良乡示例科技有限公司工会委员会" for f in template.header}
    answers.update({f"{template.code}:employee_count": 150, f"{template.code}:member_count": 140})
    evidence, files = {}, {}
    for item in template.items:
        answers[f"{template.code}:{item.key}"] = {"done": True, "note": ""}
        path = photo_dir / f"{item.no}.jpg"
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        files[sha] = Blob(sha, "image/jpeg", path.read_bytes)
        evidence[f"{template.code}:{item.key}"] = [sha]
    opinion = Opinion(1, "system", "digital", "系统工会意见", "approved", "钱进", "房山区良乡镇总工会",
                      "同意上报。", "2018-05-12")
    snapshot = {"answers": answers, "evidence": evidence, "org": {"full_name": "北京良乡示例科技有限公司工会委员会"}}
    cache = PrintCache(FileStore(cache_dir)) if cache_dir else None
    return PacketSource(snapshot, (template,), (opinion,), files, "2018示范职工之家", 1, cache)


def one_packet(photo_dir, out_dir, cache_dir):
    """Child process: render the packet once; print seconds, peak RSS (MB) and sizes as JSON."""
    from miniapp_backend.packets.build import render_packet
    source = model_home_source(Path(photo_dir), cache_dir)
    started = time.perf_counter()
    files = render_packet(source)
    (Path(out_dir) / "packet.docx").write_bytes(files.docx)
    (Path(out_dir) / "packet.pdf").write_bytes(files.pdf)
    with open(Path(out_dir) / "packet.zip", "wb") as archive:
        files.write_zip(archive)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "pdf": len(files.pdf), "docx": len(files.docx),
                      "zip": (Path(out_dir) / "packet.zip").stat().st_size}))


def run_child(*args):
    """Run this script in a fresh process with arguments; its JSON answer."""
    done = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def ensure_libreoffice():
    """The soffice command, installed from Debian when missing (root only); None if unavailable."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found or shutil.which("apt-get") is None or os.geteuid() != 0:
        return found
    print(f"installing {LIBREOFFICE_PACKAGE} for the comparison (benchmark only) …", flush=True)
    subprocess.run(["apt-get", "update", "-qq"], check=False)
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", LIBREOFFICE_PACKAGE],
                   check=False, stdout=subprocess.DEVNULL)
    return shutil.which("soffice") or shutil.which("libreoffice")


def libreoffice_seconds(soffice, docx, out_dir):
    """Wall time of `soffice --headless --convert-to pdf` on the DOCX (own profile, cold start)."""
    profile = Path(out_dir) / "lo-profile"
    started = time.perf_counter()
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(Path(out_dir) / "lo"), str(docx)], check=True, capture_output=True)
    return time.perf_counter() - started


def signs(count):
    """Child process: render `count` station signs and zip them; print seconds and peak RSS."""
    from miniapp_backend.packets.bundle import build_zip
    from miniapp_backend.packets.qrcodes import qr_png, station_url
    from miniapp_backend.packets.sign_pdf import SignContent, render_sign
    started = time.perf_counter()
    entries = []
    for number in range(count):
        code = f"bench{number:05d}"
        sign = SignContent("北京工会职工暖心驿站", f"房山区第{number + 1}号职工暖心驿站",
                           f"北京市房山区良乡镇拱辰大街{number + 1}号", "周一 08:00-18:00；周二 08:00-18:00",
                           ("饮水", "热饭", "小憩", "如厕"), code,
                           qr_png(station_url("https://zgzj.example.cn", code)),
                           qr_png(f"http://weixin.qq.com/q/{code}"), "微信扫码关注公众号")
        entries.append((f"{code}.pdf", render_sign(sign)))
    archive = build_zip(entries)
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "zip": len(archive)}))


def compare_libreoffice(tmp, first, later):
    """Time LibreOffice converting the benchmark's DOCX and print the ratios to our packets."""
    soffice = ensure_libreoffice()
    if not soffice:
        print("  LibreOffice not available: comparison skipped")
        return
    seconds = libreoffice_seconds(soffice, tmp / "packet.docx", tmp)
    print(f"  LibreOffice headless DOCX→PDF of the same packet: {seconds:.2f} s; ratio to our first "
          f"packet {seconds / first:.1f}×, to a later one {seconds / later:.1f}×  target ≥ "
          f"{TARGET_RATIO}×: {verdict(seconds / first >= TARGET_RATIO)}")


def verdict(ok):
    """The mark printed after a figure."""
    return "OK" if ok else "MISSED"


def main():
    """Run every measurement and print the figures against their targets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="packets rendered, each in a fresh process")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-packets-") as tmp:
        tmp = Path(tmp)
        photo_dir = tmp / "photos"
        photo_dir.mkdir()
        for number in range(1, PHOTOS + 1):
            (photo_dir / f"{number}.jpg").write_bytes(phone_photo(number))
        size_mb = sum(p.stat().st_size for p in photo_dir.iterdir()) / 2 ** 20
        print(f"packet: 示范职工之家, 21 items, {PHOTOS} photos of {PHONE_PHOTO[0]}×{PHONE_PHOTO[1]} ({size_mb:.0f} MB)")
        runs, later = [], []
        for index in range(args.runs):
            cache = tmp / f"cache{index}"
            runs.append(run_child("--packet", str(photo_dir), str(tmp), str(cache)))
            later.append(run_child("--packet", str(photo_dir), str(tmp), str(cache)))
        median = statistics.median(r["seconds"] for r in runs)
        median_later = statistics.median(r["seconds"] for r in later)
        peak = max(r["peak_mb"] for r in runs + later)
        each = ", ".join(f"{r['seconds']:.2f}" for r in runs)
        print(f"  first packet (fresh process: fonts loaded, 21 photos decoded and shrunk): median "
              f"{median:.2f} s [{each}]  target < {TARGET_PACKET_S} s: {verdict(median < TARGET_PACKET_S)}")
        print(f"  later packets of the application (fresh process, print photos cached): median "
              f"{median_later:.2f} s  target < {TARGET_PACKET_S} s: {verdict(median_later < TARGET_PACKET_S)}")
        print(f"  peak memory (RSS): {peak:.0f} MB  target < {TARGET_MB} MB: {verdict(peak < TARGET_MB)}")
        print(f"  sizes: PDF {runs[0]['pdf'] / 2**20:.1f} MB, DOCX {runs[0]['docx'] / 2**20:.1f} MB, "
              f"zip {runs[0]['zip'] / 2**20:.1f} MB")
        compare_libreoffice(tmp, median, median_later)
        batch = run_child("--signs", str(SIGNS))
        print(f"signs: {SIGNS} A4 signs with two QR codes each, zipped: {batch['seconds']:.2f} s "
              f"(peak {batch['peak_mb']:.0f} MB)  target < {TARGET_SIGNS_S} s: "
              f"{verdict(batch['seconds'] < TARGET_SIGNS_S)}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--packet"]:
        one_packet(*sys.argv[2:5])
    elif sys.argv[1:2] == ["--signs"]:
        signs(int(sys.argv[2]))
    else:
        main()
