"""`python -m standin`: serve the stand-in until SIGTERM or SIGINT."""
import argparse
import os
import signal
import threading

from standin.server import StandinServer
from standin.settings import StandinSettings


def _arguments():
    """Command-line options; the apps, token and AES key come from the product's env names."""
    parser = argparse.ArgumentParser(prog="python -m standin", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8900, help="0 picks a free port")
    parser.add_argument("--callback-url", default=None, help="our /wechat endpoint")
    parser.add_argument("--aes-key", default=None, help="EncodingAESKey: safe mode")
    parser.add_argument("--token-lifetime", type=int, default=None, help="seconds (7200)")
    return parser.parse_args()


def main():
    """Start, print the ready line, wait for a signal, stop cleanly."""
    args = _arguments()
    settings = StandinSettings.from_env(os.environ, callback_url=args.callback_url,
                                        aes_key=args.aes_key, token_lifetime=args.token_lifetime)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    server = StandinServer(settings, args.host, args.port).start()
    print(f"standin ready on {server.url}", flush=True)
    stop.wait()
    server.stop()


if __name__ == "__main__":
    main()
