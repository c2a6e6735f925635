-- bench/rules.sql - a plain-SQL reading of O7, O8 and O17 of rules/gxnu.zd, for
-- the sqlite3 shell over a database in zhidu's layout (events, roster, topics,
-- calendar, each with a `unit` column): the baseline zhidu is compared with in
-- bench/compare.sh. Written from docs/regulation.md and the rule text, not
-- from zhidu's code. Prints one line per violation:
--   O7|unit|meeting|topic|member      O8|unit|meeting|topic
--   O17|unit|directive|topics         (topics as in the cell, ';'-separated)
-- Assumes times without offsets (all local) and no pending O17 checks are
-- wanted (a directive with no later meeting is pending, not a violation).
-- Only temporary tables are written: run it on a read-only connection.
.bail on
PRAGMA temp_store = MEMORY;

-- the events, times as seconds and lists framed by ';' for membership tests
CREATE TEMP TABLE e AS
  SELECT coalesce(unit, '') AS unit, id, unixepoch(time) AS t, type, actor,
         ';' || coalesce(targets, '') || ';' AS targets, kind,
         ';' || coalesce(topic, '') || ';' AS topic
  FROM events WHERE type IN ('meeting', 'consultation', 'directive');

-- one row per (event, topic item) and per (consultation, topic, target)
CREATE TEMP TABLE items AS
  WITH RECURSIVE s(rid, rest, item) AS (
    SELECT rowid, substr(topic, 2), NULL FROM e
    UNION ALL
    SELECT rid, substr(rest, instr(rest, ';') + 1), substr(rest, 1, instr(rest, ';') - 1)
    FROM s WHERE rest <> '')
  SELECT DISTINCT rid, item FROM s WHERE item <> '';
CREATE INDEX temp.items_rid ON items(rid);

CREATE TEMP TABLE ctargets AS
  WITH RECURSIVE s(rid, rest, item) AS (
    SELECT rowid, substr(targets, 2), NULL FROM e WHERE type = 'consultation'
    UNION ALL
    SELECT rid, substr(rest, instr(rest, ';') + 1), substr(rest, 1, instr(rest, ';') - 1)
    FROM s WHERE rest <> '')
  SELECT DISTINCT rid, item FROM s WHERE item <> '';

CREATE TEMP TABLE consulted AS    -- lead consulted x on topic top at t
  SELECT c.unit, c.actor AS lead, g.item AS x, i.item AS top, c.t
  FROM e c JOIN items i ON i.rid = c.rowid JOIN ctargets g ON g.rid = c.rowid
  WHERE c.type = 'consultation';
CREATE INDEX temp.consulted_k ON consulted(unit, top, lead, x, t);

CREATE TEMP TABLE discussed AS    -- a 讨论会 on topic top led by lead at t
  SELECT d.unit, d.actor AS lead, i.item AS top, d.t
  FROM e d JOIN items i ON i.rid = d.rowid
  WHERE d.type = 'meeting' AND d.kind = '讨论会';
CREATE INDEX temp.discussed_k ON discussed(unit, top, lead, t);

-- agenda items of the decision meetings
CREATE TEMP TABLE agenda AS
  SELECT m.unit, m.id, m.t, i.item AS top
  FROM e m JOIN items i ON i.rid = m.rowid
  WHERE m.type = 'meeting' AND m.kind IN ('党委常委会', '党委全委会', '校长办公会');

-- keyed topics: the later row wins
CREATE TEMP TABLE tp AS
  SELECT coalesce(unit, '') AS unit, topic, ';' || coalesce(category, '') || ';' AS category,
         nullif(lead, '') AS lead, ';' || coalesce(areas, '') || ';' AS areas
  FROM topics WHERE rowid IN (SELECT max(rowid) FROM topics GROUP BY coalesce(unit, ''), topic);
CREATE INDEX temp.tp_k ON tp(unit, topic);

-- members' roster rows, one per area
CREATE TEMP TABLE ra AS
  WITH RECURSIVE s(unit, person, f, tt, rest, area) AS (
    SELECT coalesce(unit, ''), person, unixepoch(nullif("from", '')), unixepoch(nullif("to", '')),
           coalesce(areas, '') || ';', NULL
    FROM roster WHERE role = '班子成员'
    UNION ALL
    SELECT unit, person, f, tt, substr(rest, instr(rest, ';') + 1), substr(rest, 1, instr(rest, ';') - 1)
    FROM s WHERE rest <> '')
  SELECT unit, person, f, tt, area FROM s WHERE area IS NOT NULL;

-- O7: before a 三重一大 item, its lead consults every member in charge of one of its areas
SELECT DISTINCT 'O7', a.unit, a.id, a.top, r.person
FROM agenda a JOIN tp ON tp.unit = a.unit AND tp.topic = a.top
JOIN ra r ON r.unit = a.unit AND (r.f IS NULL OR r.f <= a.t) AND (r.tt IS NULL OR a.t < r.tt)
WHERE instr(tp.category, ';三重一大;') AND tp.lead IS NOT NULL AND r.person <> tp.lead
  AND r.area <> '' AND instr(tp.areas, ';' || r.area || ';')
  AND NOT EXISTS (SELECT 1 FROM consulted c WHERE c.unit = a.unit AND c.top = a.top
                  AND c.lead = tp.lead AND c.x = r.person AND c.t <= a.t);

-- O8: before an item on long-term development or rights, its lead holds a 讨论会
SELECT DISTINCT 'O8', a.unit, a.id, a.top
FROM agenda a JOIN tp ON tp.unit = a.unit AND tp.topic = a.top
WHERE tp.lead IS NOT NULL AND (instr(tp.category, ';长远发展;') OR instr(tp.category, ';师生权益;'))
  AND NOT EXISTS (SELECT 1 FROM discussed d WHERE d.unit = a.unit AND d.top = a.top
                  AND d.lead = tp.lead AND d.t <= a.t);

-- O17: a directive is reported at the first 党委常委会 or 校长办公会 after it
CREATE TEMP TABLE mm AS
  SELECT rowid AS rid, unit, id, t, topic FROM e
  WHERE type = 'meeting' AND kind IN ('党委常委会', '校长办公会');
CREATE INDEX temp.mm_k ON mm(unit, t, rid);
SELECT 'O17', d.unit, d.id, substr(d.topic, 2, length(d.topic) - 2)
FROM e d JOIN mm m ON m.rid = (SELECT rid FROM mm WHERE mm.unit = d.unit AND mm.t > d.t
                               ORDER BY mm.t, mm.rid LIMIT 1)
WHERE d.type = 'directive'
  AND NOT EXISTS (SELECT 1 FROM items i WHERE i.rid = d.rowid AND instr(m.topic, ';' || i.item || ';'));
