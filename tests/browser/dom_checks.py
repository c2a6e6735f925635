#!/usr/bin/env python3
"""dom_checks.py NAME PAGE.html REPORT.json EXPECTED.jsonl [options] - opens
an HTML report (zhidu run --format html) in headless Chromium and checks what
the page shows through the DOM against the JSON report of the same run and the
hand-checked expected.jsonl of the example: violations and pending
obligations per rule and per unit, the filters (unit, rule, severity, subject,
search box, driven by keyboard events), the pictures (a symbol in every state
cell), headings, labels, and the print layout. Prints "PASS browser NAME: ..."
or "FAIL browser NAME: ..." per check.

options: --tags T=N,...   violations per rule tag (hand-counted, the example's README)
         --strip TAG=CELLS/VIOLATED/NOTJUDGED,...  a calendar strip: cells neither
                          exempt nor not judged, ✗ cells, — cells
         --matrices TAG=N,...  pair matrices (semesters) of a rule
         --disabled N     rules shown as disabled (each with its reason)
         --search TERM    a text to type into the search box
         --hostile TEXT   a roster name that must show as text, not markup
         --screenshot PNG keep a screenshot of the top of the page
         --timing         print the page's size and load time"""
import collections
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cdp import Browser, Page  # noqa: E402

failures = 0


def check(name, ok, why=""):
    global failures
    if ok:
        print("PASS browser %s" % name)
    else:
        failures += 1
        print("FAIL browser %s: %s" % (name, why))


def pairs(s):
    out = {}
    for item in filter(None, (s or "").split(",")):
        k, v = item.rsplit("=", 1)
        out[k] = v
    return out


def main(argv):
    name, html, report, expected = argv[:4]
    opts = {}
    rest = argv[4:]
    while rest:
        key = rest.pop(0)
        opts[key] = True if key == "--timing" else rest.pop(0)
    rep = json.load(open(report, encoding="utf-8"))
    entries = rep["violations"] + [dict(e, _pending=True) for e in rep["pending"]]
    hand = [json.loads(line) for line in open(expected, encoding="utf-8") if line.strip()]

    try:
        b = Browser()
    except Exception as e:  # noqa: BLE001 - any failure to start is a failed test
        check(name + " browser starts", False, repr(e))
        return 1
    try:
        page = Page(b, "file://" + os.path.abspath(html))
        run_checks(name, page, rep, entries, hand, opts)
        if "--timing" in opts:
            ms = page.evaluate("performance.timing.loadEventEnd - performance.timing.navigationStart")
            print("INFO browser %s: %d bytes, loaded in %d ms (%.0f ms until the test saw it)"
                  % (name, os.path.getsize(html), ms, page.load_seconds * 1000))
        if "--screenshot" in opts:
            page.evaluate("window.scrollTo(0, 0)")
            page.screenshot(opts["--screenshot"], 1280, 1600)
            check(name + " screenshot", os.path.getsize(opts["--screenshot"]) > 10000, "screenshot too small")
    except Exception as e:  # noqa: BLE001 - a browser or script error fails the page, never silently
        check(name + " page checked to the end", False, repr(e))
    finally:
        b.close()
    return 1 if failures else 0


JS_VISIBLE = "document.querySelectorAll('article.v:not([hidden])').length"


def set_filter(page, fid, value):
    page.evaluate("(function(){var s=document.getElementById(%s); s.value=%s;"
                  "s.dispatchEvent(new Event('change'));})()" % (json.dumps(fid), json.dumps(value)))


def run_checks(name, page, rep, entries, hand, opts):
    # violations and pending per rule: the page, the JSON report of the same run, the hand-checked file
    shown = page.evaluate("Array.from(document.querySelectorAll('article.v')).map(function(a){"
                          "return [a.dataset.rule, a.dataset.unit, a.dataset.status];})")
    page_rules = collections.Counter((r, s) for r, u, s in shown)
    json_rules = collections.Counter((e["rule"], "pending" if e.get("_pending") else "violation") for e in entries)
    check(name + " per rule = json report", page_rules == json_rules, "page %s, json %s" % (page_rules, json_rules))
    hand_rules = collections.Counter(e["rule"] for e in hand)
    page_v = collections.Counter(r for (r, s), n in page_rules.items() for _ in range(n) if s == "violation")
    check(name + " per rule = expected.jsonl", page_v == hand_rules, "page %s, expected %s" % (page_v, hand_rules))
    if "--tags" in opts:
        want = {k: int(v) for k, v in pairs(opts["--tags"]).items()}
        by_tag = collections.Counter()
        for e in rep["violations"]:
            for t in e["tags"]:
                by_tag[t] += 1
        check(name + " per tag = hand count", dict(by_tag) == want, "got %s" % dict(by_tag))
    page_units = collections.Counter(u for r, u, s in shown if s == "violation")
    check(name + " per unit = expected.jsonl", page_units == collections.Counter(e["unit"] for e in hand),
          "page %s" % page_units)
    # the header names every rule and quotes its clauses
    text = page.evaluate("document.body.innerText")
    missing = [r["rule"] for r in rep["summary"]["rules"] if r["rule"] not in text]
    check(name + " names every rule", not missing, "missing %s" % missing)
    unquoted = page.evaluate("Array.from(document.querySelectorAll('section.rule')).filter(function(s){"
                             "return !Array.from(s.querySelectorAll('blockquote')).some(function(q){"
                             "return q.textContent.length > 10;});}).map(function(s){return s.id;})")
    sections = page.evaluate("document.querySelectorAll('section.rule').length")
    check(name + " a section quoting its clauses per rule", not unquoted and sections == len(rep["summary"]["rules"]),
          "%d sections, without a clause: %s" % (sections, unquoted))
    total = page.evaluate("document.getElementById('shown').textContent")
    check(name + " count line", str(len(entries)) in total, total)

    filters(name, page, entries, opts)
    pictures(name, page, opts)
    accessible(name, page)
    if "--disabled" in opts:
        rows = page.evaluate("Array.from(document.querySelectorAll('table.rules tr.off')).map(function(r){return r.textContent;})")
        n = int(opts["--disabled"])
        check(name + " disabled rules shown", len(rows) == n and all("停用：" in r and len(r.split("停用：")[1]) > 2 for r in rows),
              "rows %s" % rows)
    if "--hostile" in opts:
        hostile(name, page, opts["--hostile"])
    # printed on A4 (about 794 CSS pixels wide): no filters, every violation, nothing wider than the paper
    page.call("Emulation.setEmulatedMedia", {"media": "print"})
    page.call("Emulation.setDeviceMetricsOverride", {"width": 794, "height": 1123, "deviceScaleFactor": 1, "mobile": False})
    printed = page.evaluate("[getComputedStyle(document.getElementById('filters')).display,"
                            " document.querySelectorAll('article.v:not([hidden])').length,"
                            " document.documentElement.scrollWidth <= 794]")
    check(name + " print: no filters, every violation, fits A4", printed == ["none", len(entries), True], "got %s" % printed)
    page.call("Emulation.setEmulatedMedia", {"media": ""})
    page.call("Emulation.setDeviceMetricsOverride", {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False})


def filters(name, page, entries, opts):
    check(name + " filters shown (script ran)", page.evaluate("!document.getElementById('filters').hidden"), "hidden")
    units = sorted({e["unit"] for e in entries})
    for u in units[:4]:
        set_filter(page, "f-unit", u)
        want = sum(e["unit"] == u for e in entries)
        check(name + " filter unit %r" % u, page.evaluate(JS_VISIBLE) == want, "want %d" % want)
    set_filter(page, "f-unit", "")
    rules = sorted({e["rule"] for e in entries})
    for r in rules:
        set_filter(page, "f-rule", r)
        want = sum(e["rule"] == r for e in entries)
        got = page.evaluate(JS_VISIBLE)
        check(name + " filter rule %s" % r, got == want, "shown %d, want %d" % (got, want))
    set_filter(page, "f-rule", "")
    for sev in ("must", "in-principle", "pending"):
        set_filter(page, "f-sev", sev)
        want = sum(sev == ("pending" if e.get("_pending") else e["severity"]) for e in entries)
        got = page.evaluate(JS_VISIBLE)
        check(name + " filter severity %s" % sev, got == want, "shown %d, want %d" % (got, want))
    set_filter(page, "f-sev", "")
    people = page.evaluate("Array.from(document.getElementById('f-person').options).slice(1,4).map(function(o){return o.value;})")
    for p in people:
        set_filter(page, "f-person", p)
        want = sum(p in e["subjects"] for e in entries)
        got = page.evaluate(JS_VISIBLE)
        check(name + " filter subject %s" % p, got == want and want > 0, "shown %d, want %d" % (got, want))
    set_filter(page, "f-person", "")
    # keyboard: Tab from the unit box reaches rule, severity, subject and search in that order
    page.evaluate("document.getElementById('f-unit').focus()")
    order = []
    for _ in range(4):
        page.key("Tab", "Tab", 9)
        order.append(page.evaluate("document.activeElement.id"))
    check(name + " keyboard: Tab through the filters", order == ["f-rule", "f-sev", "f-person", "f-q"], "order %s" % order)
    if "--search" in opts:
        term = opts["--search"]
        page.type_text(term)
        want = sum(term in e["message"] or term == e.get("trigger") or term in e["evidence"] for e in entries)
        got = page.evaluate(JS_VISIBLE)
        line = page.evaluate("document.getElementById('shown').textContent")
        check(name + " search %s" % term, got == want and want > 0 and ("%d / %d" % (want, len(entries))) in line,
              "shown %d, want %d, line %r" % (got, want, line))
        # with a rule chosen too: the two filters combine
        rule = next(e["rule"] for e in entries if term in e["message"] or term == e.get("trigger") or term in e["evidence"])
        set_filter(page, "f-rule", rule)
        want2 = sum(e["rule"] == rule and (term in e["message"] or term == e.get("trigger") or term in e["evidence"])
                    for e in entries)
        check(name + " search and rule", page.evaluate(JS_VISIBLE) == want2, "want %d" % want2)
        set_filter(page, "f-rule", "")
        for _ in term:
            page.key("Backspace", "Backspace", 8)
        check(name + " search cleared by keyboard", page.evaluate(JS_VISIBLE) == len(entries), "not all shown again")
        page.type_text("没有这样的文字")
        check(name + " nothing matches", page.evaluate(JS_VISIBLE) == 0 and
              page.evaluate("!document.getElementById('nothing').hidden"), "still shown")
        page.evaluate("var q=document.getElementById('f-q'); q.value=''; q.dispatchEvent(new Event('input'))")


def pictures(name, page, opts):
    empty = page.evaluate("Array.from(document.querySelectorAll('table.strip td, .tl .m')).filter(function(c){"
                          "return !c.textContent.trim();}).length")
    check(name + " every state has a symbol", empty == 0, "%d cells without one" % empty)
    for tag, spec in pairs(opts.get("--strip")).items():
        cells, bad, unjudged = (int(x) for x in spec.split("/"))
        got = page.evaluate("(function(){var s=Array.from(document.querySelectorAll('section.rule')).find(function(s){"
                            "return Array.from(s.querySelectorAll('h3 .tag')).some(function(t){return t.textContent===%s;});});"
                            "return [s.querySelectorAll('table.strip td:not(.st-e):not(.st-n)').length,"
                            " s.querySelectorAll('table.strip td.st-x').length,"
                            " s.querySelectorAll('table.strip td.st-n').length];})()" % json.dumps(tag))
        check(name + " strip %s" % tag, got == [cells, bad, unjudged],
              "cells, violated, not judged: %s, want %d, %d, %d" % (got, cells, bad, unjudged))
    for tag, n in pairs(opts.get("--matrices")).items():
        got = page.evaluate("(function(){var s=Array.from(document.querySelectorAll('section.rule')).find(function(s){"
                            "return Array.from(s.querySelectorAll('h3 .tag')).some(function(t){return t.textContent===%s;});});"
                            "return [s.querySelectorAll('table.matrix').length, s.querySelectorAll('table.matrix td.st-x').length,"
                            " s.querySelector('a[data-show-rule]').textContent];})()" % json.dumps(tag))
        misses = int(got[2].split()[-1]) if got else -1
        check(name + " matrices %s" % tag, got[0] == int(n) and got[1] == 2 * misses,
              "matrices, ✗ cells: %s, want %s and twice the violations" % (got, n))


def accessible(name, page):
    r = page.evaluate("[document.querySelectorAll('h1').length, document.querySelectorAll('h2').length,"
                      " Array.from(document.querySelectorAll('table')).filter(function(t){return !t.querySelector('th');}).length,"
                      " Array.from(document.querySelectorAll('select, input')).filter(function(c){"
                      "   return !document.querySelector('label[for=\"'+c.id+'\"]');}).length]")
    check(name + " headings, table headers, labels", r[0] == 1 and r[1] >= 2 and r[2] == 0 and r[3] == 0,
          "h1, h2, tables without th, controls without label: %s" % r)


def hostile(name, page, text):
    r = page.evaluate("[typeof window.pwned, document.querySelectorAll('img, iframe').length,"
                      " document.querySelectorAll('script').length, document.body.textContent.indexOf(%s) >= 0]"
                      % json.dumps(text))
    check(name + " hostile name stays text", r == ["undefined", 0, 1, True], "pwned type, img/iframe, scripts, shown: %s" % r)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
