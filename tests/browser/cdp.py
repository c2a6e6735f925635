"""cdp.py - headless Chromium driven over the DevTools protocol on a pipe
(--remote-debugging-pipe: commands on fd 3, replies on fd 4, each message
JSON ended by a NUL byte). Standard library only; used by dom_checks.py."""
import json
import os
import shutil
import subprocess
import tempfile
import time

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class BrowserError(Exception):
    pass


class Browser:
    def __init__(self, exe="chromium", timeout=60):
        self.timeout = timeout
        self.profile = tempfile.mkdtemp(prefix="zd-chromium-")
        to_r, self.to_w = os.pipe()
        self.from_r, from_w = os.pipe()
        cmd = " ".join([exe] + FLAGS + ["--user-data-dir=" + self.profile, "--remote-debugging-pipe", "about:blank"])
        self.proc = subprocess.Popen(["sh", "-c", "exec %s 3<&%d 4>&%d" % (cmd, to_r, from_w)],
                                     pass_fds=(to_r, from_w), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_r)
        os.close(from_w)
        self.buf = b""
        self.next_id = 0
        self.events = []

    def close(self):
        try:
            self.call("Browser.close")
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self.to_w)
        os.close(self.from_r)
        shutil.rmtree(self.profile, ignore_errors=True)

    def _read(self):
        while b"\0" not in self.buf:
            chunk = os.read(self.from_r, 1 << 16)
            if not chunk:
                raise BrowserError("chromium closed the pipe (exit %s)" % self.proc.poll())
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method, params=None, session=None):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self.to_w, json.dumps(msg).encode() + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise BrowserError("%s: %s" % (method, reply["error"]))
                return reply.get("result", {})
            self.events.append(reply)


class Page:
    """A tab showing url; evaluate() runs JavaScript in it and returns the value."""

    def __init__(self, browser, url, width=1280, height=900):
        self.b = browser
        start = time.monotonic()
        target = browser.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.s = browser.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
        self.call("Page.navigate", {"url": url})
        while self.evaluate("document.readyState + ' ' + (location.href !== 'about:blank')") != "complete true":
            if time.monotonic() - start > browser.timeout:
                raise BrowserError("page did not load: " + url)
            time.sleep(0.02)
        self.load_seconds = time.monotonic() - start

    def call(self, method, params=None):
        return self.b.call(method, params, self.s)

    def evaluate(self, expr):
        r = self.call("Runtime.evaluate", {"expression": expr, "returnByValue": True})
        if "exceptionDetails" in r:
            raise BrowserError("script error: %s in %s" % (r["exceptionDetails"].get("text"), expr[:80]))
        return r["result"].get("value")

    def key(self, key, code, keycode, shift=False):
        mods = 8 if shift else 0
        for kind in ("rawKeyDown", "keyUp"):
            self.call("Input.dispatchKeyEvent", {"type": kind, "key": key, "code": code, "modifiers": mods,
                                                 "windowsVirtualKeyCode": keycode})

    def type_text(self, text):
        self.call("Input.insertText", {"text": text})

    def screenshot(self, path, width, height):
        import base64
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
        data = self.call("Page.captureScreenshot", {"format": "png"})["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))
