-- 003_assess_evidence: indicator sets for the classified assessment of village Party
-- organizations (issue 3), and the evidence from the seed's four sources: periodic (quarterly)
-- ratings, spot checks, the annual duty-report evaluation and the satisfaction survey.
--
-- Evidence tables are keyed by division_code (the village's 12-digit code) first, like every
-- village-data table, so a scope is one range on the primary key or index and a province-sharded
-- PostgreSQL install can partition on it. Counts are non-negative integers and flags are 0/1;
-- the CHECKs repeat the domain's invariants (domain/evidence.h) so that no writer can bypass them.
-- updated_by is the user name of the last writer (the audit log has the full history).

-- One version of an indicator set. Sets are immutable: editing stores the next version of the
-- same key. body is the whole set as JSON (services/assess_json.h IndicatorSetJson); the other
-- columns repeat what lists show without parsing it.
CREATE TABLE indicator_set (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL,                           -- "village-default"
  version INTEGER NOT NULL CHECK (version >= 1),
  name_zh TEXT NOT NULL,
  name_en TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',               -- what changed in this version
  body TEXT NOT NULL,                          -- JSON
  created_at TEXT NOT NULL,                    -- UTC ISO timestamp
  created_by TEXT NOT NULL,                    -- user name
  UNIQUE (key, version)
) STRICT;

-- A village's quarterly rating (定期评星) and what the quarter showed. period is "2025Q1";
-- year and quarter repeat it as numbers so that "every rating of 2025" is an index range.
CREATE TABLE periodic_rating (
  division_code INTEGER NOT NULL REFERENCES division (code),
  period TEXT NOT NULL,
  year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  quarter INTEGER NOT NULL CHECK (quarter BETWEEN 1 AND 4),
  score REAL NOT NULL CHECK (score >= 0 AND score <= 100),
  meetings_held INTEGER NOT NULL DEFAULT 0 CHECK (meetings_held >= 0),
  affairs_disclosures INTEGER NOT NULL DEFAULT 0 CHECK (affairs_disclosures >= 0),
  finance_disclosed INTEGER NOT NULL DEFAULT 0 CHECK (finance_disclosed IN (0, 1)),
  petitions INTEGER NOT NULL DEFAULT 0 CHECK (petitions >= 0),
  note TEXT NOT NULL DEFAULT '',
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (division_code, period),
  CHECK (period = year || 'Q' || quarter)
) STRICT;
CREATE INDEX periodic_rating_year ON periodic_rating (year, division_code);

-- One finding of a spot check (随机抽查 / 督查). A village may have any number in a year.
CREATE TABLE spot_check (
  id INTEGER PRIMARY KEY,
  division_code INTEGER NOT NULL REFERENCES division (code),
  check_date TEXT NOT NULL,                    -- YYYY-MM-DD
  category TEXT NOT NULL CHECK (category IN ('organization_life', 'team_building',
                                             'affairs_disclosure', 'finance', 'petitions',
                                             'discipline', 'other')),
  severity TEXT NOT NULL CHECK (severity IN ('minor', 'moderate', 'serious')),
  finding TEXT NOT NULL,
  rectified INTEGER NOT NULL DEFAULT 0 CHECK (rectified IN (0, 1)),  -- 已整改
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX spot_check_division_date ON spot_check (division_code, check_date);

-- The annual duty-report evaluation (年度述职评议) of the village Party organization secretary:
-- the evaluators' votes and whether the report set a development target.
CREATE TABLE duty_report (
  division_code INTEGER NOT NULL REFERENCES division (code),
  year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  excellent INTEGER NOT NULL DEFAULT 0 CHECK (excellent >= 0),      -- 优秀
  competent INTEGER NOT NULL DEFAULT 0 CHECK (competent >= 0),      -- 称职
  basic INTEGER NOT NULL DEFAULT 0 CHECK (basic >= 0),              -- 基本称职
  incompetent INTEGER NOT NULL DEFAULT 0 CHECK (incompetent >= 0),  -- 不称职
  development_target INTEGER NOT NULL DEFAULT 0 CHECK (development_target IN (0, 1)),
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (division_code, year),
  CHECK (excellent + competent + basic + incompetent > 0)
) STRICT;

-- The year's satisfaction survey (群众满意度测评): satisfied counts 满意 and 基本满意.
CREATE TABLE satisfaction_survey (
  division_code INTEGER NOT NULL REFERENCES division (code),
  year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  responses INTEGER NOT NULL CHECK (responses > 0),
  satisfied INTEGER NOT NULL CHECK (satisfied >= 0 AND satisfied <= responses),
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (division_code, year)
) STRICT;
