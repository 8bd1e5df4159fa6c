-- 005_dispatch_pool: the county's pool of cadres who may be sent to villages as first
-- secretaries (and later instructors) in dispatch rounds (双选派, issue 4).
--
-- A cadre belongs to the pool of one county (county_code: the 12-digit value of its 6-digit
-- prefix). The ID number and phone are personal data like a person's: stored only encrypted,
-- with a keyed hash of the normalised ID number for exact look-up; the same ID number may be in
-- a county's pool once. home_code is the cadre's home division (any level, 12-digit value); it
-- has no foreign key because a home may lie outside the imported registry. person_id links the
-- cadre to the person record created (or found) when a round confirms him in a village.

CREATE TABLE cadre (
  id INTEGER PRIMARY KEY,
  county_code INTEGER NOT NULL CHECK (county_code % 1000000 = 0),
  name TEXT NOT NULL,
  sex TEXT NOT NULL CHECK (sex IN ('male', 'female')),
  birth_date TEXT,
  id_number_enc BLOB NOT NULL,
  id_number_hash TEXT NOT NULL,
  phone_enc BLOB,                   -- NULL when there is no phone
  sending_unit TEXT NOT NULL,       -- 派出单位
  unit_kind TEXT NOT NULL CHECK (unit_kind IN ('party_agency', 'public_institution',
                                               'state_enterprise', 'university', 'hospital',
                                               'financial', 'other')),
  skills TEXT NOT NULL DEFAULT '[]',  -- JSON array of kWorkSkills identifiers
  home_code INTEGER NOT NULL CHECK (home_code BETWEEN 100000000000 AND 999999999999),
  available INTEGER NOT NULL DEFAULT 1 CHECK (available IN (0, 1)),
  term_months INTEGER NOT NULL DEFAULT 24 CHECK (term_months BETWEEN 6 AND 60),
  note TEXT NOT NULL DEFAULT '',
  person_id INTEGER REFERENCES person (id),
  created_at TEXT NOT NULL,         -- UTC ISO timestamps
  updated_at TEXT NOT NULL,
  UNIQUE (county_code, id_number_hash)
) STRICT;
CREATE INDEX cadre_county_available ON cadre (county_code, available);
CREATE INDEX cadre_person ON cadre (person_id);
