#!/usr/bin/env python3
"""lsp_client.py ZHIDU - speaks the Language Server Protocol to `ZHIDU lsp`
over a pipe and checks its answers; prints "PASS name" or "FAIL name: why"
per check (the format tests/run.sh counts). Standard library only.

The expected values below were worked out by hand from the documents written
here (positions in UTF-16 code units, as the protocol counts them)."""
import json
import os
import select
import subprocess
import sys
import tempfile
import urllib.parse

ZHIDU = sys.argv[1]
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
TIMEOUT = 60  # seconds for one answer, generous for the sanitizer build
failures = 0


def check(name, ok, why=""):
    global failures
    if ok:
        print("PASS " + name)
    else:
        failures += 1
        print("FAIL %s: %s" % (name, why))


def frame(obj):
    body = json.dumps(obj, ensure_ascii=False).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


class Server:
    def __init__(self, argv=None):
        self.p = subprocess.Popen(argv or [ZHIDU, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE)
        self.buf = b""
        self.next_id = 1

    def raw(self, data):
        self.p.stdin.write(data)
        self.p.stdin.flush()

    def notify(self, method, params):
        self.raw(frame({"jsonrpc": "2.0", "method": method, "params": params}))

    def request(self, method, params):
        rid = self.next_id
        self.next_id += 1
        self.raw(frame({"jsonrpc": "2.0", "id": rid, "method": method, "params": params}))
        return self.until(lambda m: m.get("id") == rid and "method" not in m)

    def read_message(self):
        """One message, or None when the server closed stdout or stayed silent."""
        while True:
            head, sep, rest = self.buf.partition(b"\r\n\r\n")
            if sep:
                length = None
                for line in head.split(b"\r\n"):
                    k, _, v = line.partition(b":")
                    if k.strip().lower() == b"content-length":
                        length = int(v.strip())
                if length is None:
                    raise ValueError("a message without Content-Length: %r" % head)
                if len(rest) >= length:
                    self.buf = rest[length:]
                    return json.loads(rest[:length].decode("utf-8"))
            r, _, _ = select.select([self.p.stdout], [], [], TIMEOUT)
            if not r:
                return None
            chunk = os.read(self.p.stdout.fileno(), 65536)
            if not chunk:
                return None
            self.buf += chunk

    def until(self, pred):
        """Messages up to the first one pred accepts (that one is returned)."""
        self.seen = []
        while True:
            m = self.read_message()
            if m is None or pred(m):
                return m
            self.seen.append(m)

    def diagnostics(self, uri):
        m = self.until(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                       and m["params"]["uri"] == uri)
        return None if m is None else m["params"]["diagnostics"]

    def finish(self):
        try:
            self.p.stdin.close()
        except BrokenPipeError:
            pass
        try:
            rc = self.p.wait(TIMEOUT)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()
            return None, b"(hung: killed)"
        return rc, self.p.stderr.read()


def uri(path):
    return "file://" + urllib.parse.quote(os.path.abspath(path))


def pos(line, character):
    return {"line": line, "character": character}


def tdoc(u):
    return {"textDocument": {"uri": u}}


def at(u, line, character):
    return {"textDocument": {"uri": u}, "position": pos(line, character)}


def hover(s, u, line, character):
    """The hover's Markdown text ("" for none) and the whole answer."""
    h = s.request("textDocument/hover", at(u, line, character))
    return ((h or {}).get("result") or {}).get("contents", {}).get("value", ""), h


def definition(s, u, line, character):
    """The location a definition request answers, and the whole answer."""
    d = s.request("textDocument/definition", at(u, line, character))
    return (d or {}).get("result"), json.dumps(d, ensure_ascii=False)


def loc(u, line, start, end):
    return {"uri": u, "range": {"start": pos(line, start), "end": pos(line, end)}}


# ---- a document with a mistake, in a directory and file with Chinese names ----
DOC = """policy 示例 {
  title     "示例学院沟通制度"
  document  "示院〔2024〕1号"
  effective 2024-09-01
  timezone  "+08:00"
}

role 书记, 院长

events "events" {
  id:      id
  time:    time
  type:    text
  actor:   person
  targets: list person
}
event communication { actor, targets }

roster 名册 "roster" {
  person: person
  role:   role
  from:   time
  to:     time
}

rule 每周沟通 {
  tags W1
  clause "三(一)" "书记、院长原则上每周沟通不少于1次。"
  severity in-principle
  every week as 周
  for s in 书记 throughout 周, p in 院长 throughout 周
  /* 𠀀 */ require exists(e: communication where e.time in 周 and e.actor == e.time)
  subjects s, p
  message "{周}：书记{s}与院长{p}没有沟通"
}
"""
FIXED = DOC.replace("e.actor == e.time)", "e.actor == s and p in e.targets)")


def session_main(tmp):
    path = os.path.join(tmp, "学院", "示例.zd")
    os.makedirs(os.path.dirname(path))
    with open(path, "w", encoding="utf-8") as f:
        f.write(FIXED)  # on disk the fixed text: diagnostics must come from the buffer
    u = uri(path)
    s = Server()
    init = s.request("initialize", {"processId": None, "rootUri": None, "capabilities": {}})
    caps = (init or {}).get("result", {}).get("capabilities", {})
    check("lsp initialize", caps.get("hoverProvider") is True and caps.get("definitionProvider") is True
          and caps.get("documentSymbolProvider") is True and "completionProvider" in caps
          and caps.get("positionEncoding") == "utf-16" and caps.get("textDocumentSync", {}).get("change") == 1 and caps["textDocumentSync"].get("save") is True
          and caps.get("documentFormattingProvider") is True, json.dumps(init, ensure_ascii=False))
    s.notify("initialized", {})

    s.notify("textDocument/didOpen", {"textDocument": {"uri": u, "languageId": "zhidu", "version": 1, "text": DOC}})
    diags = s.diagnostics(u)
    # line 32 (0-based 31): "  /* 𠀀 */ require exists(e: communication where e.time in 周 and e.actor == e.time)"
    # UTF-16 units before "e.actor": "  /* " 5, 𠀀 2 (a surrogate pair), " */ " 4, "require exists(" 15,
    # "e: communication where " 23, "e.time in 周 and " 16: 65; the span "e.actor == e.time" is 17 units.
    want = {"range": {"start": pos(31, 65), "end": pos(31, 82)}, "severity": 1, "code": "E0202",
            "source": "zhidu", "message": "cannot compare person with time"}
    check("lsp didOpen publishes the error (code, message, UTF-16 range)", diags == [want],
          json.dumps(diags, ensure_ascii=False))
    # the same diagnostic as `zhidu check` (which counts columns in code points: 𠀀 is one)
    tmpfile = os.path.join(tmp, "copy.zd")
    with open(tmpfile, "w", encoding="utf-8") as f:
        f.write(DOC)
    out = subprocess.run([ZHIDU, "check", "--format", "json", tmpfile], capture_output=True)
    cj = json.loads(out.stdout.decode("utf-8"))["diagnostics"]
    check("lsp diagnostics agree with zhidu check",
          len(cj) == 1 and cj[0]["code"] == "E0202" and cj[0]["message"] == want["message"]
          and cj[0]["location"]["line"] == 32 and cj[0]["location"]["column"] == 65,
          json.dumps(cj, ensure_ascii=False))

    s.notify("textDocument/didChange", {"textDocument": {"uri": u, "version": 2},
                                        "contentChanges": [{"text": FIXED}]})
    diags = s.diagnostics(u)
    check("lsp didChange with the fix publishes no diagnostics", diags == [], json.dumps(diags, ensure_ascii=False))

    # a position after the surrogate pair: (31, 66) is the '.' of 'e.actor' (e at 65, actor from 67); a cursor
    # just after a name hovers that name: the selection's variable e, not the field (which a count in
    # code points would reach)
    v, h = hover(s, u, 31, 66)
    check("lsp positions after a surrogate pair", "variable e, declared at 示例.zd:32" in v and "field actor" not in v, v)
    # hover on the role 书记 in line 31 (0-based 30): "  for s in 书记 throughout 周, ..." -> 书记 at 11-13
    v, h = hover(s, u, 30, 12)
    check("lsp hover on a role", "role 书记" in v and "示例.zd:8" in v
          and h["result"]["range"] == {"start": pos(30, 11), "end": pos(30, 13)}, json.dumps(h, ensure_ascii=False))
    # hover on the rule's name (line 26, 0-based 25: "rule 每周沟通 {"): its clause text
    v, h = hover(s, u, 25, 6)
    check("lsp hover on a rule shows its clause", "rule 每周沟通" in v and "书记、院长原则上每周沟通不少于1次。" in v
          and "三(一)" in v, v)
    # hover on a variable use: "subjects s, p" (line 33, 0-based 32) s at 11: a person bound by for
    v, h = hover(s, u, 32, 11)
    check("lsp hover on a variable shows its binding and type", "for s in 书记 throughout 周" in v and "`person`" in v, v)
    # definition of 周 in "for s in 书记 throughout 周" (0-based line 30, character 25) -> "every week as 周"
    # (0-based line 29, character 16)
    got, why = definition(s, u, 30, 25)
    check("lsp definition of a period variable", got == loc(u, 29, 16, 17), why)
    # definition of the role 书记 -> "role 书记, 院长" (line 8, 0-based 7, characters 5-7)
    got, why = definition(s, u, 30, 11)
    check("lsp definition of a role", got == loc(u, 7, 5, 7), why)

    # the same file under another spelling of its URI (lower-case escapes, as some clients write):
    # answers about it use the spelling the client gave
    import re
    u2 = re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), u)
    s.notify("textDocument/didOpen", {"textDocument": {"uri": u2, "languageId": "zhidu", "version": 1, "text": FIXED}})
    diags = s.diagnostics(u2)
    got, why = definition(s, u2, 30, 11)
    check("lsp answers under the URI the client gave", u2 != u and diags == [] and got == loc(u2, 7, 5, 7), why)
    s.notify("textDocument/didClose", tdoc(u2))
    syms = s.request("textDocument/documentSymbol", tdoc(u))
    res = (syms or {}).get("result") or []
    names = {(x["name"], x["kind"]) for x in res}
    roster = [x for x in res if x["name"] == "名册"]
    check("lsp documentSymbol", names == {("示例", 3), ("书记", 22), ("院长", 22), ("communication", 24),
                                          ("名册", 23), ("每周沟通", 19)}
          and roster and [c["name"] for c in roster[0].get("children", [])] == ["person", "role", "from", "to"]
          and [x for x in res if x["name"] == "每周沟通"][0]["selectionRange"] ==
          {"start": pos(25, 5), "end": pos(25, 9)}, json.dumps(res, ensure_ascii=False))

    # completion on the subjects line: the rule's variables, declared names, keywords
    c = s.request("textDocument/completion", at(u, 32, 11))
    labels = {i["label"]: i["kind"] for i in ((c or {}).get("result") or {}).get("items", [])}
    check("lsp completion in a rule", all(labels.get(k) == v for k, v in
                                         [("s", 6), ("p", 6), ("周", 6), ("书记", 20), ("名册", 22),
                                          ("communication", 23), ("exists", 14), ("throughout", 14)])
          and "e" not in labels, json.dumps(sorted(labels), ensure_ascii=False))
    keywords = lexer_keywords()
    # role, from and to are also the roster's field names here: offered once, as the field
    missing = [k for k in keywords if labels.get(k) != (5 if k in ("role", "from", "to") else 14)]
    check("lsp completion offers every keyword of the lexer", len(keywords) > 50 and not missing, repr(missing))
    c = s.request("textDocument/completion", at(u, 8, 0))
    labels = {i["label"] for i in ((c or {}).get("result") or {}).get("items", [])}
    check("lsp completion outside a rule has no rule variables", "s" not in labels and "书记" in labels,
          json.dumps(sorted(labels), ensure_ascii=False))

    # ---- across extends: the school's adaptation of the university's rules ----
    wen = os.path.join(ROOT, "rules", "units", "wenxueyuan.zd")
    gx = uri(os.path.join(ROOT, "rules", "gxnu.zd"))
    wu = uri(wen)
    with open(wen, encoding="utf-8") as f:
        s.notify("textDocument/didOpen", {"textDocument": {"uri": wu, "languageId": "zhidu", "version": 1,
                                                           "text": f.read()}})
    diags = s.diagnostics(wu)
    check("lsp didOpen of an adapting file: no diagnostics", diags == [], json.dumps(diags, ensure_ascii=False))
    # line 26 (0-based 25) "override rule 隔周碰头会 {" -> gxnu.zd line 108 "rule 隔周碰头会 {" (0-based 107, 5-10)
    got, why = definition(s, wu, 25, 16)
    check("lsp definition of an overridden rule in the extended file", got == loc(gx, 107, 5, 10), why)
    # line 23 (0-based 22) "set 应急报告时限 = 1h" -> gxnu.zd line 84 "param 应急报告时限: ..." (0-based 83, 6-12)
    got, why = definition(s, wu, 22, 5)
    check("lsp definition of a set parameter", got == loc(gx, 83, 6, 12), why)
    # line 11 (0-based 10) "rename role 书记 to 院党委书记" -> gxnu.zd line 16 "role 书记, 校长, ..." (0-based 15, 5-7)
    got, why = definition(s, wu, 10, 13)
    check("lsp definition of a renamed role", got == loc(gx, 15, 5, 7), why)
    # the new name in the same line: 院党委书记 at 18-23 is declared right there
    v, h = hover(s, wu, 10, 22)
    check("lsp hover on a role's new name", "rename role 书记 to 院党委书记" in v and "wenxueyuan.zd:11" in v, v)
    # a disabled rule: line 32 (0-based 31) 'disable rule 民主生活会 because "…"' (民主生活会 at 13-18)
    v, h = hover(s, wu, 31, 14)
    check("lsp hover on a disabled rule says why", "disabled in wenxueyuan.zd because \"学院的年度民主生活会由学校统一组织和检查\"" in v
          and "三(九)" in v, v)
    # line 3 (0-based 2) 'extends "../gxnu.zd"' -> the file
    d = s.request("textDocument/definition", at(wu, 2, 12))
    check("lsp definition of extends", ((d or {}).get("result") or {}).get("uri") == gx, json.dumps(d))
    # a message placeholder: line 29 (0-based 28) '  message "{周期}内没有召开学院领导班子碰头会"' -> 周期 at 12-14,
    # declared by the override's 'every week as 周期' (line 28, 0-based 27, characters 16-18)
    got, why = definition(s, wu, 28, 13)
    check("lsp definition of a message placeholder", got == loc(wu, 27, 16, 18), why)
    # a renamed rule's old name: line 18 (0-based 17) 'rename rule 书记校长每周沟通 to …' (name at 12-20)
    # -> gxnu.zd line 95 "rule 书记校长每周沟通 {" (0-based 94, characters 5-13)
    got, why = definition(s, wu, 17, 14)
    check("lsp definition of a renamed rule", got == loc(gx, 94, 5, 13), why)
    # hover on the overridden rule (line 37, 0-based 36: "override rule 书记校长每周沟通 {"):
    # the university's clause and the school's
    v, h = hover(s, wu, 36, 16)
    check("lsp hover on an overridden rule shows both clauses", "校党委书记、校长原则上每周沟通不少于1次。" in v
          and "院党委书记、院长原则上每周沟通不少于1次（文学院参照执行）。" in v and "gxnu.zd:95" in v, v)
    # hover on the set parameter: its declaration and the setting
    v, h = hover(s, wu, 22, 5)
    check("lsp hover on a parameter", "param 应急报告时限: duration = 2h" in v and "set 应急报告时限 = 1h" in v, v)

    # an extended file on disk with an invalid UTF-8 byte: its error is shown on the extends
    # line (0-based line 0, characters 8-19 of 'extends "parent.zd"'), pointing at parent.zd:7:20,
    # and a hover quoting it replaces the byte with U+FFFD
    bad = os.path.join(tmp, "bad")
    os.makedirs(bad)
    with open(os.path.join(bad, "parent.zd"), "wb") as f:
        f.write('policy p {\n  title "t"\n  document "d"\n  effective 2024-01-01\n  timezone "+08:00"\n}\n'
                'param 文号: text = "a\xffb"\n'.encode("utf-8").replace(b"\xc3\xbf", b"\xff"))
    cu = uri(os.path.join(bad, "child.zd"))
    s.notify("textDocument/didOpen", {"textDocument": {"uri": cu, "text": 'extends "parent.zd"\npolicy c { }\nset 文号 = "x"\n'}})
    diags = s.diagnostics(cu) or [{}]
    rel = diags[0].get("relatedInformation", [{}])[0].get("location", {})
    check("lsp an error in an extended file shows on the extends line", len(diags) == 1 and diags[0]["code"] == "E0001"
          and diags[0]["range"] == {"start": pos(0, 8), "end": pos(0, 19)}
          and diags[0]["message"].endswith("parent.zd:7:20: invalid UTF-8 byte 0xFF in string literal")
          and rel.get("uri") == uri(os.path.join(bad, "parent.zd")) and rel["range"]["start"] == pos(6, 19),
          json.dumps(diags, ensure_ascii=False))
    v, h = hover(s, cu, 2, 5)
    check("lsp hover quoting invalid UTF-8 from disk", 'param 文号: text = "a\ufffdb"' in v, json.dumps(h))
    # the extended file is mended and saved: the open document is checked again
    with open(os.path.join(bad, "parent.zd"), "wb") as f:
        f.write('policy p {\n  title "t"\n  document "d"\n  effective 2024-01-01\n  timezone "+08:00"\n}\n'
                'param 文号: text = "ab"\n'.encode("utf-8"))
    s.notify("textDocument/didSave", tdoc(uri(os.path.join(bad, "parent.zd"))))
    diags = s.diagnostics(cu)
    check("lsp didSave of an extended file checks open documents again", diags == [], json.dumps(diags))
    s.notify("textDocument/didClose", tdoc(cu))

    session_formatting(s, tmp)
    s.notify("textDocument/didClose", tdoc(u))
    diags = s.diagnostics(u)
    check("lsp didClose clears the diagnostics", diags == [], json.dumps(diags))
    r = s.request("shutdown", None)
    check("lsp shutdown", r is not None and r.get("result", 1) is None and "error" not in r, json.dumps(r))
    s.notify("exit", None)
    rc, err = s.finish()
    check("lsp exit after shutdown exits 0", rc == 0, "exit %s: %s" % (rc, err[-2000:]))


# a document badly laid out (indentation, spaces around ':' and ',', a doubled blank line, trailing blanks),
# and the same in the canonical layout of `zhidu fmt` (docs/cli.md), written by hand
UGLY = ("policy 排版 {\n"
        "title \"排版\"\n"
        "        document  \"排〔2024〕1号\"\n"
        "  effective 2024-09-01   \n"
        "  timezone \"+08:00\"\n"
        "}\n"
        "\n"
        "\n"
        "role 书记 ,院长\n"
        "param 时限 :duration = 2h // 两小时\n")
CANONICAL = ("policy 排版 {\n"
             "  title \"排版\"\n"
             "  document  \"排〔2024〕1号\"\n"
             "  effective 2024-09-01\n"
             "  timezone \"+08:00\"\n"
             "}\n"
             "\n"
             "role 书记, 院长\n"
             "param 时限: duration = 2h // 两小时\n")


def session_formatting(s, tmp):
    """textDocument/formatting: one edit replacing the whole buffer by its canonical layout."""
    fu = uri(os.path.join(tmp, "排版.zd"))
    s.notify("textDocument/didOpen", {"textDocument": {"uri": fu, "languageId": "zhidu", "version": 1, "text": UGLY}})
    s.diagnostics(fu)
    opts = {"tabSize": 8, "insertSpaces": False}
    r = s.request("textDocument/formatting", {"textDocument": {"uri": fu}, "options": opts})
    # UGLY has 10 lines, each ended by a newline: the end is line 10, character 0
    want = [{"range": {"start": pos(0, 0), "end": pos(10, 0)}, "newText": CANONICAL}]
    check("lsp formatting replaces the document by its canonical layout", (r or {}).get("result") == want,
          json.dumps(r, ensure_ascii=False))
    s.notify("textDocument/didChange", {"textDocument": {"uri": fu, "version": 2}, "contentChanges": [{"text": CANONICAL}]})
    s.diagnostics(fu)
    r = s.request("textDocument/formatting", {"textDocument": {"uri": fu}, "options": opts})
    check("lsp formatting a canonical document gives no edits", (r or {}).get("result") == [], json.dumps(r))
    broken = CANONICAL.replace("role 书记, 院长", "role 书记 院长 {")
    s.notify("textDocument/didChange", {"textDocument": {"uri": fu, "version": 3}, "contentChanges": [{"text": broken}]})
    diags = s.diagnostics(fu)
    r = s.request("textDocument/formatting", {"textDocument": {"uri": fu}, "options": opts})
    check("lsp formatting a document with a syntax error gives null", diags and r is not None
          and "error" not in r and r.get("result", 1) is None, json.dumps(r))
    r = s.request("textDocument/formatting", {"textDocument": {"uri": uri(os.path.join(tmp, "never.zd"))}, "options": opts})
    check("lsp formatting a document never opened gives null", r is not None and r.get("result", 1) is None, json.dumps(r))
    s.notify("textDocument/didClose", tdoc(fu))
    s.diagnostics(fu)


def lexer_keywords():
    """The keywords of compiler/lexer.l's table (its {"word", TOK_X} entries)."""
    import re
    with open(os.path.join(ROOT, "compiler", "lexer.l"), encoding="utf-8") as f:
        text = f.read()
    table = text[text.index("keywords[] = {"):]
    table = table[:table.index("};")]
    return re.findall(r'\{"([^"]+)", TOK_', table)


def check_grammar():
    """editors/zhidu.tmLanguage.json: valid JSON, every keyword highlighted, and its
    patterns (written in the subset of Oniguruma that Python's re shares) on samples."""
    import re
    with open(os.path.join(ROOT, "editors", "zhidu.tmLanguage.json"), encoding="utf-8") as f:
        g = json.load(f)
    repo = g["repository"]
    kw = [re.compile(p["match"]) for p in repo["keywords"]["patterns"] + repo["literals"]["patterns"]]
    missing = [k for k in lexer_keywords() if not any(p.fullmatch(k) for p in kw)]
    check("grammar highlights every keyword of the lexer", g["scopeName"] == "source.zhidu" and not missing,
          repr(missing))
    by_name = {p["name"]: re.compile(p["match"]) for p in repo["literals"]["patterns"]}
    date, dur, num = (by_name["constant.other.date.zhidu"], by_name["constant.numeric.duration.zhidu"],
                      by_name["constant.numeric.integer.zhidu"])
    samples_ok = (all(date.fullmatch(t) for t in ["2018-01-01", "2024-09-02T08:30", "2024-09-02T08:30:00+08:00"])
                  and all(dur.fullmatch(t) for t in ["2h", "72h", "3d", "30min", "1w", "10s"])
                  and not dur.search("2x") and num.fullmatch("12") and not num.search("书记2"))
    check("grammar numbers with units and dates", samples_ok, "")
    # keywords are not found inside names: Chinese characters are name characters, as in the lexer
    inside = [w for w in ["on事件", "书记on", "rules", "event_type", "校长at", "原则上的"] if any(p.search(w) for p in kw)]
    decl = re.compile(repo["declarations"]["patterns"][0]["match"]).search("rule 书记校长每周沟通 {")
    check("grammar keeps Chinese names whole", not inside and decl and decl.group(2) == "书记校长每周沟通",
          repr(inside))
    comment = re.compile(repo["comments"]["patterns"][0]["match"])
    check("grammar comments and strings", comment.search('x // 注释 "a"').group(0) == '// 注释 "a"'
          and re.compile(repo["strings"]["patterns"][0]["patterns"][2]["match"]).search('"{周期}内"').group(0) == "{周期}",
          "")


def check_editor_docs():
    """The server commands of docs/editors.md's VS Code, Neovim and Emacs setups
    start a server that initializes, shuts down and exits 0."""
    import re
    with open(os.path.join(ROOT, "docs", "editors.md"), encoding="utf-8") as f:
        doc = f.read()
    blocks = dict(re.findall(r"```(json|lua|elisp)\n(.*?)```", doc, re.S))
    commands = {}
    settings = json.loads(blocks.get("json", "{}"))
    if "glspc.server.command" in settings:
        commands["VS Code"] = [settings["glspc.server.command"]] + settings["glspc.server.commandArguments"]
    m = re.search(r"cmd = \{([^}]*)\}", blocks.get("lua", ""))
    if m:
        commands["Neovim"] = re.findall(r"'([^']*)'", m.group(1))
    m = re.search(r"'\(zhidu-mode((?: \"[^\"]*\")+)\)", blocks.get("elisp", ""))
    if m:
        commands["Emacs"] = re.findall(r'"([^"]*)"', m.group(1))
    for editor in ["VS Code", "Neovim", "Emacs"]:
        argv = commands.get(editor)
        if not argv or argv[0] != "zhidu":
            check("docs/editors.md %s runs zhidu lsp" % editor, False, repr(argv))
            continue
        s = Server([ZHIDU] + argv[1:])
        init = s.request("initialize", {"capabilities": {}})
        s.request("shutdown", None)
        s.notify("exit", None)
        rc, err = s.finish()
        check("docs/editors.md %s runs zhidu lsp" % editor, rc == 0 and init and "result" in init,
              "%r: exit %s %s" % (argv, rc, err[-500:]))


def session_stress():
    """Every position of an adapting file, and the university's file cut short or
    damaged at many places: each request answers and the server survives."""
    import random
    rnd = random.Random(13)
    s = Server()
    s.request("initialize", {"capabilities": {}})
    wen = os.path.join(ROOT, "rules", "units", "wenxueyuan.zd")
    with open(wen, encoding="utf-8") as f:
        text = f.read()
    wu = uri(wen)
    s.notify("textDocument/didOpen", {"textDocument": {"uri": wu, "text": text}})
    answered = 0
    asked = 0
    for n, line in enumerate(text.split("\n")):
        for ch in range(0, len(line.encode("utf-16-le")) // 2 + 2):
            for method in ("textDocument/hover", "textDocument/definition"):
                asked += 1
                r = s.request(method, at(wu, n, ch))
                answered += r is not None and "result" in r
    check("lsp hover and definition at every position of wenxueyuan.zd", asked > 2000 and answered == asked,
          "%d of %d answered" % (answered, asked))
    with open(os.path.join(ROOT, "rules", "gxnu.zd"), encoding="utf-8") as f:
        gx = f.read()
    gu = uri(os.path.join(ROOT, "rules", "gxnu.zd"))
    asked = answered = 0
    for k in range(60):
        cut = gx[:rnd.randrange(len(gx))]
        if k % 2:  # damage it too: delete or duplicate a few spans
            for _ in range(3):
                i, j = sorted(rnd.randrange(len(cut) + 1) for _ in range(2))
                cut = cut[:i] + (cut[i:j] * 2 if rnd.random() < 0.5 else "") + cut[j:]
        s.notify("textDocument/didChange" if k else "textDocument/didOpen",
                 {"textDocument": {"uri": gu, "text": cut, "version": k}, "contentChanges": [{"text": cut}]})
        lines = cut.split("\n")
        for _ in range(8):
            n = rnd.randrange(len(lines))
            ch = rnd.randrange(len(lines[n]) + 1)
            for method in ("textDocument/hover", "textDocument/definition", "textDocument/completion"):
                asked += 1
                r = s.request(method, at(gu, n, ch))
                answered += r is not None and "result" in r
        asked += 1
        r = s.request("textDocument/documentSymbol", tdoc(gu))
        answered += r is not None and "result" in r
    check("lsp requests on damaged documents", answered == asked, "%d of %d answered" % (answered, asked))
    s.request("shutdown", None)
    s.notify("exit", None)
    rc, err = s.finish()
    check("lsp survives the stress session", rc == 0, "exit %s: %s" % (rc, err[-2000:]))


def session_bad_input():
    s = Server()
    r = s.request("textDocument/hover", at("file:///x.zd", 0, 0))
    check("lsp request before initialize", (r or {}).get("error", {}).get("code") == -32002, json.dumps(r))
    s.request("initialize", {"capabilities": {}})
    body = b'{"jsonrpc": "2.0", "id": 7, "method": '
    s.raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    r = s.read_message()
    check("lsp malformed JSON gets a parse error", r is not None and r.get("id") is None
          and r.get("error", {}).get("code") == -32700, json.dumps(r))
    s.raw(frame([1, 2]))
    r = s.read_message()
    check("lsp a non-object gets invalid request", (r or {}).get("error", {}).get("code") == -32600, json.dumps(r))
    # headers without Content-Length (and an overlong header line): skipped, the next message is answered
    s.raw(b"Content-Type: application/json\r\nX-" + b"y" * 10000 + b": 1\r\n\r\n{}\r\n\r\n")
    s.notify("$/unknownNotification", {})  # ignored without an answer
    r = s.request("textDocument/unknownRequest", {})
    check("lsp missing Content-Length is skipped; unknown methods get method-not-found",
          (r or {}).get("error", {}).get("code") == -32601 and s.seen == [], json.dumps(r))
    r = s.request("textDocument/hover", {"position": pos(0, 0)})
    check("lsp hover without a document gets invalid params", (r or {}).get("error", {}).get("code") == -32602,
          json.dumps(r))
    r = s.request("textDocument/hover", at("file:///never/opened.zd", 0, 0))
    check("lsp hover on a document never opened is null", r is not None and r.get("result", 1) is None, json.dumps(r))
    s.notify("textDocument/didChange", {"textDocument": {"uri": "file:///never/opened.zd"},
                                        "contentChanges": [{"text": "x"}]})
    u = "file:///tmp/zhidu-lsp-%d/nul.zd" % os.getpid()
    s.notify("textDocument/didOpen", {"textDocument": {"uri": u, "text": "policy a {\u0000}\nrule"}})
    diags = s.diagnostics(u)
    check("lsp a NUL byte in a buffer is a diagnostic", s.seen == [] and diags is not None
          and any(d["code"] == "E0007" for d in diags), json.dumps(diags))
    r = s.request("textDocument/hover", at(u, 9999, 9999))
    check("lsp a position past the end", r is not None and "error" not in r, json.dumps(r))
    s.notify("textDocument/didOpen", {"textDocument": {"uri": "http://example.com/a.zd", "text": "x"}})
    r = s.request("shutdown", None)
    check("lsp a non-file URI is ignored", r is not None and s.seen == [], json.dumps(s.seen))
    r = s.request("textDocument/hover", at(u, 0, 0))
    check("lsp a request after shutdown is refused", (r or {}).get("error", {}).get("code") == -32600, json.dumps(r))
    s.notify("exit", None)
    rc, err = s.finish()
    check("lsp exit after bad input", rc == 0, "exit %s: %s" % (rc, err[-2000:]))


def session_ends(name, data, want_rc):
    s = Server()
    s.raw(data)
    rc, err = s.finish()
    check("lsp " + name, rc == want_rc and b"ERROR: AddressSanitizer" not in err and b"runtime error" not in err,
          "exit %s: %s" % (rc, err[-2000:]))


def session_locale(tmp):
    """Diagnostics in the editor's language (initialize's locale), else zhidu's
    (--lang or the locale); the code is the same."""
    u = uri(os.path.join(tmp, "示例.zd"))
    for name, argv, locale, message in (
            ("locale zh-cn gives Chinese", None, "zh-cn", "不能比较 person 和 time"),
            ("locale en wins over --lang zh", [ZHIDU, "lsp", "--lang", "zh"], "en", "cannot compare person with time"),
            ("--lang zh without a locale", [ZHIDU, "lsp", "--lang", "zh"], None, "不能比较 person 和 time")):
        s = Server(argv)
        params = {"capabilities": {}}
        if locale:
            params["locale"] = locale
        s.request("initialize", params)
        s.notify("initialized", {})
        s.notify("textDocument/didOpen", {"textDocument": {"uri": u, "languageId": "zhidu", "version": 1, "text": DOC}})
        diags = s.diagnostics(u) or [{}]
        check("lsp " + name, len(diags) == 1 and diags[0].get("code") == "E0202" and diags[0].get("message") == message,
              json.dumps(diags, ensure_ascii=False))
        s.request("shutdown", None)
        s.notify("exit", None)
        s.finish()


def main():
    with tempfile.TemporaryDirectory() as tmp:
        session_main(tmp)
    with tempfile.TemporaryDirectory() as tmp:
        session_locale(tmp)
    check_grammar()
    check_editor_docs()
    session_stress()
    session_bad_input()
    init = frame({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}})
    session_ends("exit without shutdown exits 1", init + frame({"jsonrpc": "2.0", "method": "exit"}), 1)
    session_ends("a huge Content-Length then end of input", init + b"Content-Length: 99999999999999\r\n\r\n{}", 1)
    session_ends("a body cut short by end of input", init + b"Content-Length: 100\r\n\r\n{\"jsonrpc\"", 1)
    session_ends("a Content-Length that is not a number", b"Content-Length: -5\r\n\r\n" + init, 1)
    session_ends("end of input in the headers", b"Content-Length: 5\r\nContent-Ty", 1)
    nested = b"[" * 100000 + b"]" * 100000
    session_ends("deeply nested JSON", init + b"Content-Length: %d\r\n\r\n" % len(nested) + nested, 1)
    out = subprocess.run([ZHIDU, "lsp", "--bogus"], capture_output=True)
    check("lsp rejects unknown arguments", out.returncode == 2 and b"--bogus" in out.stderr, repr(out))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
