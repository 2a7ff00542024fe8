"""Run a private syslog-ng for a test: its own config, persist file, pid
file and control socket in a temporary directory, the module from the
build tree."""
import json
import os
import shutil
import subprocess
import sys
import time

SKIP = 77


def need_tools():
    for tool in ("syslog-ng", "syslog-ng-ctl", "loggen"):
        if not shutil.which(tool, path=os.environ.get("PATH", "") + ":/usr/sbin"):
            print(f"SKIP: {tool} not installed", file=sys.stderr)
            sys.exit(SKIP)


def args_or_skip(argv):
    """TSBLOG MODULE_DIR SYSLOG_NG_MODULE_DIR DATA_DIR [SCL_FILE] as
    (tsblog, module dirs, data dir, SCL file or None); exits with the skip
    status when the module was not built or syslog-ng is not installed."""
    tsblog, module_dir, sng_module_dir, data_dir = argv[1:5]
    if not module_dir:
        print("SKIP: tsblog-parser() not built", file=sys.stderr)
        sys.exit(SKIP)
    need_tools()
    scl = os.path.abspath(argv[5]) if len(argv) > 5 else None
    return tsblog, [module_dir, sng_module_dir], data_dir, scl


def cli_diagnoses(tsblog, *args):
    """(rule, fields) of each diagnosis `tsblog -o json ARGS...` prints."""
    r = subprocess.run([tsblog, "-o", "json", *args], capture_output=True, text=True)
    assert r.returncode in (0, 1), r.stderr
    return [(d["rule"], d["fields"]) for d in map(json.loads, r.stdout.splitlines())]


def operator_sample(tsblog, data_dir):
    """The lines of tests/data/sample/operator.log and the command's
    (rule, fields) for them."""
    sample = os.path.join(data_dir, "sample", "operator.log")
    with open(sample) as f:
        lines = f.read().splitlines()
    want = cli_diagnoses(tsblog, sample)
    assert want
    return lines, want


def tool(name):
    return shutil.which(name, path=os.environ.get("PATH", "") + ":/usr/sbin")


class SyslogNg:
    def __init__(self, tmp, module_dirs, config):
        self.tmp = tmp
        self.conf = os.path.join(tmp, "syslog-ng.conf")
        self.ctl = os.path.join(tmp, "ctl")
        self.log = os.path.join(tmp, "syslog-ng.log")
        self.write_config(config)
        self.logf = open(self.log, "w")
        self.proc = subprocess.Popen(
            [tool("syslog-ng"), "-F", "-e", "--no-caps", "-f", self.conf,
             "-R", os.path.join(tmp, "persist"), "-p", os.path.join(tmp, "pid"),
             "-c", self.ctl, "--module-path=" + ":".join(module_dirs)],
            stdout=self.logf, stderr=subprocess.STDOUT)
        self.wait_for(lambda: os.path.exists(self.ctl) and
                      "syslog-ng starting up" in self.log_text(), 20,
                      "syslog-ng did not start")

    def write_config(self, config):
        with open(self.conf, "w") as f:
            f.write(config)

    def log_text(self):
        with open(self.log) as f:
            return f.read()

    def wait_for(self, cond, timeout, what):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise AssertionError(f"syslog-ng exited ({self.proc.returncode}):\n"
                                     + self.log_text())
            if cond():
                return
            time.sleep(0.05)
        raise AssertionError(what + "\n" + self.log_text())

    def ctl_cmd(self, *args):
        return subprocess.run([tool("syslog-ng-ctl"), *args, "-c", self.ctl],
                              capture_output=True, text=True, timeout=30)

    def stats(self):
        """{(component;id;instance, type): value} from syslog-ng-ctl stats."""
        out = self.ctl_cmd("stats").stdout
        stats = {}
        for line in out.splitlines()[1:]:
            parts = line.split(";")
            if len(parts) == 6:
                stats[(";".join(parts[:3]), parts[4])] = int(parts[5])
        return stats

    def stop(self):
        if self.proc.poll() is None:
            self.ctl_cmd("stop")
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.logf.close()


def push(sock, path, connections=1):
    """Send every line of @path over the Unix stream socket (once per
    connection, the connections at once), then return:
    loggen stops at the end of the file; -I only bounds the run (its
    default, 10 s, would silently cut a slow run short); its rate, 1000
    messages a second unless -r says otherwise, would make it slow."""
    r = subprocess.run([tool("loggen"), "-x", "-S", "-d", "-I", "300", "-Q",
                        "-r", "100000000", f"--active-connections={connections}",
                        "-R", path, sock], capture_output=True, text=True,
                       timeout=320)
    if r.returncode not in (0, 1):
        raise AssertionError(f"loggen failed: {r.stderr}")


def count_lines(path):
    try:
        with open(path, "rb") as f:
            return sum(1 for _ in f)
    except FileNotFoundError:
        return 0
