#!/usr/bin/env python3
"""Time sipsleuth against tshark on the same capture, side by side.

For each capture: run each command REPEAT times (output to /dev/null), keep the best wall time,
and read each run's peak RSS from wait4(2). Prints MB/s for both tools, the speed ratio and
peak memory. Nothing here is a pass/fail test: the numbers are for people to read.

Usage: bench.py SIPSLEUTH MODE CAPTURE... [--repeat N]
  MODE messages: `sipsleuth messages FILE` vs `tshark -r FILE -Y sip -T fields ...`
  MODE calls:    `sipsleuth calls FILE`    vs `tshark -q -z sip,stat -r FILE`
  MODE analyze:  `sipsleuth analyze FILE`  vs `tshark -q -z sip,stat -r FILE`
"""
import os
import sys
import time


def run(cmd):
    t0 = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        try:
            os.execvp(cmd[0], cmd)
        finally:
            os._exit(127)
    _, status, ru = os.wait4(pid, 0)
    dt = time.perf_counter() - t0
    code = os.waitstatus_to_exitcode(status)
    return dt, ru.ru_maxrss * 1024, code  # ru_maxrss is KiB on Linux


TSHARK_FIELDS = ["-T", "fields", "-e", "frame.number", "-e", "frame.time_epoch", "-e", "ip.src",
                 "-e", "ip.dst", "-e", "sip.Request-Line", "-e", "sip.Status-Line",
                 "-e", "sip.Call-ID", "-e", "sip.CSeq"]


def commands(sipsleuth, mode, path):
    if mode == "messages":
        return ([sipsleuth, "messages", path],
                ["tshark", "-n", "-r", path, "-Y", "sip"] + TSHARK_FIELDS)
    if mode in ("calls", "analyze"):
        return ([sipsleuth, mode, path], ["tshark", "-n", "-q", "-z", "sip,stat", "-r", path])
    raise SystemExit("unknown mode " + mode)


def best(cmd, repeat):
    runs = [run(cmd) for _ in range(repeat)]
    for _, _, code in runs:
        if code != 0:
            raise SystemExit("command failed (%d): %s" % (code, " ".join(cmd)))
    return min(r[0] for r in runs), max(r[1] for r in runs)


def main():
    args = sys.argv[1:]
    repeat = 3
    if "--repeat" in args:
        i = args.index("--repeat")
        repeat = int(args[i + 1])
        del args[i:i + 2]
    sipsleuth, mode, files = args[0], args[1], args[2:]
    print("%-28s %9s | %10s %9s | %10s %9s | %7s" % (
        "capture (" + mode + ")", "MB", "sipsleuth", "peak RSS", "tshark", "peak RSS", "ratio"))
    for path in files:
        mb = os.path.getsize(path) / 1e6
        ours, theirs = commands(sipsleuth, mode, path)
        t_ours, rss_ours = best(ours, repeat)
        t_ts, rss_ts = best(theirs, 1 if mb > 200 else repeat)
        print("%-28s %9.1f | %6.0f MB/s %6.1f MB | %6.1f MB/s %6.1f MB | %6.1fx" % (
            os.path.basename(path)[:28], mb, mb / t_ours, rss_ours / 1e6, mb / t_ts,
            rss_ts / 1e6, t_ts / t_ours))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
