#!/usr/bin/env bash
# csv_spectrum.sh ZHIDU - zhidu's CSV reader against csv-spectrum 2.0.0, the
# "acid test for CSV parsing libraries" (npm package csv-spectrum: CSV files
# and the JSON each should parse to).
# The package is fetched at test time with `npm pack` and kept (sha1-checked)
# as build/csv-spectrum-2.0.0.tgz; nothing of it is committed. Without npm the
# script prints a note and no result.
# For each CSV file the script makes, in a temp dir, a data set holding the file
# as a keyed reference table (every column bound as text; the key is the first
# column whose expected values are all present and distinct) and an events.csv
# with one `probe` event per expected row, naming the row's key; and a policy
# with two rules per column: one reports the column's value of the probed row
# as its message (when present), the other reports it missing. The values read
# by zhidu (from the --format json report) must equal the expected JSON, an
# empty string in the JSON being a missing value (docs/data.md, "Values": an empty
# cell is a missing value), with no row lost or added (summary rows_read).
# Prints "PASS csv-spectrum NAME" or "FAIL csv-spectrum NAME: why" per file
# (ZHIDU_KNOWN_BUGS=1: also for the file of a known, reported bug; see KNOWN_BUG).
. "$(dirname "$0")/lib.sh"

version=2.0.0
sha1=96fddc82db57d99faf988a6a4552c67f258cd8cd   # npm's shasum of csv-spectrum-2.0.0.tgz
cache=$root/build/csv-spectrum-$version.tgz

have_tgz() { [ -f "$cache" ] && [ "$(sha1sum "$cache" | cut -d' ' -f1)" = "$sha1" ]; }
if ! have_tgz; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "note: csv_spectrum.sh: npm is not installed; csv-spectrum tests not run"
    exit 0
  fi
  mkdir -p "$tmp/pack" "$(dirname "$cache")"
  fetched=0
  for attempt in 1 2 3; do   # a registry hiccup should not fail the suite
    if (cd "$tmp/pack" && npm pack "csv-spectrum@$version" >"$tmp/npm.log" 2>&1); then fetched=1; break; fi
    sleep $((attempt * 5))
  done
  if [ "$fetched" != 1 ]; then
    echo "FAIL csv-spectrum fetch: npm pack csv-spectrum@$version failed"
    tail -n 20 "$tmp/npm.log"
    exit 1
  fi
  mv "$tmp/pack/csv-spectrum-$version.tgz" "$cache.part" && mv "$cache.part" "$cache"
  if ! have_tgz; then
    echo "FAIL csv-spectrum fetch: csv-spectrum-$version.tgz does not have the sha1 $sha1"
    rm -f "$cache"
    exit 1
  fi
fi
mkdir -p "$tmp/pkg"
tar -xzf "$cache" -C "$tmp/pkg"

python3 - "$zhidu" "$tmp/pkg/package" "$tmp/cases" <<'EOF'
import csv, glob, json, os, subprocess, sys

zhidu, pkg, work = sys.argv[1:4]

# location_coordinates.json is wrong in csv-spectrum 2.0.0: it is an object,
# not a list of rows, and its phone number 1234567890 is not the one in the
# CSV (2095257564). The CSV's one row, read as it is written: fields are
# unquoted, the '"' in the coordinates are literal characters, and the degree
# signs are U+FFFD (bytes EF BF BD) in the file itself.
CORRECTED = {
    "location_coordinates": [{
        "Contact Phone Number": "2095257564",
        "Location Coordinates": "37\ufffd36'37.8\"N 121\ufffd2'17.9\"W",
        "Cities": "Modesto",
        "Counties": "Stanislaus",
    }],
}

# Known bug (reported): zhidu refuses location_coordinates.csv, whose unquoted
# field holds '"' characters ("malformed CSV at byte 81: error parsing data
# while strict checking enabled"), where csv-spectrum and common CSV readers
# take them literally. Until that is settled, a refusal (exit 2) of this file
# prints a note instead of a result; reading it wrongly is still a failure.
KNOWN_BUG = {"location_coordinates"}

def zd_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

def case(name, csv_path, expected):
    cols = list(expected[0].keys())
    for row in expected:
        assert list(row.keys()) == cols, "rows with different columns"
    key = next((c for c in cols
                if all(r[c] != "" for r in expected) and len({r[c] for r in expected}) == len(expected)), None)
    if key is None:
        return "no column to key the rows on"
    d = os.path.join(work, name)
    os.makedirs(os.path.join(d, "data"))
    with open(csv_path, "rb") as f, open(os.path.join(d, "data", "spectrum.csv"), "wb") as g:
        g.write(f.read())
    with open(os.path.join(d, "data", "events.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "time", "type", "k"])
        for i, row in enumerate(expected):
            w.writerow(["e%d" % i, "2025-01-01", "probe", row[key]])
    fields = {c: "f%d" % j for j, c in enumerate(cols)}
    lines = ['policy spectrum { title "csv-spectrum" document "csv-spectrum" effective 2024-01-01 timezone "+08:00" }',
             'events "events" { id: id  time: time  type: text  k: id }',
             'event probe { k }',
             'table T "spectrum" key %s {' % fields[key]]
    for c in cols:
        lines.append('  %s: %s = %s' % (fields[c], "id" if c == key else "text", zd_string(c)))
    lines.append('}')
    for c in cols:
        f = fields[c]
        lines.append('rule value_%s { tags V clause "v" "v" severity must on e: probe let r = T[e.k] '
                     'when present(r.%s) require not present(e.k) message "{r.%s}" }' % (f, f, f))
        lines.append('rule missing_%s { tags M clause "m" "m" severity must on e: probe let r = T[e.k] '
                     'require present(r.%s) message "missing" }' % (f, f))
    with open(os.path.join(d, "p.zd"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    p = subprocess.run([zhidu, "run", "p.zd", "data", "--format", "json"], cwd=d, capture_output=True)
    if p.stderr or p.returncode != 1:
        return "exit %d: %s" % (p.returncode, p.stderr.decode("utf-8", "replace").strip()[:400])
    report = json.loads(p.stdout.decode("utf-8"))
    got = {}
    for v in report["violations"]:
        i = int(v["trigger"][1:])
        kind, f = v["rule"].split("_", 1)
        col = cols[int(f[1:])]
        if (i, col) in got:
            return "row %d column %r read twice" % (i, col)
        got[(i, col)] = v["message"] if kind == "value" else ""
    problems = []
    for i, row in enumerate(expected):
        for c in cols:
            if (i, c) not in got:
                problems.append("row %d %r: not read (no such key %r?)" % (i, c, row[key]))
            elif got[(i, c)] != row[c]:
                problems.append("row %d %r: read %r, expected %r" % (i, c, got[(i, c)], row[c]))
    s = report["summary"]
    if s["rows_read"] != 2 * len(expected) or s["bad_rows_skipped"] != 0:
        problems.append("rows read %d (skipped %d), expected %d" % (s["rows_read"], s["bad_rows_skipped"], 2 * len(expected)))
    return "; ".join(problems)

names = sorted(os.path.splitext(os.path.basename(p))[0] for p in glob.glob(os.path.join(pkg, "csvs", "*.csv")))
if len(names) < 12:
    print("FAIL csv-spectrum package: %d CSV files, expected 12" % len(names))
for name in names:
    with open(os.path.join(pkg, "json", name + ".json"), encoding="utf-8") as f:
        expected = json.load(f)
    if name in CORRECTED:
        # the package's own JSON, as described above, is not a list of rows
        if isinstance(expected, list):
            print("FAIL csv-spectrum %s: the package's JSON has changed; check the correction" % name)
            continue
        expected = CORRECTED[name]
    try:
        why = case(name, os.path.join(pkg, "csvs", name + ".csv"), expected)
    except Exception as e:  # a report that is not the JSON expected
        why = "%s: %s" % (type(e).__name__, e)
    if why and name in KNOWN_BUG and why.startswith("exit 2: ") and os.environ.get("ZHIDU_KNOWN_BUGS") != "1":
        print("note: csv-spectrum %s: known bug, reported (ZHIDU_KNOWN_BUGS=1 counts it): %s" % (name, why))
        continue
    print("PASS csv-spectrum %s" % name if not why else "FAIL csv-spectrum %s: %s" % (name, why))
EOF
