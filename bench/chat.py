"""Benchmark: POST /wechat (safe mode) under gunicorn, chairs answering 是 through a checklist.

    .venv/bin/python bench/chat.py [--clients 50] [--rounds 3] [--seconds 8] [--rate 300] [--open-seconds 10] [--workers N]

Builds a temporary SQLite database and an embedded redis-server child, the 2018 campaign and a
district with one unit per chair; each chair opens a 示范职工之家 draft through the bot and stands
at item 1, with a pending photo already counted for every item so that each 是 moves on. Then:
(1) closed loop, N clients, against the product and against a minimal wechatpy echo endpoint
(bench/chat_echo.py), both with the product's gunicorn.conf.py and worker count, in alternating
rounds of a fixed time (this machine's speed drifts by a fifth from one second to the next, so
one long run of each would compare two different machines): msgs/s of each round, their ratio
and its median (target: product >= 0.5 x echo); (2) open loop at a fixed arrival rate against
the product, latency measured from each message's scheduled time (no coordinated omission):
p50/p99 (target p99 < 100 ms). Counts non-200 answers and checks that sampled replies name the
next item.
"""
import argparse
import http.client
import math
import os
import queue
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.chat_world import ACCOUNT, AES_KEY, APPID, TOKEN, setup_stores  # noqa: E402
from bench.common import free_port, process_cpu_seconds, stop_process, worker_cpu_seconds  # noqa: E402
from standin import crypto as wx_crypto  # noqa: E402
from standin.callback import build_xml, new_msg_id, new_nonce, parse_xml  # noqa: E402

ANSWERS_PER_CHAIR = 20  # items 1..20 of 21: every answer is a plain item that advances
# The product's closed loop must not run out of chairs: each answers 20 times, never again.
MAX_RATE = 1500
WORKERS = 2 * (os.cpu_count() or 1) + 1  # gunicorn's advice for sync workers; both endpoints get it


@dataclass
class Prepared:
    """One pre-built callback: path with signed query, encrypted body, and the item it answers."""

    path: str
    body: bytes
    item: int


def prepare(message_crypto, openid, item, nonces):
    """Sign and encrypt one 是 (a fresh MsgId, and a nonce not in `nonces`) ahead of the run."""
    # WeChat's nonces are random 10-digit numbers; among a run's tens of thousands one may
    # repeat, and the endpoint rightly refuses a nonce seen again with another body.
    nonce = new_nonce()
    while nonce in nonces:
        nonce = new_nonce()
    nonces.add(nonce)
    timestamp = str(int(time.time()))
    xml = build_xml({"ToUserName": ACCOUNT, "FromUserName": openid, "CreateTime": int(time.time()),
                     "MsgType": "text", "Content": "是", "MsgId": new_msg_id()})
    encrypt = message_crypto.encrypt(xml)
    query = {"signature": wx_crypto.signature(TOKEN, timestamp, nonce), "timestamp": timestamp,
             "nonce": nonce, "openid": openid, "encrypt_type": "aes",
             "msg_signature": wx_crypto.msg_signature(TOKEN, timestamp, nonce, encrypt)}
    body = build_xml({"ToUserName": ACCOUNT, "Encrypt": encrypt}).encode()
    return Prepared("/wechat?" + urlencode(query), body, item)


def prepare_chairs(openids, nonces):
    """Each chair's 20 answers, in order (`nonces`: those used so far in the run)."""
    message_crypto = wx_crypto.MessageCrypto(AES_KEY, APPID)
    return [[prepare(message_crypto, openid, item, nonces) for item in range(1, ANSWERS_PER_CHAIR + 1)]
            for openid in openids]


def start_gunicorn(target, env, log_path, workers=WORKERS):
    """A gunicorn with the product's settings and `workers` sync workers on a free port; returns
    (process, port) once it answers."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "-w", str(workers),
               "-b", f"127.0.0.1:{port}", "--chdir", str(ROOT), "--backlog", "2048", target]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 20
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process, port
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"gunicorn {target} did not start; see {log_path}")


@dataclass
class Tally:
    """Counters shared by the client threads."""

    sent: int = 0
    non_200: int = 0
    statuses: Counter = field(default_factory=Counter)  # of the non-200 answers
    errors: int = 0
    checked: int = 0
    wrong: list = field(default_factory=list)
    latencies: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def send(connection, prepared, tally):
    """POST one prepared request on a keep-alive-if-possible connection; (status, body), or
    None after counting a connection error (the connection is then reopened on next use)."""
    try:
        connection.request("POST", prepared.path, prepared.body, {"Content-Type": "text/xml"})
        response = connection.getresponse()
        return response.status, response.read()
    except (OSError, http.client.HTTPException):
        connection.close()
        with tally.lock:
            tally.errors += 1
        return None


def check_reply(body, item, tally):
    """Decrypt a reply and check it records item n and names item n+1."""
    message = parse_xml(body.decode())
    text = parse_xml(wx_crypto.MessageCrypto(AES_KEY, APPID).decrypt(message["Encrypt"])).get("Content", "")
    with tally.lock:
        tally.checked += 1
        if f"第{item}项已记录" not in text or f"第{item + 1}/21项" not in text:
            tally.wrong.append(text[:120])


def record(tally, status, latency=None):
    """Count one answer (and its latency)."""
    with tally.lock:
        tally.sent += 1
        if status != 200:
            tally.non_200 += 1
            tally.statuses[status] += 1
        if latency is not None:
            tally.latencies.append(latency)


def closed_client(port, work, deadline, tally, check_every):
    """Take chairs off the queue and send each one's answers in order until the deadline."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    while time.monotonic() < deadline:
        try:
            chair = work.get_nowait()
        except queue.Empty:
            return
        for number, prepared in enumerate(chair):
            if time.monotonic() >= deadline:
                return
            answered = send(connection, prepared, tally)
            if answered is None:
                continue
            status, body = answered
            record(tally, status)
            # Decrypting every reply would load the client; a sample proves the flow.
            if check_every and status == 200 and (tally.sent % check_every == 0):
                check_reply(body, prepared.item, tally)


def closed_loop(port, work, clients, seconds, check_every=0):
    """`clients` threads for `seconds`, taking chairs off the queue `work`; returns (seconds
    elapsed, tally)."""
    tally = Tally()
    start = time.monotonic()
    deadline = start + seconds
    threads = [threading.Thread(target=closed_client, args=(port, work, deadline, tally, check_every))
               for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - start
    if work.empty() and elapsed < seconds * 0.95:
        print(f"  warning: ran out of chairs after {elapsed:.1f} s")
    return elapsed, tally


def queued(chairs):
    """A queue of chairs the client threads take from, one chair to one thread."""
    work = queue.Queue()
    for chair in chairs:
        work.put(chair)
    return work


def open_chair(port, chair, slot, chairs, rate, start, tally):
    """One chair's answers at their scheduled times; latency counts from the schedule."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    for round_no, prepared in enumerate(chair):
        scheduled = start + (slot + round_no * chairs) / rate
        delay = scheduled - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        answered = send(connection, prepared, tally)
        if answered is None:
            continue
        status, body = answered
        record(tally, status, time.monotonic() - scheduled)
        if status == 200 and round_no % 5 == 0 and slot % 10 == 0:
            check_reply(body, prepared.item, tally)


def open_loop(port, chairs, rate):
    """Every chair a thread, messages interleaved so arrivals are exactly `rate` per second."""
    tally, start = Tally(), time.monotonic() + 0.5
    threads = [threading.Thread(target=open_chair, args=(port, chair, slot, len(chairs), rate, start, tally))
               for slot, chair in enumerate(chairs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally, time.monotonic() - start


def percentile(values, fraction):
    """The value at `fraction` of the sorted values (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else float("nan")


def report_tally(name, tally):
    """Print the error counts and reply checks of one run."""
    statuses = f" ({', '.join(f'{n} × {s}' for s, n in sorted(tally.statuses.items()))})" if tally.statuses else ""
    print(f"  {name}: sent {tally.sent}, non-200 {tally.non_200}{statuses}, connection errors {tally.errors}, "
          f"replies checked {tally.checked}, wrong {len(tally.wrong)}")
    for text in tally.wrong[:3]:
        print(f"    unexpected reply: {text!r}")


def parse_args():
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=8, help="each endpoint's share of one round")
    parser.add_argument("--rate", type=float, default=300)
    parser.add_argument("--open-seconds", type=float, default=10)
    parser.add_argument("--workers", type=int, default=WORKERS, help="gunicorn workers of each endpoint")
    parser.add_argument("--closed-chairs", type=int, help=f"default: enough for {MAX_RATE} msgs/s in every round")
    args = parser.parse_args()
    if args.closed_chairs is None:
        args.closed_chairs = math.ceil(MAX_RATE * args.seconds * args.rounds / ANSWERS_PER_CHAIR)
    return args


@dataclass
class Side:
    """One endpoint under load: its gunicorn, port, queue of chairs, and what its rounds measured."""

    name: str
    gunicorn: subprocess.Popen
    port: int
    work: queue.Queue
    check_every: int = 0
    rates: list = field(default_factory=list)
    sent: int = 0
    seconds: float = 0.0
    cpu: list = field(default_factory=lambda: [0.0, 0.0, 0.0])
    tallies: list = field(default_factory=list)

    def measure(self, redis, args):
        """One closed-loop round, adding the CPU its parties spent: (gunicorn's workers, the Redis
        server, this process's client threads) in seconds."""
        def spent():
            """CPU seconds so far of each party."""
            return worker_cpu_seconds(self.gunicorn), process_cpu_seconds(redis), time.process_time()
        before = spent()
        elapsed, tally = closed_loop(self.port, self.work, args.clients, args.seconds, self.check_every)
        self.cpu = [total + after - start for total, after, start in zip(self.cpu, spent(), before)]
        self.rates.append(tally.sent / elapsed)
        self.sent += tally.sent
        self.seconds += elapsed
        self.tallies.append(tally)

    def cpu_line(self):
        """Its msgs/s over all rounds with the CPU a message by party."""
        workers, redis, clients = (seconds * 1000 / max(self.sent, 1) for seconds in self.cpu)
        return (f"  {self.name:7} {self.sent / self.seconds:8.1f} msgs/s   CPU a message: workers {workers:.2f} ms, "
                f"Redis {redis:.2f} ms, clients {clients:.2f} ms")


def merged(tallies):
    """One Tally summing the counts of several."""
    total = Tally()
    for tally in tallies:
        total.sent += tally.sent
        total.non_200 += tally.non_200
        total.statuses += tally.statuses
        total.errors += tally.errors
        total.checked += tally.checked
        total.wrong += tally.wrong
    return total


def run(args, env, openids, var_dir, redis):
    """Both gunicorns, the alternating rounds and the open loop, the figures."""
    open_chairs = int(args.rate * args.open_seconds / ANSWERS_PER_CHAIR)
    nonces = set()
    chairs = prepare_chairs(openids, nonces)
    closed, opened = chairs[:args.closed_chairs], chairs[args.closed_chairs:][:open_chairs]
    # The echo endpoint keeps no state: the same 2,000 answers repeat, enough for 6,000 msgs/s.
    echo_chairs = prepare_chairs([f"o-echo-{n}" for n in range(100)], nonces) * math.ceil(
        3 * args.seconds * args.rounds)
    echo_process, echo_port = start_gunicorn("bench.chat_echo:app", env, var_dir / "echo.log", args.workers)
    try:
        product_process, port = start_gunicorn("bench.chat_world:product_app()", env, var_dir / "product.log",
                                               args.workers)
        try:
            echo = Side("echo", echo_process, echo_port, queued(echo_chairs))
            product = Side("product", product_process, port, queued(closed), check_every=50)
            for _round in range(args.rounds):
                echo.measure(redis, args)
                product.measure(redis, args)
            open_tally, open_elapsed = open_loop(port, opened, args.rate)
        finally:
            stop_process(product_process)
    finally:
        stop_process(echo_process)
    report(args, echo, product, open_tally, open_elapsed, len(opened))
    if merged([*echo.tallies, *product.tallies, open_tally]).non_200:
        show_refusals(var_dir)


def show_refusals(var_dir):
    """What the gunicorns logged about the requests they refused or failed."""
    for log in ("echo.log", "product.log"):
        lines = [line for line in (var_dir / log).read_text(errors="replace").splitlines()
                 if "WARNING" in line or "ERROR" in line or "Error" in line]
        for line in lines[:10]:
            print(f"  {log}: {line}")


def report(args, echo, product, open_tally, open_elapsed, open_chairs):
    """Print the figures of both loops."""
    print(f"closed loop, {args.clients} clients, {args.rounds} rounds of {args.seconds:.0f} s on each endpoint, "
          f"gunicorn -w {args.workers}:")
    ratios = [p / e for p, e in zip(product.rates, echo.rates)]
    for number, (e, p, ratio) in enumerate(zip(echo.rates, product.rates, ratios), 1):
        print(f"  round {number}: echo {e:7.1f} msgs/s, product {p:7.1f} msgs/s, product / echo = {ratio:.2f}")
    # Where the ratio comes from: both loops share the machine's cores with the clients, and
    # the product with the Redis server (the echo endpoint does not use it).
    print(echo.cpu_line())
    print(product.cpu_line())
    print(f"  product / echo = {percentile(ratios, 0.5):.2f} (median of the rounds; "
          f"all rounds together {product.sent / product.seconds / (echo.sent / echo.seconds):.2f})  (target >= 0.5)")
    report_tally("echo", merged(echo.tallies))
    report_tally("product", merged(product.tallies))
    lat = [value * 1000 for value in open_tally.latencies]
    print(f"open loop, {args.rate:.0f} msgs/s scheduled for {open_elapsed:.1f} s "
          f"({open_chairs} chairs): achieved {open_tally.sent / open_elapsed:.1f} msgs/s")
    print(f"  p50 {percentile(lat, 0.50):.1f} ms, p99 {percentile(lat, 0.99):.1f} ms, "
          f"max {max(lat, default=float('nan')):.1f} ms  (target p99 < 100 ms)")
    report_tally("open loop", open_tally)


def main():
    """Set up, run, tear down everything started here."""
    args = parse_args()
    var_dir = Path(tempfile.mkdtemp(prefix="bench-chat-"))
    open_chairs = int(args.rate * args.open_seconds / ANSWERS_PER_CHAIR)
    began = time.monotonic()
    redis, env, openids = setup_stores(var_dir, args.closed_chairs + open_chairs)
    print(f"setup: {len(openids)} chairs at item 1 in {time.monotonic() - began:.1f} s")
    try:
        run(args, env, openids, var_dir, redis)
    finally:
        stop_process(redis)
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
