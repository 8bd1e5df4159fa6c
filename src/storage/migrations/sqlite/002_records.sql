-- 002_records: village data (villages, Party organizations, people, posts), users, sessions,
-- login throttling and the audit log.
--
-- Every village-data table carries division_code (the 12-digit NBS code as an INTEGER), so a
-- scope ("everything under 130624") is one range on an index, and a province-sharded
-- PostgreSQL install can partition on it. Dates are ISO text (YYYY-MM-DD), which sorts and
-- compares correctly as text; timestamps are UTC ISO text, or unix seconds where only the
-- server compares them (sessions, throttling).
--
-- Personal data: ID numbers and phones are stored only encrypted (XChaCha20-Poly1305, nonce ||
-- ciphertext); id_number_hash is a keyed BLAKE2b of the normalised ID number, for exact look-up
-- and duplicate detection without decrypting.

-- Attributes of a village-level division, once described.
CREATE TABLE village (
  division_code INTEGER PRIMARY KEY REFERENCES division (code),
  households INTEGER CHECK (households >= 0),
  population INTEGER CHECK (population >= 0),
  area_km2 REAL CHECK (area_km2 > 0),
  main_industries TEXT NOT NULL DEFAULT '[]',  -- JSON array of strings
  tags TEXT NOT NULL DEFAULT '[]',             -- JSON array of kVillageTags identifiers
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE person (
  id INTEGER PRIMARY KEY,
  division_code INTEGER NOT NULL REFERENCES division (code),
  name TEXT NOT NULL,
  sex TEXT NOT NULL CHECK (sex IN ('male', 'female')),
  ethnicity TEXT NOT NULL DEFAULT '',
  birth_date TEXT,
  id_number_enc BLOB NOT NULL,
  id_number_hash TEXT NOT NULL UNIQUE,
  phone_enc BLOB,  -- NULL when there is no phone
  native_place TEXT NOT NULL DEFAULT '',
  education TEXT NOT NULL DEFAULT '',
  party_status TEXT NOT NULL CHECK (party_status IN ('masses', 'applicant', 'activist',
                                                     'development_target',
                                                     'probationary_member', 'member')),
  party_join_date TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX person_division_name ON person (division_code, name);
CREATE INDEX person_name ON person (name);
CREATE INDEX person_division_status ON person (division_code, party_status, birth_date);

CREATE TABLE party_org (
  id INTEGER PRIMARY KEY,
  division_code INTEGER NOT NULL REFERENCES division (code),
  kind TEXT NOT NULL CHECK (kind IN ('committee', 'general_branch', 'branch')),
  name TEXT NOT NULL,
  secretary_person_id INTEGER REFERENCES person (id),
  member_count INTEGER NOT NULL DEFAULT 0 CHECK (member_count >= 0),
  probationary_member_count INTEGER NOT NULL DEFAULT 0 CHECK (probationary_member_count >= 0),
  founded_on TEXT,
  term_start TEXT,
  term_expiry TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CHECK (term_expiry IS NULL OR term_start IS NULL OR term_expiry > term_start)
) STRICT;
CREATE INDEX party_org_division ON party_org (division_code, name);
CREATE INDEX party_org_secretary ON party_org (secretary_person_id);
CREATE INDEX party_org_term_expiry ON party_org (term_expiry);

-- A person in a post at a village from start_date; end_date is the day the post ended (the
-- person no longer holds it from that day), NULL while current.
CREATE TABLE post (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES person (id),
  division_code INTEGER NOT NULL REFERENCES division (code),
  kind TEXT NOT NULL CHECK (kind IN ('party_secretary', 'deputy_party_secretary',
                                     'committee_director', 'two_committee_member',
                                     'collective_manager', 'reserve_cadre', 'first_secretary',
                                     'instructor', 'advisor')),
  start_date TEXT NOT NULL,
  end_date TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CHECK (end_date IS NULL OR end_date >= start_date)
) STRICT;
CREATE INDEX post_division_kind ON post (division_code, kind, end_date);
CREATE INDEX post_person ON post (person_id, start_date);

-- Users of the platform. "user" is reserved in PostgreSQL, hence app_user.
CREATE TABLE app_user (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL DEFAULT '',
  role TEXT NOT NULL CHECK (role IN ('admin', 'county', 'township', 'village', 'viewer')),
  scope TEXT NOT NULL DEFAULT '',     -- division prefix; '' = everything
  password_hash TEXT NOT NULL,        -- libsodium crypto_pwhash_str (argon2id)
  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  created_at TEXT NOT NULL
) STRICT;

-- Signed-in sessions. Only a hash of the cookie token is kept, so a copy of the database does
-- not let anyone sign in.
CREATE TABLE session (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at INTEGER NOT NULL,  -- unix seconds
  expires_at INTEGER NOT NULL,  -- unix seconds
  client_ip TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX session_user ON session (user_id);
CREATE INDEX session_expires ON session (expires_at);

-- Failed sign-ins, for throttling by user name (kept for the throttling window only).
CREATE TABLE login_failure (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL,
  at INTEGER NOT NULL,  -- unix seconds
  client_ip TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX login_failure_username_at ON login_failure (username, at);

-- Who did what, when, to which object, with the object before and after (JSON, personal data
-- masked). Never updated or deleted by the program; no foreign keys, so it outlives its objects.
CREATE TABLE audit (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,                 -- UTC ISO timestamp
  user_id INTEGER NOT NULL DEFAULT 0,  -- 0 for the system (CLI, demo builder) or a failed login
  username TEXT NOT NULL,
  action TEXT NOT NULL,             -- "person.create", "auth.login_failed" ...
  object TEXT NOT NULL DEFAULT '',  -- "person/42"
  division_code INTEGER NOT NULL DEFAULT 0,
  before_json TEXT,
  after_json TEXT,
  client_ip TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX audit_action ON audit (action, id);
CREATE INDEX audit_username ON audit (username, id);
CREATE INDEX audit_division ON audit (division_code, id);
