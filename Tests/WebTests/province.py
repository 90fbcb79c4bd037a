"""Real hub-server and replica-node processes on loopback ports, with temporary databases."""

import csv
import json
import os
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BUILD = Path(os.environ.get("WEB_TEST_BUILD_DIR", ROOT / ".build" / "debug"))
HUB_SERVER = BUILD / "hub-server"
REPLICA_NODE = BUILD / "replica-node"
SAMPLES = Path(os.environ.get("WEB_TEST_SAMPLES", Path(__file__).with_name("sample-proposals.csv")))
PASSWORD = "province-2026!"
USERS = {"coordinatrice": "admin", "repondant": "answer", "lecteur": "read"}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(*args, stdin=None):
    """Runs a command, returns its standard output, fails with its standard error."""
    result = subprocess.run(
        [str(arg) for arg in args], input=stdin, capture_output=True, text=True, timeout=120
    )
    if result.returncode != 0:
        raise AssertionError(f"{' '.join(map(str, args))} exited {result.returncode}: {result.stderr}")
    return result.stdout


def wait_for(url, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"{url} did not answer within {seconds} s")


class Server:
    """A serving process, stopped with SIGTERM."""

    def __init__(self, args, log_path, health):
        self.log = open(log_path, "w")
        self.process = subprocess.Popen([str(a) for a in args], stdout=self.log, stderr=subprocess.STDOUT)
        wait_for(health)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()


class Hub:
    def __init__(self, folder):
        self.folder = Path(folder)
        self.db = self.folder / "hub.sqlite"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        for username, role in USERS.items():
            self.cli("user", "add", "--username", username, "--role", role, "--password-stdin", stdin=PASSWORD + "\n")
        self.server = Server(
            [HUB_SERVER, "serve", "--db", self.db, "--port", self.port, "--log-level", "warning"],
            self.folder / "hub.log",
            self.url + "/health",
        )

    def cli(self, *args, stdin=None):
        """Runs `hub-server COMMAND [SUBCOMMAND] --db HUB ARGS…` (`user` takes a subcommand)."""
        command = args[:2] if args[0] == "user" else args[:1]
        return run(HUB_SERVER, *command, "--db", self.db, *args[len(command):], stdin=stdin)

    def enroll(self, commune, label):
        return json.loads(self.cli("enroll", "--commune", commune, "--name", label, "--json"))["token"]

    def stop(self):
        self.server.stop()


class Replica:
    def __init__(self, hub, commune, label, folder):
        self.commune = commune
        self.folder = Path(folder)
        self.db = self.folder / f"{commune}.sqlite"
        self.hub = hub
        token = hub.enroll(commune, label)
        run(REPLICA_NODE, "init", "--db", self.db, "--commune", commune, "--hub", hub.url, "--token-stdin",
            stdin=token + "\n")
        self.server = None
        self.url = None

    def cli(self, command, *args, json_output=False):
        parts = command.split(" ")
        extra = ["--json"] if json_output else []
        out = run(REPLICA_NODE, *parts, "--db", self.db, *extra, *args)
        return json.loads(out) if json_output else out

    def serve(self):
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.server = Server(
            [REPLICA_NODE, "serve", "--db", self.db, "--port", port],
            self.folder / f"{self.commune}-serve.log",
            self.url + "/assets/app.css",
        )
        return self

    def sync(self):
        return self.cli("sync", json_output=True)

    def import_samples(self):
        with open(SAMPLES, newline="", encoding="utf-8") as source:
            rows = [row for row in csv.DictReader(source) if row["commune"] == self.commune]
        path = self.folder / f"{self.commune}.csv"
        with open(path, "w", newline="", encoding="utf-8") as target:
            writer = csv.DictWriter(target, fieldnames=["title", "body", "category"])
            writer.writeheader()
            for row in rows:
                writer.writerow({key: row[key] for key in ("title", "body", "category")})
        self.cli("import", "--csv", path, "--author", f"bureau {self.commune}")
        return len(rows)

    def proposals(self):
        return self.cli("proposal list", json_output=True)

    def stop(self):
        if self.server:
            self.server.stop()


class Province:
    """A hub, its three communes' replicas (the Essaouira office serving its pages), sample data,
    comments, supports, and one open conflict on a title."""

    def __init__(self):
        self.temp = tempfile.TemporaryDirectory(prefix="essaouira-web-")
        folder = Path(self.temp.name)
        self.hub = Hub(folder)
        self.replicas = {
            commune: Replica(self.hub, commune, label, folder)
            for commune, label in [
                ("essaouira", "Bureau d'Essaouira"),
                ("ounagha", "Bureau d'Ounagha"),
                ("tamanar", "Ordinateur de terrain Tamanar"),
            ]
        }
        for replica in self.replicas.values():
            replica.import_samples()
            replica.sync()
        for replica in self.replicas.values():
            replica.sync()
        self.add_discussion()
        self.conflict_id = self.make_conflict("title")
        self.replicas["essaouira"].serve()

    def add_discussion(self):
        office = self.replicas["essaouira"]
        proposal = next(p for p in office.proposals() if p["commune"] == "essaouira" and "ساحة" in p["title"])
        self.discussed_id = proposal["id"]
        first = office.cli("comment add", "--proposal", proposal["id"], "--body", "فكرة ممتازة، الساحة تحتاج إلى إنارة",
                           "--alignment", "for", "--author", "فاطمة", json_output=True)["id"]
        reply = office.cli("comment add", "--proposal", proposal["id"], "--parent", first, "--body",
                           "Et des bancs à l’ombre, s’il vous plaît.", "--alignment", "neutral", "--author", "Youssef",
                           json_output=True)["id"]
        office.cli("comment add", "--proposal", proposal["id"], "--parent", reply, "--body",
                   "ⴰⵣⵓⵍ — ⵜⴰⵎⵖⵔⴰ ⵏ ⵓⵙⵡⵉⵔ", "--alignment", "for", "--author", "Itto", json_output=True)
        doomed = office.cli("comment add", "--proposal", proposal["id"], "--body", "تعليق خارج الموضوع",
                            "--alignment", "against", json_output=True)["id"]
        office.cli("comment add", "--proposal", proposal["id"], "--parent", doomed, "--body",
                   "Je ne suis pas d’accord avec ce coût.", "--alignment", "against", "--author", "Hassan",
                   json_output=True)
        office.cli("comment delete", doomed)
        for index in range(7):
            office.cli("support add", "--proposal", proposal["id"], "--citizen", f"c-{index:04d}")
        for replica in self.replicas.values():
            for number, item in enumerate(p for p in replica.proposals() if p["commune"] == replica.commune):
                for index in range(number % 5):
                    replica.cli("support add", "--proposal", item["id"], "--citizen", f"{replica.commune}-{index}")
        self.sync_all()
        self.discussed_supports = next(p for p in office.proposals() if p["id"] == self.discussed_id)["supportCount"]

    def make_conflict(self, field):
        """Two offices edit the same field before either sees the other's edit."""
        first, second = self.replicas["essaouira"], self.replicas["ounagha"]
        proposal = next(p for p in first.proposals() if p["commune"] == "essaouira" and "plage" in p["title"])
        values = {
            "title": ("Nettoyage de la plage chaque mois", "تنظيف الشاطئ وفرز النفايات كل شهر"),
        }[field]
        first.cli("proposal edit", proposal["id"], f"--{field}", values[0])
        second.cli("proposal edit", proposal["id"], f"--{field}", values[1])
        first.sync()
        second.sync()
        return proposal["id"]

    def sync_all(self):
        for _ in range(2):
            for replica in self.replicas.values():
                replica.sync()

    def close(self):
        for replica in self.replicas.values():
            replica.stop()
        self.hub.stop()
        self.temp.cleanup()
