-- 010_cultivation: 双培养 (issue 6; docs/cultivation.md).
--
-- The talent pool builds on the person records of 002: a talent row adds the source, the
-- nomination channel and nominator, the 双带 ability rating, skills and status to one person;
-- the personal data (name, ID number encrypted with its keyed hash, birth date, sex, education)
-- stays in person, so a duplicate is the same person (id_number_hash is unique there) and a
-- person is in the pool at most once. Membership steps record each stage of the member-
-- development pipeline with its date (person.party_status follows the last step); cadre steps
-- record reserve cadre -> two-committee member -> secretary and collective manager, each with
-- the post it opened (post, 002). Courses with their attendance, secondments and mentoring pairs
-- are the training and practice records; cultivation_setting holds the reserve target and the
-- annual training hours required under a division prefix (the longest matching prefix applies;
-- without one the defaults of docs/cultivation.md apply). Every table holding village data
-- carries division_code.

CREATE TABLE talent (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL UNIQUE REFERENCES person (id),
  division_code INTEGER NOT NULL REFERENCES division (code),
  source TEXT NOT NULL CHECK (source IN ('returnee_graduate', 'returnee_worker', 'veteran',
                                         'wealth_leader', 'coop_chair')),
  channel TEXT NOT NULL CHECK (channel IN ('org_nomination', 'mass_nomination',
                                           'self_nomination')),
  nominator TEXT NOT NULL DEFAULT '',
  ability_rating INTEGER NOT NULL CHECK (ability_rating BETWEEN 1 AND 5),
  skills TEXT NOT NULL DEFAULT '[]',  -- JSON array of strings
  status TEXT NOT NULL CHECK (status IN ('active', 'paused', 'left')),
  entered_on TEXT,
  note TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX talent_division ON talent (division_code, source);

CREATE TABLE membership_step (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES person (id),
  division_code INTEGER NOT NULL REFERENCES division (code),
  stage TEXT NOT NULL CHECK (stage IN ('applicant', 'activist', 'development_target',
                                       'probationary_member', 'member', 'probation_extended')),
  step_date TEXT NOT NULL,
  months INTEGER NOT NULL DEFAULT 0 CHECK (months BETWEEN 0 AND 12),
  note TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL
) STRICT;
CREATE INDEX membership_step_person ON membership_step (person_id, step_date, id);
CREATE INDEX membership_step_division ON membership_step (division_code, stage);

CREATE TABLE cadre_step (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES person (id),
  division_code INTEGER NOT NULL REFERENCES division (code),
  stage TEXT NOT NULL CHECK (stage IN ('reserve_cadre', 'two_committee_member',
                                       'party_secretary', 'collective_manager')),
  step_date TEXT NOT NULL,
  post_id INTEGER REFERENCES post (id),
  note TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL
) STRICT;
CREATE INDEX cadre_step_person ON cadre_step (person_id, step_date, id);
CREATE INDEX cadre_step_division ON cadre_step (division_code, stage);

CREATE TABLE course (
  id INTEGER PRIMARY KEY,
  division_code INTEGER NOT NULL,  -- organizer: a county or township code as 12 digits
  title TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('pre_job', 'on_job', 'professional')),
  mode TEXT NOT NULL CHECK (mode IN ('expert_lecture', 'seminar', 'field_study', 'online',
                                     'offline')),
  direction TEXT NOT NULL CHECK (direction IN ('bring_in', 'go_out')),
  topics TEXT NOT NULL DEFAULT '[]',  -- JSON array of topic identifiers
  hours REAL NOT NULL CHECK (hours > 0),
  start_date TEXT NOT NULL,
  end_date TEXT NOT NULL,
  place TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CHECK (end_date >= start_date)
) STRICT;
CREATE INDEX course_division_start ON course (division_code, start_date);
CREATE INDEX course_start ON course (start_date);

CREATE TABLE attendance (
  course_id INTEGER NOT NULL REFERENCES course (id),
  person_id INTEGER NOT NULL REFERENCES person (id),
  division_code INTEGER NOT NULL REFERENCES division (code),
  attended INTEGER NOT NULL CHECK (attended IN (0, 1)),
  completed INTEGER NOT NULL CHECK (completed IN (0, 1)),
  hours REAL NOT NULL CHECK (hours >= 0),  -- credited
  PRIMARY KEY (course_id, person_id)
) STRICT;
CREATE INDEX attendance_division ON attendance (division_code, person_id);
CREATE INDEX attendance_person ON attendance (person_id);

CREATE TABLE secondment (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES person (id),
  division_code INTEGER NOT NULL REFERENCES division (code),
  host_kind TEXT NOT NULL CHECK (host_kind IN ('enterprise', 'park', 'new_org')),
  host TEXT NOT NULL,
  start_date TEXT NOT NULL,
  end_date TEXT,
  goals TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CHECK (end_date IS NULL OR end_date >= start_date)
) STRICT;
CREATE INDEX secondment_division ON secondment (division_code, start_date);
CREATE INDEX secondment_person ON secondment (person_id);

CREATE TABLE mentoring (
  id INTEGER PRIMARY KEY,
  mentor_person_id INTEGER NOT NULL REFERENCES person (id),
  mentee_person_id INTEGER NOT NULL REFERENCES person (id),
  division_code INTEGER NOT NULL REFERENCES division (code),
  goals TEXT NOT NULL,
  start_date TEXT NOT NULL,
  end_date TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CHECK (mentor_person_id <> mentee_person_id),
  CHECK (end_date IS NULL OR end_date >= start_date)
) STRICT;
CREATE INDEX mentoring_division ON mentoring (division_code, start_date);
CREATE INDEX mentoring_mentor ON mentoring (mentor_person_id);
CREATE INDEX mentoring_mentee ON mentoring (mentee_person_id);

CREATE TABLE cultivation_setting (
  scope TEXT PRIMARY KEY,  -- division prefix: 6 (county), 9 (township) or 12 (village) digits
  reserve_target INTEGER NOT NULL CHECK (reserve_target BETWEEN 0 AND 20),
  annual_hours REAL NOT NULL CHECK (annual_hours BETWEEN 0 AND 500),
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL
) STRICT;
