#!/usr/bin/env python3
"""Runs claimauditd the way systemd would and checks its sd_notify protocol.

systemd does not run in CI, so this stands in for it: it listens on a datagram socket, points
NOTIFY_SOCKET and WATCHDOG_USEC at it, starts the daemon, and requires, in this order:

  READY=1          within --ready-timeout seconds of the start
  WATCHDOG=1       at least --min-pings times, never more than WATCHDOG_USEC apart
  STOPPING=1       after SIGTERM, then exit status 0 within TimeoutStopSec

Two modes:

  --unit FILE      the installed unit: the command line is the unit's ExecStart=, run as its
                   User=/Group= (with their supplementary groups, as systemd's initgroups),
                   with NoNewPrivileges, the capabilities of its AmbientCapabilities= (ambient
                   and inheritable) within its CapabilityBoundingSet=, and no others, its
                   UMask=, working directory /, its
                   Environment=, and RuntimeDirectory=/StateDirectory= created as systemd
                   creates them. Unless --no-sandbox, the unit's file-system and namespace
                   sandbox is rebuilt with unshare(1) and mount(8): ProtectSystem=strict (every
                   mount read-only but /proc, /sys, /dev), writable StateDirectory=,
                   RuntimeDirectory= and ReadWritePaths=, PrivateTmp=, ProtectHome=,
                   PrivateNetwork=, PrivateIPC=; so a daemon that writes outside its state
                   directory, or needs the network, fails here as it would under systemd.
                   (The system-call filter is not reproduced: `systemd-analyze security` checks
                   the unit's settings, not the daemon's calls.)
                   --expect-socket/--expect-db check the modes and group of the files the
                   daemon creates (STYLE.md 5: socket 0660, database 0640). With --inbox, a
                   file written there in place by root (not the daemon's user) while a second
                   writer still has it open must not be taken before the last close (the
                   daemon can ask only with the unit's CAP_LEASE), and must end in archive/.
  --exec BINARY    a build-tree daemon as the current user, with --state-dir in a fresh
                   temporary directory, from --cwd (CTest, label "packaging").

Exit status 0 when every check passes; 1 with the reason and the daemon's output otherwise.
"""

import argparse
import grp
import os
import pwd
import shlex
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time


def fail(message, output=None):
    print(f"service_notify: FAIL: {message}", file=sys.stderr)
    if output:
        print("--- daemon output ---", file=sys.stderr)
        print(output, file=sys.stderr)
    sys.exit(1)


def parse_unit(path):
    """The [Service] section as {key: [values in order]}; continuation lines joined."""
    section = None
    service = {}
    with open(path, encoding="utf-8") as unit:
        pending = ""
        for raw in unit:
            line = raw.rstrip("\n")
            if pending:
                line = pending + line.lstrip()
                pending = ""
            if line.endswith("\\"):
                pending = line[:-1] + " "
                continue
            stripped = line.strip()
            if not stripped or stripped[0] in "#;":
                continue
            if stripped.startswith("[") and stripped.endswith("]"):
                section = stripped[1:-1]
                continue
            if section == "Service" and "=" in stripped:
                key, value = stripped.split("=", 1)
                service.setdefault(key.strip(), []).append(value.strip())
    return service


def last(service, key, default=None):
    values = service.get(key)
    return values[-1] if values else default


def seconds(value):
    """A systemd time span ("30s", "1min 30s", "500ms", "90") in seconds."""
    units = {"us": 1e-6, "ms": 1e-3, "s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600}
    total = 0.0
    for part in value.split():
        number = part.rstrip("abcdefghijklmnopqrstuvwxyz")
        unit = part[len(number):] or "s"
        total += float(number) * units[unit]
    return total


def setpriv_caps(service, key):
    """A capability setting of the unit (AmbientCapabilities=CAP_LEASE) as setpriv(1) lists it:
    "-all,+lease". An empty assignment resets the list, as in systemd."""
    names = []
    for value in service.get(key, []):
        if not value:
            names = []
            continue
        if value.startswith("~"):
            fail(f"{key}={value}: an inverted list is not reproduced here")
        for name in value.split():
            name = name.lower()
            names.append(name[4:] if name.startswith("cap_") else name)
    return ",".join(["-all"] + [f"+{name}" for name in names])


def environment_lines(values):
    env = {}
    for value in values:
        for assignment in shlex.split(value):
            key, _, val = assignment.partition("=")
            env[key] = val
    return env


def make_directory(path, mode, uid, gid):
    os.makedirs(path, exist_ok=True)
    os.chown(path, uid, gid)
    os.chmod(path, mode)


def describe(path):
    info = os.stat(path)
    return (stat.S_IMODE(info.st_mode), grp.getgrgid(info.st_gid).gr_name)


def yes(service, key):
    return (last(service, key) or "no").lower() in ("yes", "true", "1", "on")


def sandbox(service, writable):
    """unshare(1) options and a shell prologue that rebuild the unit's mount sandbox."""
    prefix = ["unshare", "--mount"]
    if yes(service, "PrivateNetwork"):
        prefix.append("--net")
    if yes(service, "PrivateIPC"):
        prefix.append("--ipc")
    lines = ["set -e", "mount --make-rprivate /"]
    if last(service, "ProtectSystem") == "strict":
        # Every mount read-only except the API file systems, as ProtectSystem=strict does.
        lines.append("for m in $(awk '{print $5}' /proc/self/mountinfo | sort -u); do "
                     "case $m in /proc|/proc/*|/sys|/sys/*|/dev|/dev/*) continue;; esac; "
                     "mount -o remount,bind,ro \"$m\" 2>/dev/null || true; done")
    if yes(service, "PrivateTmp"):
        lines += ["mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /tmp",
                  "mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /var/tmp"]
    if yes(service, "ProtectHome"):
        for path in ("/home", "/root", "/run/user"):
            if os.path.isdir(path):
                lines.append(f"mount -t tmpfs -o mode=000,nosuid,nodev tmpfs {path}")
    for path in writable:
        quoted = shlex.quote(path)
        lines.append(f"mount --bind {quoted} {quoted}")
        lines.append(f"mount -o remount,bind,rw {quoted}")
    if last(service, "ProtectSystem") == "strict":
        # The sandbox must really be there: a write to /etc fails, one to the state dir works.
        lines.append("if touch /etc/.claimaudit-sandbox 2>/dev/null; then "
                     "rm -f /etc/.claimaudit-sandbox; echo 'sandbox: /etc is writable' >&2; "
                     "exit 97; fi")
    lines.append("set +e")
    return prefix, "; ".join(lines) + "; "


def check_two_writers(args, output):
    """A file written in place by root (another user than the daemon's) while a second writer
    still has it open is not taken at the first close, and is audited whole after the last.
    Whether a file still has a writer, the daemon asks with a read lease, which it may take on
    a file it does not own only with CAP_LEASE; without it the first close took the file half
    written (quarantined as broken JSON)."""
    with open(args.example, "rb") as example:
        whole = example.read()
    name = f"service-notify-{os.getpid()}.json"
    path = os.path.join(args.inbox, name)
    first = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
    second = os.open(path, os.O_WRONLY | os.O_APPEND)
    try:
        os.write(first, whole[:len(whole) // 2])
        os.close(first)
        first = None
        time.sleep(1.5)  # Long enough for the daemon to take it, were it to.
        if not os.path.exists(path):
            fail(f"{path} was taken at its first close, while a second writer still had it "
                 "open (no CAP_LEASE for the daemon?)", output())
        os.write(second, whole[len(whole) // 2:])
    finally:
        if first is not None:
            os.close(first)
        os.close(second)
    deadline = time.monotonic() + 15
    while os.path.exists(path) and time.monotonic() < deadline:
        time.sleep(0.1)
    if os.path.exists(path):
        fail(f"{path} not taken within 15 s of its last close", output())
    state = os.path.dirname(os.path.normpath(args.inbox))  # As configured by the package.
    places = {}
    while time.monotonic() < deadline and not places:
        for place in ("archive", "quarantine"):
            for folder, _, files in os.walk(os.path.join(state, place)):
                if name in files:
                    places[place] = os.path.join(folder, name)
        time.sleep(0.1)
    if "archive" not in places:
        where = places.get("quarantine", "neither archive/ nor quarantine/")
        fail(f"{name}, written by two writers, ended in {where}, not archive/", output())
    print(f"service_notify: a file written in place by two writers (root's) was taken at its "
          f"last close: {places['archive']}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--unit", help="installed unit file to emulate")
    mode.add_argument("--exec", dest="binary", help="claimauditd binary (build tree)")
    parser.add_argument("--watchdog-usec", type=int, default=1_000_000,
                        help="WATCHDOG_USEC given to the daemon (default 1 s, for a short test)")
    parser.add_argument("--min-pings", type=int, default=3)
    parser.add_argument("--ready-timeout", type=float, default=20.0)
    parser.add_argument("--expect-socket", help="(unit mode) socket path: 0660, group of the unit")
    parser.add_argument("--expect-db", help="(unit mode) database path: 0640, group of the unit")
    parser.add_argument("--inbox", help="(unit mode) a drop folder of the unit's configuration: "
                        "a file written there in place by two writers is taken at the last close")
    parser.add_argument("--example", help="(with --inbox) a claim file the rules audit cleanly")
    parser.add_argument("--cwd", help="(exec mode) working directory (default: a temporary one)")
    parser.add_argument("--no-sandbox", action="store_true",
                        help="(unit mode) do not rebuild the unit's mount and network sandbox")
    args = parser.parse_args()

    # Under /run, like systemd's own notify socket: PrivateTmp= hides the host's /tmp.
    work = tempfile.mkdtemp(prefix="claimaudit-notify-",
                            dir="/run" if args.unit and os.access("/run", os.W_OK) else None)
    os.chmod(work, 0o755)
    notify_path = os.path.join(work, "notify")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    listener.bind(notify_path)
    os.chmod(notify_path, 0o666)  # The daemon may run as another user.

    env = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
           "LANG": "C.UTF-8",
           "NOTIFY_SOCKET": notify_path,
           "WATCHDOG_USEC": str(args.watchdog_usec)}
    umask = 0o022
    cwd = "/"
    stop_timeout = 30.0
    created_runtime = None

    if args.unit:
        service = parse_unit(args.unit)
        if last(service, "Type") != "notify":
            fail(f"{args.unit}: Type= is {last(service, 'Type')}, not notify")
        exec_start = shlex.split(last(service, "ExecStart"))
        exec_start[0] = exec_start[0].lstrip("-@+!:")
        user = last(service, "User", "root")
        group = last(service, "Group", user)
        account = pwd.getpwnam(user)
        gid = grp.getgrnam(group).gr_gid
        umask = int(last(service, "UMask", "0022"), 8)
        cwd = last(service, "WorkingDirectory", "/")
        stop_timeout = seconds(last(service, "TimeoutStopSec", "90s"))
        env.update({"USER": user, "LOGNAME": user, "HOME": account.pw_dir,
                    "SHELL": account.pw_shell})
        env.update(environment_lines(service.get("Environment", [])))
        for name in (last(service, "StateDirectory") or "").split():
            path = os.path.join("/var/lib", name)
            if not os.path.isdir(path):
                make_directory(path, int(last(service, "StateDirectoryMode", "0755"), 8),
                               account.pw_uid, gid)
        for name in (last(service, "RuntimeDirectory") or "").split():
            created_runtime = os.path.join("/run", name)
            make_directory(created_runtime, int(last(service, "RuntimeDirectoryMode", "0755"), 8),
                           account.pw_uid, gid)
            env["RUNTIME_DIRECTORY"] = created_runtime
        writable = [os.path.join("/var/lib", name)
                    for name in (last(service, "StateDirectory") or "").split()]
        writable += [os.path.join("/run", name)
                     for name in (last(service, "RuntimeDirectory") or "").split()]
        for value in service.get("ReadWritePaths", []):
            for path in value.split():
                if not (path.startswith("-") and not os.path.exists(path[1:])):
                    writable.append(path.lstrip("-"))
        prefix, script = [], ""
        if not args.no_sandbox:
            prefix, script = sandbox(service, writable)
        # WATCHDOG_PID must be the daemon's own pid: the shell (which unshare execs in the same
        # process) exports its $$ and execs setpriv, which execs the daemon, still that process.
        # The unit's ambient capabilities (CAP_LEASE: a read lease on a producer's file) are
        # read from it, as systemd grants them to the non-root User=.
        ambient = setpriv_caps(service, "AmbientCapabilities")
        command = prefix + ["sh", "-c", script + 'WATCHDOG_PID=$$ exec "$@"', "sh",
                            "setpriv", f"--reuid={account.pw_uid}", f"--regid={gid}",
                            "--init-groups", "--no-new-privs", f"--inh-caps={ambient}",
                            f"--ambient-caps={ambient}",
                            f"--bounding-set={setpriv_caps(service, 'CapabilityBoundingSet')}",
                            "--"] + exec_start
    else:
        state = os.path.join(work, "state")
        os.mkdir(state)
        command = ["sh", "-c", 'WATCHDOG_PID=$$ exec "$@"', "sh",
                   args.binary, "--state-dir", state]
        cwd = args.cwd or work

    print("service_notify: starting:", " ".join(shlex.quote(c) for c in command))
    log_path = os.path.join(work, "daemon.log")
    log = open(log_path, "w+b")
    started = time.monotonic()
    daemon = subprocess.Popen(command, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=log,
                              stderr=subprocess.STDOUT, preexec_fn=lambda: os.umask(umask))

    def output():
        log.flush()
        with open(log_path, encoding="utf-8", errors="replace") as text:
            return text.read()

    messages = []  # (seconds since start, "KEY=value")

    def receive(until, stop_when):
        """Collects notifications until `until` (monotonic) or stop_when(messages) is true."""
        while time.monotonic() < until:
            if stop_when(messages):
                return True
            listener.settimeout(max(0.01, min(0.2, until - time.monotonic())))
            try:
                data = listener.recv(4096)
            except socket.timeout:
                if daemon.poll() is not None:
                    return stop_when(messages)
                continue
            at = time.monotonic() - started
            for line in data.decode("utf-8", "replace").splitlines():
                messages.append((at, line))
                print(f"service_notify: {at:7.3f}s {line}")
        return stop_when(messages)

    def has(key):
        return lambda ms: any(m == key for _, m in ms)

    try:
        if not receive(started + args.ready_timeout, has("READY=1")):
            fail(f"no READY=1 within {args.ready_timeout} s (exit status {daemon.poll()})",
                 output())
        ready_at = next(at for at, m in messages if m == "READY=1")
        print(f"service_notify: READY=1 after {ready_at * 1000:.0f} ms")

        if args.unit and args.expect_socket:
            if not os.path.exists(args.expect_socket):
                fail(f"READY=1 sent but {args.expect_socket} does not exist", output())
            if not stat.S_ISSOCK(os.stat(args.expect_socket).st_mode):
                fail(f"{args.expect_socket} is not a socket")
            mode, group_name = describe(args.expect_socket)
            if (mode, group_name) != (0o660, group):
                fail(f"{args.expect_socket}: mode {mode:04o} group {group_name}, "
                     f"want 0660 {group}")
        if args.unit and args.expect_db:
            if not os.path.exists(args.expect_db):
                fail(f"READY=1 sent but {args.expect_db} does not exist", output())
            mode, group_name = describe(args.expect_db)
            if (mode, group_name) != (0o640, group):
                fail(f"{args.expect_db}: mode {mode:04o} group {group_name}, want 0640 {group}")

        interval = args.watchdog_usec / 1e6
        wanted = args.min_pings

        def enough_pings(ms):
            return sum(1 for at, m in ms if m == "WATCHDOG=1" and at >= ready_at) >= wanted

        if not receive(time.monotonic() + interval * (wanted + 1), enough_pings):
            fail(f"fewer than {wanted} WATCHDOG=1 within {interval * (wanted + 1):.1f} s "
                 f"of READY=1", output())
        pings = [at for at, m in messages if m == "WATCHDOG=1" and at >= ready_at]
        gaps = [b - a for a, b in zip([ready_at] + pings, pings)]
        if max(gaps) > interval:
            fail(f"WATCHDOG=1 gap of {max(gaps):.3f} s exceeds WATCHDOG_USEC ({interval} s)")
        print(f"service_notify: {len(pings)} WATCHDOG=1, largest gap {max(gaps) * 1000:.0f} ms")

        # After the watchdog's pings: notifications are timed when read, not while this waits.
        if args.unit and args.inbox:
            check_two_writers(args, output)

        if daemon.poll() is not None:
            fail(f"daemon exited early with status {daemon.returncode}", output())
        sent_term = time.monotonic()
        daemon.send_signal(signal.SIGTERM)
        if not receive(sent_term + stop_timeout, has("STOPPING=1")):
            fail("no STOPPING=1 after SIGTERM", output())
        try:
            status = daemon.wait(timeout=max(0.1, sent_term + stop_timeout - time.monotonic()))
        except subprocess.TimeoutExpired:
            fail(f"daemon still running {stop_timeout} s after SIGTERM", output())
        if status != 0:
            fail(f"exit status {status} after SIGTERM, want 0", output())
        print(f"service_notify: STOPPING=1, exit 0 after "
              f"{(time.monotonic() - sent_term) * 1000:.0f} ms")
        if args.unit and args.expect_socket and os.path.exists(args.expect_socket):
            fail(f"{args.expect_socket} left behind after a clean stop")
        lines = output().splitlines()
        print(f"service_notify: daemon output ({len(lines)} lines, the last 30):")
        for line in lines[-30:]:
            print(f"  | {line}")
        print("service_notify: OK")
    finally:
        if daemon.poll() is None:
            daemon.kill()
            daemon.wait()
        listener.close()
        log.close()
        if created_runtime:  # systemd removes RuntimeDirectory= when the service stops.
            subprocess.run(["rm", "-rf", created_runtime], check=False)
        subprocess.run(["rm", "-rf", work], check=False)


if __name__ == "__main__":
    main()
