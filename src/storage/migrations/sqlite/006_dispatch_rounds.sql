-- 006_dispatch_rounds: dispatch rounds (双选派, issue 4) with their participants, ranked
-- preferences and assignments.
--
-- A round goes draft -> preferences_open -> matched -> confirmed. Opening it snapshots its
-- participants: the county's available cadres (round_cadre) and the villages that need a first
-- secretary (round_village, with the needs as they were then), so later changes to the pool or
-- the evidence do not move a round under way. Running it stores the assignments and the whole
-- result (stability certificate, totals, unmatched with reasons, explanations, hashes) in
-- result. Confirming it appoints first_secretary posts and records their ids in assignment.
-- Every table holding village data carries division_code, so rounds shard with the villages.

CREATE TABLE dispatch_round (
  id INTEGER PRIMARY KEY,
  scope TEXT NOT NULL,              -- the county's 6-digit prefix
  scope_lo INTEGER NOT NULL,        -- the prefix's code range, for "rounds that touch my scope"
  scope_hi INTEGER NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('first_secretary', 'instructor_resident',
                                     'instructor_circuit', 'instructor_tracking')),
  name TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('draft', 'preferences_open', 'matched', 'confirmed')),
  mode TEXT NOT NULL CHECK (mode IN ('stable', 'optimal')),
  proposing TEXT NOT NULL CHECK (proposing IN ('people', 'villages')),
  seed INTEGER NOT NULL,            -- the tie-breaking lottery (uint64 stored bit for bit)
  rules TEXT NOT NULL,              -- JSON: {avoid_home_county, max_per_unit_per_township, min_priority}
  start_date TEXT NOT NULL,         -- of the confirmed assignments (ISO date)
  created_at TEXT NOT NULL,         -- UTC ISO timestamps
  created_by TEXT NOT NULL,
  opened_at TEXT,
  matched_at TEXT,
  confirmed_at TEXT,
  result TEXT                       -- JSON once matched: certificate, totals, unmatched,
                                    -- explanations, hashes
) STRICT;
CREATE INDEX dispatch_round_scope ON dispatch_round (scope_lo, scope_hi);

-- The cadres taking part, as snapshotted at opening.
CREATE TABLE round_cadre (
  round_id INTEGER NOT NULL REFERENCES dispatch_round (id) ON DELETE CASCADE,
  cadre_id INTEGER NOT NULL REFERENCES cadre (id),
  PRIMARY KEY (round_id, cadre_id)
) STRICT;
CREATE INDEX round_cadre_cadre ON round_cadre (cadre_id);

-- The villages taking part, with their seats and needs (VillageNeedJson) as at opening.
CREATE TABLE round_village (
  round_id INTEGER NOT NULL REFERENCES dispatch_round (id) ON DELETE CASCADE,
  division_code INTEGER NOT NULL REFERENCES division (code),
  seats INTEGER NOT NULL DEFAULT 1 CHECK (seats >= 0),
  need TEXT NOT NULL,
  PRIMARY KEY (round_id, division_code)
) STRICT;
CREATE INDEX round_village_division ON round_village (division_code, round_id);

-- A ranked list: a cadre ranks villages (owner = cadre id), a village ranks cadres (owner =
-- division code). tiers is a JSON array of arrays, best first, ties inside a tier. derived = 1
-- when it was computed from fit scores at the run because the owner submitted none.
CREATE TABLE preference (
  round_id INTEGER NOT NULL REFERENCES dispatch_round (id) ON DELETE CASCADE,
  side TEXT NOT NULL CHECK (side IN ('cadre', 'village')),
  owner INTEGER NOT NULL,
  tiers TEXT NOT NULL,
  derived INTEGER NOT NULL DEFAULT 0 CHECK (derived IN (0, 1)),
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  PRIMARY KEY (round_id, side, owner)
) STRICT;

-- One cadre's seat in a round's result. start/end dates and post_id are set on confirmation;
-- end_date is the first day without the post.
CREATE TABLE assignment (
  round_id INTEGER NOT NULL REFERENCES dispatch_round (id) ON DELETE CASCADE,
  cadre_id INTEGER NOT NULL REFERENCES cadre (id),
  division_code INTEGER NOT NULL REFERENCES division (code),
  fit REAL NOT NULL,
  cadre_rank INTEGER NOT NULL,      -- 1-based tier of the village in the cadre's list (0: unlisted)
  village_rank INTEGER NOT NULL,    -- 1-based tier of the cadre in the village's list
  start_date TEXT,
  end_date TEXT,
  post_id INTEGER REFERENCES post (id),
  PRIMARY KEY (round_id, cadre_id)
) STRICT;
CREATE INDEX assignment_division ON assignment (division_code, round_id);
CREATE INDEX assignment_post ON assignment (post_id);
