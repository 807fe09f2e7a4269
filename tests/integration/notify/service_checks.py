#!/usr/bin/python3
"""The HTTP notification services of test_services.sh, and what each one's API requires.

  service_checks.py urls PORT         NOTIFICATION_URLS pointing every service at
                                      http://127.0.0.1:PORT (comma-separated)
  service_checks.py secrets           the URLs' secrets, one a line (never in the log)
  service_checks.py check DIR OUTCOME checks the requests http_receiver.py recorded in DIR
                                      for one run whose OUTCOME is success or failure

check prints one line per problem and exits 1 if there is any: each service must have
received the requests its API documents (method, path and query, the headers that carry
authentication and content type, the body's required fields holding the title and the
message), and nothing else may have arrived. The replies the services need (Slack's "ok",
Matrix's login and join, ...) are in service_replies.json.
"""
import base64
import glob
import json
import os
import re
import sys
from urllib.parse import parse_qs, unquote, urlsplit

NTFY_AUTH = ("ntfy-user", "ntfy-secret")
GOTIFY_TOKEN = "AbCdEfGhIjKlMnO"
SLACK_HOOK = ("T00000000", "B00000000", "XXXXXXXXXXXXXXXXXXXXXXXX")
SLACK_BOT = "123456789012-1234567890123-4s8vP2lUwsvHKr9OvUHjkX8k"
DISCORD = ("123456789012345678", "disc-token-secret")
TELEGRAM_TOKEN = "110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
TELEGRAM_CHATS = ["-1001234567890", "@backups"]
TEAMS_PATH = "/workflows/abc123/triggers/manual/paths/invoke"
TEAMS_SIG = "teams-secret"
MATRIX = ("bot", "matrix-secret", "#backups:example.org")
PUSHOVER = ("azGDORePK8gMaC0QOYAMyEEuzJnyUi", "uQiRzpo4DXghDmr9QzzfQu27cmVRsG")
MATTERMOST_TOKEN = "mm-token-secret"
GOOGLECHAT = ("/v1/spaces/AAAA/messages", "gc-key", "gc-token-secret")


def urls(port):
    api = f"volback_api=http://127.0.0.1:{port}"
    host = f"127.0.0.1:{port}"
    teams = f"https://prod-00.westus.logic.azure.com:443{TEAMS_PATH}?api-version=2016-06-01&sig={TEAMS_SIG}"
    return [
        f"ntfy://{NTFY_AUTH[0]}:{NTFY_AUTH[1]}@{host}/backups?scheme=http&priority=high&tags=floppy_disk",
        f"gotify://{host}/gotify/{GOTIFY_TOKEN}?disabletls=yes&priority=5",
        f"slack://hook:{'-'.join(SLACK_HOOK)}@webhook?{api}",
        f"slack://xoxb:{SLACK_BOT}@C0123456789?botname=volback&{api}",
        f"discord://{DISCORD[1]}@{DISCORD[0]}?username=volback&{api}",
        f"telegram://{TELEGRAM_TOKEN}@telegram?chats={'%2C'.join(TELEGRAM_CHATS)}&{api}",
        "teams://?host=" + re.sub(r"[^A-Za-z0-9.-]", lambda m: f"%{ord(m.group()):02X}", teams) + f"&{api}",
        f"matrix://{MATRIX[0]}:{MATRIX[1]}@{host}/?rooms=%23backups:example.org&disableTLS=yes",
        f"pushover://shoutrrr:{PUSHOVER[0]}@{PUSHOVER[1]}/?devices=phone&{api}",
        f"mattermost://backupbot@{host}/{MATTERMOST_TOKEN}/backups?disabletls=yes",
        f"googlechat://chat.googleapis.com{GOOGLECHAT[0]}?key={GOOGLECHAT[1]}&token={GOOGLECHAT[2]}&{api}",
    ]


def secrets():
    return [NTFY_AUTH[1], GOTIFY_TOKEN, SLACK_HOOK[2], SLACK_BOT, DISCORD[1], TELEGRAM_TOKEN, TEAMS_SIG,
            MATRIX[1], PUSHOVER[0], MATTERMOST_TOKEN, GOOGLECHAT[2]]


class Checker:
    def __init__(self, directory, outcome):
        files = sorted(glob.glob(os.path.join(directory, "req-*.json")))
        self.requests = [json.load(open(f)) for f in files]
        self.claimed = set()
        self.problems = []
        word = {"success": "Success", "failure": "Failure"}[outcome]
        self.title = f"{word} running docker-volume-backup at "
        self.message = {"success": "Running docker-volume-backup succeeded.",
                        "failure": "Running docker-volume-backup failed with error: "}[outcome]

    def expect(self, service, condition, what):
        if not condition:
            self.problems.append(f"{service}: {what}")
        return condition

    def take(self, service, method, path, count=1):
        """The requests with this method whose decoded path (without the query) matches
        `path` fully, in arrival order; `count` of them are expected (None: at least one)."""
        found = [(i, r) for i, r in enumerate(self.requests)
                 if r["method"] == method and re.fullmatch(path, unquote(urlsplit(r["path"]).path))]
        self.claimed.update(i for i, _ in found)
        n = len(found)
        self.expect(service, n >= 1 if count is None else n == count,
                    f"expected {count or 'some'} {method} {path}, got {n}")
        return [r for _, r in found]

    def json_body(self, service, r):
        ok = self.expect(service, r["headers"].get("content-type", "").startswith("application/json"),
                         f"content type {r['headers'].get('content-type')!r}, not application/json")
        try:
            return json.loads(r["body"]) if ok else {}
        except ValueError:
            self.expect(service, False, f"the body is not JSON: {r['body'][:200]!r}")
            return {}

    def query(self, r):
        return {k: v[0] for k, v in parse_qs(urlsplit(r["path"]).query).items()}

    def titled(self, service, text, what):
        self.expect(service, isinstance(text, str) and text.startswith(self.title),
                    f"{what} does not start with the title: {str(text)[:120]!r}")

    def messaged(self, service, text, what):
        self.expect(service, isinstance(text, str) and self.message in text,
                    f"{what} lacks the message {self.message!r}: {str(text)[:200]!r}")

    def run(self):
        self.ntfy()
        self.gotify()
        self.slack()
        self.discord()
        self.telegram()
        self.teams()
        self.matrix()
        self.pushover()
        self.mattermost()
        self.googlechat()
        for i, r in enumerate(self.requests):
            if i not in self.claimed:
                self.problems.append(f"unexpected request {r['method']} {r['path']}")
        return self.problems

    # ntfy publishing: POST /<topic>, the message as the body, the title and options as
    # headers (Title, Priority, Tags), Basic authentication.
    def ntfy(self):
        s = "ntfy"
        for r in self.take(s, "POST", "/backups"):
            h = r["headers"]
            self.titled(s, h.get("title"), "the Title header")
            self.expect(s, h.get("priority", "").lower() in ("high", "4"), f"priority {h.get('priority')!r}")
            self.expect(s, h.get("tags") == "floppy_disk", f"tags {h.get('tags')!r}")
            auth = base64.b64encode(":".join(NTFY_AUTH).encode()).decode()
            self.expect(s, h.get("authorization") == f"Basic {auth}", "no Basic authentication")
            self.expect(s, r["body"].startswith(self.message), f"body {r['body'][:120]!r}")

    # Gotify: POST /message?token=<application token>, JSON {"message", "title", "priority"}.
    def gotify(self):
        s = "gotify"
        for r in self.take(s, "POST", "/gotify/message"):
            self.expect(s, self.query(r).get("token") == GOTIFY_TOKEN, "the token is not in ?token=")
            body = self.json_body(s, r)
            self.titled(s, body.get("title"), "title")
            self.expect(s, str(body.get("message", "")).startswith(self.message), f"message {body.get('message')!r}")
            self.expect(s, body.get("priority") == 5, f"priority {body.get('priority')!r}")

    # Slack: an incoming webhook takes a JSON POST with "text" at /services/T/B/X and answers
    # "ok"; chat.postMessage takes the bot token as a Bearer token and "channel".
    def slack(self):
        s = "slack webhook"
        for r in self.take(s, "POST", "/services/" + "/".join(SLACK_HOOK)):
            body = self.json_body(s, r)
            self.titled(s, body.get("text"), "text")
            first = (body.get("attachments") or [{}])[0]
            self.expect(s, str(first.get("text", "")).startswith(self.message), f"first attachment {first!r}")
        s = "slack bot"
        for r in self.take(s, "POST", "/api/chat.postMessage"):
            self.expect(s, r["headers"].get("authorization") == f"Bearer xoxb-{SLACK_BOT}", "no Bearer bot token")
            body = self.json_body(s, r)
            self.expect(s, body.get("channel") == "C0123456789", f"channel {body.get('channel')!r}")
            self.titled(s, body.get("text"), "text")
            self.expect(s, body.get("username") == "volback", f"username {body.get('username')!r}")

    # Discord's execute webhook: POST /api/webhooks/<id>/<token>, JSON with at most ten
    # "embeds" (title, description) and 6,000 characters in all; answers 204.
    def discord(self):
        s = "discord"
        posts = self.take(s, "POST", "/api/webhooks/" + "/".join(DISCORD), count=None)
        for n, r in enumerate(posts):
            body = self.json_body(s, r)
            embeds = body.get("embeds") or []
            self.expect(s, 1 <= len(embeds) <= 10, f"{len(embeds)} embeds in one message")
            total = sum(len(e.get("title", "")) + len(e.get("description", "")) for e in embeds)
            self.expect(s, total <= 6000, f"{total} characters in one message")
            self.expect(s, body.get("username") == "volback", f"username {body.get('username')!r}")
            if n == 0 and embeds:
                self.titled(s, embeds[0].get("title"), "the first embed's title")
                self.messaged(s, embeds[0].get("description"), "the first embed")

    # Telegram's sendMessage: POST /bot<token>/sendMessage, JSON {"chat_id", "text"}, one per
    # chat; with a title volback sends HTML (parse_mode) with the title in bold.
    def telegram(self):
        s = "telegram"
        posts = self.take(s, "POST", f"/bot{TELEGRAM_TOKEN}/sendMessage", count=len(TELEGRAM_CHATS))
        chats = []
        for r in posts:
            body = self.json_body(s, r)
            chats.append(str(body.get("chat_id")))
            self.expect(s, body.get("parse_mode") == "HTML", f"parse_mode {body.get('parse_mode')!r}")
            text = str(body.get("text", ""))
            self.expect(s, text.startswith("<b>" + self.title), f"text {text[:120]!r}")
            self.messaged(s, text, "text")
        self.expect(s, sorted(chats) == sorted(TELEGRAM_CHATS), f"chats {chats}")

    # A Teams (Power Automate) workflow: POST to the workflow URL with its query (the
    # signature), JSON {"type": "message", "attachments": [an Adaptive Card]}.
    def teams(self):
        s = "teams"
        for r in self.take(s, "POST", TEAMS_PATH):
            q = self.query(r)
            self.expect(s, q.get("sig") == TEAMS_SIG and q.get("api-version") == "2016-06-01", f"query {q}")
            body = self.json_body(s, r)
            self.expect(s, body.get("type") == "message", f"type {body.get('type')!r}")
            attachments = body.get("attachments") or [{}]
            self.expect(s, attachments[0].get("contentType") == "application/vnd.microsoft.card.adaptive",
                        f"contentType {attachments[0].get('contentType')!r}")
            card = attachments[0].get("content") or {}
            self.expect(s, card.get("type") == "AdaptiveCard", f"card type {card.get('type')!r}")
            blocks = (card.get("body") or []) + [{}, {}]
            self.titled(s, blocks[0].get("text"), "the first TextBlock")
            self.messaged(s, blocks[1].get("text"), "the second TextBlock")

    # Matrix client-server API v3: the login flows, a password login for the access token,
    # joining the room alias for its id, then PUT .../send/m.room.message/<txn> with the
    # token as Bearer, JSON {"msgtype": "m.text", "body"}.
    def matrix(self):
        s = "matrix"
        base = "/_matrix/client/v3"
        flows = self.take(s, "GET", f"{base}/login")
        login = self.take(s, "POST", f"{base}/login")
        join = self.take(s, "POST", f"{base}/join/{re.escape(MATRIX[2])}")
        send = self.take(s, "PUT", rf"{base}/rooms/!room:example\.org/send/m\.room\.message/[^/]+")
        if not (flows and login and join and send):
            return
        order = [self.requests.index(r) for r in (flows[0], login[0], join[0], send[0])]
        self.expect(s, order == sorted(order), "not in the order login flows, login, join, send")
        body = self.json_body(s, login[0])
        self.expect(s, body.get("type") == "m.login.password", f"login type {body.get('type')!r}")
        self.expect(s, body.get("identifier") == {"type": "m.id.user", "user": MATRIX[0]},
                    f"identifier {body.get('identifier')!r}")
        self.expect(s, body.get("password") == MATRIX[1], "the password is not in the login")
        for r in (join[0], send[0]):
            self.expect(s, r["headers"].get("authorization") == "Bearer syt-test-token",
                        f"{r['method']} without the access token")
            self.expect(s, "#" not in r["path"], f"an unencoded '#' in {r['path']}")
        body = self.json_body(s, send[0])
        self.expect(s, body.get("msgtype") == "m.text", f"msgtype {body.get('msgtype')!r}")
        self.titled(s, body.get("body"), "body")
        self.messaged(s, body.get("body"), "body")

    # Pushover's messages API: a form POST to /1/messages.json with token, user, message,
    # title and device.
    def pushover(self):
        s = "pushover"
        for r in self.take(s, "POST", "/1/messages.json"):
            self.expect(s, r["headers"].get("content-type") == "application/x-www-form-urlencoded",
                        f"content type {r['headers'].get('content-type')!r}")
            form = {k: v[0] for k, v in parse_qs(r["body"]).items()}
            self.expect(s, form.get("token") == PUSHOVER[0], "token")
            self.expect(s, form.get("user") == PUSHOVER[1], "user")
            self.expect(s, form.get("device") == "phone", f"device {form.get('device')!r}")
            self.titled(s, form.get("title"), "title")
            message = form.get("message", "")
            self.expect(s, message.startswith(self.message) and len(message) <= 1024, f"message {message[:120]!r}")

    # A Mattermost incoming webhook: POST /hooks/<token>, JSON {"text", "username", "channel"}.
    def mattermost(self):
        s = "mattermost"
        for r in self.take(s, "POST", f"/hooks/{MATTERMOST_TOKEN}"):
            body = self.json_body(s, r)
            self.titled(s, body.get("text"), "text")
            self.messaged(s, body.get("text"), "text")
            self.expect(s, body.get("username") == "backupbot", f"username {body.get('username')!r}")
            self.expect(s, body.get("channel") == "backups", f"channel {body.get('channel')!r}")

    # A Google Chat incoming webhook: POST to the space's messages URL with its key and token,
    # JSON {"text"}.
    def googlechat(self):
        s = "googlechat"
        for r in self.take(s, "POST", GOOGLECHAT[0]):
            q = self.query(r)
            self.expect(s, q.get("key") == GOOGLECHAT[1] and q.get("token") == GOOGLECHAT[2], f"query {q}")
            body = self.json_body(s, r)
            self.titled(s, body.get("text"), "text")
            self.messaged(s, body.get("text"), "text")


def main():
    if sys.argv[1:2] == ["urls"] and len(sys.argv) == 3:
        print(",".join(urls(int(sys.argv[2]))))
    elif sys.argv[1:] == ["secrets"]:
        print("\n".join(secrets()))
    elif sys.argv[1:2] == ["check"] and len(sys.argv) == 4:
        problems = Checker(sys.argv[2], sys.argv[3]).run()
        for p in problems:
            print(p)
        sys.exit(1 if problems else 0)
    else:
        sys.exit(__doc__)


main()
