-- 004_assess_runs: assessment runs, their per-village results and the appeals lodged against
-- them during the public notice (公示).
--
-- A run is immutable once stored except for its status: draft -> published (notice_until set)
-- -> final. It keeps the whole RunInput it was computed from (input_snapshot, the problem-file
-- JSON of services/assess_json.h), so that Verify can recompute it and compare both hashes even
-- after the evidence or the records have changed.

CREATE TABLE assess_run (
  id INTEGER PRIMARY KEY,
  scope TEXT NOT NULL,              -- division prefix as written: "130624"
  scope_lo INTEGER NOT NULL,        -- the prefix's code range, for "runs that touch my scope"
  scope_hi INTEGER NOT NULL,
  year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  indicator_set_id INTEGER NOT NULL REFERENCES indicator_set (id),
  method TEXT NOT NULL,             -- scoring method: weighted_sum | topsis
  weighting TEXT NOT NULL,          -- manual | ahp | entropy | blend
  params TEXT NOT NULL,             -- JSON: the set's weighting, scoring, bands and rules as used
  input_hash TEXT NOT NULL,
  output_hash TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('draft', 'published', 'final')),
  reference_date TEXT NOT NULL,     -- the day records were read as of
  created_at TEXT NOT NULL,         -- UTC ISO timestamps
  created_by TEXT NOT NULL,
  published_at TEXT,
  notice_until TEXT,                -- last day of the notice period (ISO date, Asia/Shanghai)
  finalized_at TEXT,
  village_count INTEGER NOT NULL CHECK (village_count >= 0),
  summary TEXT NOT NULL,            -- JSON: star counts, classes, stable share, weights, cuts, both ends
  input_snapshot TEXT NOT NULL      -- JSON: the RunInput as a problem file
) STRICT;
CREATE INDEX assess_run_year ON assess_run (year, status, id);
CREATE INDEX assess_run_scope ON assess_run (scope_lo, scope_hi);

-- One village's result in one run. The columns are what lists filter and sort on; the whole
-- result (lines, gaps, lifts, rule evidence) is in detail.
CREATE TABLE assess_result (
  run_id INTEGER NOT NULL REFERENCES assess_run (id) ON DELETE CASCADE,
  division_code INTEGER NOT NULL REFERENCES division (code),
  score REAL NOT NULL,
  stars INTEGER NOT NULL,
  band_stars INTEGER NOT NULL,
  rating_class TEXT NOT NULL CHECK (rating_class IN ('model', 'ordinary', 'weak_lax')),
  warning INTEGER NOT NULL CHECK (warning IN (0, 1)),
  change_probability REAL NOT NULL,
  county_rank INTEGER NOT NULL,
  township_code INTEGER NOT NULL,
  detail TEXT NOT NULL,             -- JSON: VillageResultJson(detail = true)
  PRIMARY KEY (run_id, division_code)
) STRICT;
CREATE INDEX assess_result_division ON assess_result (division_code, run_id);

-- An appeal (申诉) by a village against its result while the run is on public notice, and the
-- county's decision. At most one pending appeal per village and run.
CREATE TABLE assess_appeal (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES assess_run (id) ON DELETE CASCADE,
  division_code INTEGER NOT NULL REFERENCES division (code),
  reason TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'upheld', 'rejected')),
  decision TEXT NOT NULL DEFAULT '',
  lodged_by TEXT NOT NULL,
  lodged_at TEXT NOT NULL,
  decided_by TEXT NOT NULL DEFAULT '',
  decided_at TEXT
) STRICT;
CREATE UNIQUE INDEX assess_appeal_one_pending ON assess_appeal (run_id, division_code)
  WHERE status = 'pending';
CREATE INDEX assess_appeal_division ON assess_appeal (division_code, id);
CREATE INDEX assess_appeal_status ON assess_appeal (status, id);
