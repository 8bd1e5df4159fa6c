-- qiangji: foreign_keys off
-- 007_dispatch_roles: instructors in three modes, local worthies as advisors, and the projects
-- tracking instructors are bound to (双选派, issue 4 point 5).
--
-- The pool gains a kind: a cadre (干部, sent by a unit; never to his home county) or a local
-- worthy (乡贤, who serves his home place as an advisor). Both share the table because both are
-- people the county may send, with the same personal-data rules (ID number encrypted, masked).
-- Sending-unit kinds gain the private enterprise and the self-employed, which is where many
-- worthies work. SQLite cannot alter a CHECK constraint, so cadre and dispatch_round are rebuilt
-- (foreign keys off for this migration; see storage/migrate.cc).
--
-- Rounds gain the role "advisor". A round's receivers are villages (first secretary, resident
-- instructor, advisor), circuits (巡回: one work type in one township, several villages per
-- instructor) or projects (跟踪: one long project from its start to its end). Circuits are
-- stored in round_unit; a receiver's id in preference.owner (side 'village') is the village's
-- division code, the circuit's round_unit id, or the project's id.

CREATE TABLE cadre_new (
  id INTEGER PRIMARY KEY,
  county_code INTEGER NOT NULL CHECK (county_code % 1000000 = 0),
  kind TEXT NOT NULL DEFAULT 'cadre' CHECK (kind IN ('cadre', 'worthy')),
  name TEXT NOT NULL,
  sex TEXT NOT NULL CHECK (sex IN ('male', 'female')),
  birth_date TEXT,
  id_number_enc BLOB NOT NULL,
  id_number_hash TEXT NOT NULL,
  phone_enc BLOB,                   -- NULL when there is no phone
  sending_unit TEXT NOT NULL,       -- 派出单位; for a worthy, where he works now
  unit_kind TEXT NOT NULL CHECK (unit_kind IN ('party_agency', 'public_institution',
                                               'state_enterprise', 'university', 'hospital',
                                               'financial', 'private_enterprise',
                                               'self_employed', 'other')),
  skills TEXT NOT NULL DEFAULT '[]',  -- JSON array of kWorkSkills identifiers
  home_code INTEGER NOT NULL CHECK (home_code BETWEEN 100000000000 AND 999999999999),
  residence TEXT NOT NULL DEFAULT '',  -- where a worthy lives now, e.g. "广东省深圳市"
  available INTEGER NOT NULL DEFAULT 1 CHECK (available IN (0, 1)),
  term_months INTEGER NOT NULL DEFAULT 24 CHECK (term_months BETWEEN 6 AND 60),
  note TEXT NOT NULL DEFAULT '',
  person_id INTEGER REFERENCES person (id),
  created_at TEXT NOT NULL,         -- UTC ISO timestamps
  updated_at TEXT NOT NULL,
  UNIQUE (county_code, id_number_hash)
) STRICT;
INSERT INTO cadre_new (id, county_code, kind, name, sex, birth_date, id_number_enc,
                       id_number_hash, phone_enc, sending_unit, unit_kind, skills, home_code,
                       residence, available, term_months, note, person_id, created_at,
                       updated_at)
  SELECT id, county_code, 'cadre', name, sex, birth_date, id_number_enc, id_number_hash,
         phone_enc, sending_unit, unit_kind, skills, home_code, '', available, term_months, note,
         person_id, created_at, updated_at
  FROM cadre;
DROP TABLE cadre;
ALTER TABLE cadre_new RENAME TO cadre;
CREATE INDEX cadre_county_available ON cadre (county_code, kind, available);
CREATE INDEX cadre_person ON cadre (person_id);

CREATE TABLE dispatch_round_new (
  id INTEGER PRIMARY KEY,
  scope TEXT NOT NULL,              -- the county's 6-digit prefix
  scope_lo INTEGER NOT NULL,        -- the prefix's code range, for "rounds that touch my scope"
  scope_hi INTEGER NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('first_secretary', 'instructor_resident',
                                     'instructor_circuit', 'instructor_tracking', 'advisor')),
  name TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('draft', 'preferences_open', 'matched', 'confirmed')),
  mode TEXT NOT NULL CHECK (mode IN ('stable', 'optimal')),
  proposing TEXT NOT NULL CHECK (proposing IN ('people', 'villages')),
  seed INTEGER NOT NULL,            -- the tie-breaking lottery (uint64 stored bit for bit)
  rules TEXT NOT NULL,              -- JSON RoundRules
  start_date TEXT NOT NULL,         -- of the confirmed assignments (ISO date)
  created_at TEXT NOT NULL,         -- UTC ISO timestamps
  created_by TEXT NOT NULL,
  opened_at TEXT,
  matched_at TEXT,
  confirmed_at TEXT,
  result TEXT                       -- JSON once matched: certificate, totals, unmatched,
                                    -- explanations, hashes
) STRICT;
INSERT INTO dispatch_round_new SELECT id, scope, scope_lo, scope_hi, role, name, status, mode,
    proposing, seed, rules, start_date, created_at, created_by, opened_at, matched_at,
    confirmed_at, result FROM dispatch_round;
DROP TABLE dispatch_round;
ALTER TABLE dispatch_round_new RENAME TO dispatch_round;
CREATE INDEX dispatch_round_scope ON dispatch_round (scope_lo, scope_hi);

-- A village's long project (construction, industry, revitalization), which a tracking
-- instructor follows from start to end. Funding and amounts come with the collective economy.
CREATE TABLE project (
  id INTEGER PRIMARY KEY,
  division_code INTEGER NOT NULL REFERENCES division (code),  -- the village
  name TEXT NOT NULL,
  work_type TEXT NOT NULL,          -- kWorkSkills: the expertise it needs
  start_date TEXT NOT NULL,
  end_date TEXT NOT NULL,           -- planned end (first day after the project)
  status TEXT NOT NULL CHECK (status IN ('planned', 'underway', 'done', 'stopped')),
  description TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CHECK (end_date > start_date)
) STRICT;
CREATE INDEX project_division ON project (division_code, status);

-- A circuit of a circuit-instructor round: one work type in one township, the villages that
-- need it, and how many instructors it takes (ceil(villages / circuit capacity)).
CREATE TABLE round_unit (
  id INTEGER PRIMARY KEY,
  round_id INTEGER NOT NULL REFERENCES dispatch_round (id) ON DELETE CASCADE,
  division_code INTEGER NOT NULL REFERENCES division (code),  -- the township
  work_type TEXT NOT NULL,
  villages TEXT NOT NULL,           -- JSON array of village codes, ascending
  seats INTEGER NOT NULL CHECK (seats >= 0),
  need TEXT NOT NULL,               -- JSON: the villages' needs as at opening
  UNIQUE (round_id, division_code, work_type)
) STRICT;
CREATE INDEX round_unit_division ON round_unit (division_code, round_id);

-- Tracking rounds: the projects taking part, with the village's need as at opening.
CREATE TABLE round_project (
  round_id INTEGER NOT NULL REFERENCES dispatch_round (id) ON DELETE CASCADE,
  project_id INTEGER NOT NULL REFERENCES project (id),
  division_code INTEGER NOT NULL REFERENCES division (code),  -- the project's village
  need TEXT NOT NULL,
  PRIMARY KEY (round_id, project_id)
) STRICT;
CREATE INDEX round_project_division ON round_project (division_code, round_id);

-- An assignment to a circuit or a project: unit_id is the round_unit id or the project id, and
-- villages the codes the person covers (a circuit's share; one village otherwise).
-- division_code stays the village (or, for a circuit, the township). post_id is the first post
-- created; a circuit creates one instructor post per village covered, listed in post_ids.
ALTER TABLE assignment ADD COLUMN unit_id INTEGER;
ALTER TABLE assignment ADD COLUMN villages TEXT NOT NULL DEFAULT '[]';
ALTER TABLE assignment ADD COLUMN post_ids TEXT NOT NULL DEFAULT '[]';
