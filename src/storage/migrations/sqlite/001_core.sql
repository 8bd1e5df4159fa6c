-- 001_core: settings and the national division registry (NBS statistical division codes).

-- Settings as key/value text: demo flag, demo county, registry source...
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

-- One row per division: province, prefecture, county, township or village-level unit, keyed by
-- its 12-digit code (130624100201). parent_code is NULL for a province. Everything under a
-- division is the code range of its prefix, so range scans on the primary key find it.
-- The level CHECK is written with OR rather than IN (...): SQLite builds a temporary table for an
-- IN list on every row checked, which made the national import (665,271 rows) twice as slow.
CREATE TABLE division (
  code INTEGER PRIMARY KEY,
  level TEXT NOT NULL CHECK (level = 'province' OR level = 'prefecture' OR level = 'county'
                             OR level = 'township' OR level = 'village'),
  name TEXT NOT NULL,
  parent_code INTEGER
) STRICT;

CREATE INDEX division_parent ON division (parent_code);
