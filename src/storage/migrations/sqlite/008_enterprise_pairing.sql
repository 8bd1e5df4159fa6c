-- 008_enterprise_pairing: enterprises paired with weak villages (企到村) and with their collective
-- economic organizations (企到企), issue 4 point 6; docs/enterprise-pairing.md.
--
-- A county keeps a register of enterprises willing to help, each with industries, a location,
-- preferred areas and how many villages and collective firms it can take on at once. A pairing
-- run goes draft -> matched -> confirmed. Creating it snapshots its targets (pairing_target): the
-- villages whose need priority reaches the run's threshold, once per kind, with the industries
-- read from their main industries and the need as it was then, so later changes to the evidence
-- do not move a run under way. Running it stores the pairs (pairing) and the whole result
-- (unpaired with reasons, totals, hashes) in result; confirming dates the pairs for two years.
-- Every table holding village data carries division_code, so runs shard with the villages.

CREATE TABLE enterprise (
  id INTEGER PRIMARY KEY,
  county_code INTEGER NOT NULL CHECK (county_code % 1000000 = 0),
  name TEXT NOT NULL,
  ownership TEXT NOT NULL CHECK (ownership IN ('state', 'private', 'collective', 'foreign')),
  industries TEXT NOT NULL DEFAULT '[]',       -- JSON array of kIndustries identifiers
  location_code INTEGER NOT NULL CHECK (location_code BETWEEN 100000000000 AND 999999999999),
  preferred_areas TEXT NOT NULL DEFAULT '[]',  -- JSON array of division prefixes
  capacity_villages INTEGER NOT NULL CHECK (capacity_villages BETWEEN 0 AND 20),
  capacity_firms INTEGER NOT NULL CHECK (capacity_firms BETWEEN 0 AND 20),
  contact_name TEXT NOT NULL DEFAULT '',
  contact_phone_enc BLOB,                      -- NULL when there is none; encrypted like cadre.phone_enc
  available INTEGER NOT NULL DEFAULT 1 CHECK (available IN (0, 1)),
  note TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,                    -- UTC ISO timestamps
  updated_at TEXT NOT NULL,
  UNIQUE (county_code, name)
) STRICT;
CREATE INDEX enterprise_county_available ON enterprise (county_code, available);

CREATE TABLE pairing_run (
  id INTEGER PRIMARY KEY,
  scope TEXT NOT NULL,              -- the county's 6-digit prefix
  scope_lo INTEGER NOT NULL,        -- the prefix's code range, for "runs that touch my scope"
  scope_hi INTEGER NOT NULL,
  name TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('draft', 'matched', 'confirmed')),
  params TEXT NOT NULL,             -- JSON PairingParams: weights, rules, min_priority, kinds
  start_date TEXT NOT NULL,         -- of the confirmed pairings (ISO date)
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  matched_at TEXT,
  confirmed_at TEXT,
  result TEXT                       -- JSON once matched: unpaired, totals, use, hashes
) STRICT;
CREATE INDEX pairing_run_scope ON pairing_run (scope_lo, scope_hi);

-- A target: a village (kind 'village', 企到村) or its collective economic organization (kind
-- 'collective', 企到企). industries is a JSON array; derived = 1 when read from the village's
-- main industries (need.main_industries), 0 when set by the county. included = 0 when the county
-- dropped it from the run. need is the village's need as at creation (VillageNeedJson plus
-- main_industries and priority_label).
CREATE TABLE pairing_target (
  run_id INTEGER NOT NULL REFERENCES pairing_run (id) ON DELETE CASCADE,
  division_code INTEGER NOT NULL REFERENCES division (code),
  kind TEXT NOT NULL CHECK (kind IN ('village', 'collective')),
  industries TEXT NOT NULL DEFAULT '[]',
  derived INTEGER NOT NULL DEFAULT 1 CHECK (derived IN (0, 1)),
  included INTEGER NOT NULL DEFAULT 1 CHECK (included IN (0, 1)),
  priority REAL NOT NULL CHECK (priority BETWEEN 0 AND 100),
  need TEXT NOT NULL,
  PRIMARY KEY (run_id, division_code, kind)
) STRICT;
CREATE INDEX pairing_target_division ON pairing_target (division_code, run_id);

-- A pair of a run's result; start_date and end_date (the first day without it, start + 2 years)
-- are set on confirmation. breakdown is JSON {overlap, proximity, priority, relation,
-- preferred_area, common, terms}; reasons a JSON array of zh-CN sentences.
CREATE TABLE pairing (
  run_id INTEGER NOT NULL REFERENCES pairing_run (id) ON DELETE CASCADE,
  enterprise_id INTEGER NOT NULL REFERENCES enterprise (id),
  division_code INTEGER NOT NULL REFERENCES division (code),
  kind TEXT NOT NULL CHECK (kind IN ('village', 'collective')),
  score REAL NOT NULL,
  breakdown TEXT NOT NULL DEFAULT '{}',
  reasons TEXT NOT NULL DEFAULT '[]',
  start_date TEXT,
  end_date TEXT,
  PRIMARY KEY (run_id, division_code, kind),
  CHECK (end_date IS NULL OR end_date > start_date)
) STRICT;
CREATE INDEX pairing_division ON pairing (division_code, start_date);
CREATE INDEX pairing_enterprise ON pairing (enterprise_id, start_date);
