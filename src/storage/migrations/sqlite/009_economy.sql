-- 009_economy: the village collective economy and 双挂钩 linkage (issue 5; docs/economy.md,
-- docs/linkage.md).
--
-- Each village has one collective economic organization (collective) with its unified social
-- credit code (GB 32100, checked in domain/economy.cc). Each year it files an annual report: the
-- income-distribution table and the balance-sheet totals, every amount an integer count of fen,
-- the identities checked before storing (surplus = income - costs; undistributed = surplus +
-- opening - funds - distribution; assets = classes = liabilities + equity). Projects (007) gain
-- funding sources with amounts. A county's linkage policy is versioned: each saved version is
-- immutable; decisions made under it (incentives, promotion, honours, adjustment) keep the
-- version they used and move proposed -> township_approved -> county_approved (or rejected),
-- each step recorded in linkage_step. Every table holding village data carries division_code.

CREATE TABLE collective (
  id INTEGER PRIMARY KEY,
  division_code INTEGER NOT NULL UNIQUE REFERENCES division (code),  -- one per village
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('shareholding_coop', 'economic_coop', 'economic_union',
                                     'other')),
  credit_code TEXT NOT NULL UNIQUE CHECK (length(credit_code) = 18),
  registered_on TEXT,
  member_count INTEGER NOT NULL CHECK (member_count >= 0),
  share_classes TEXT NOT NULL DEFAULT '[]',  -- JSON [{name, shares}]
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE annual_report (
  collective_id INTEGER NOT NULL REFERENCES collective (id),
  division_code INTEGER NOT NULL REFERENCES division (code),
  year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  operating_revenue INTEGER NOT NULL CHECK (operating_revenue >= 0),
  contracting_income INTEGER NOT NULL CHECK (contracting_income >= 0),
  investment_income INTEGER NOT NULL,
  subsidy_income INTEGER NOT NULL CHECK (subsidy_income >= 0),
  other_income INTEGER NOT NULL CHECK (other_income >= 0),
  operating_costs INTEGER NOT NULL CHECK (operating_costs >= 0),
  admin_expenses INTEGER NOT NULL CHECK (admin_expenses >= 0),
  other_expenses INTEGER NOT NULL CHECK (other_expenses >= 0),
  surplus INTEGER NOT NULL,
  opening_undistributed INTEGER NOT NULL,
  reserve_fund INTEGER NOT NULL CHECK (reserve_fund >= 0),
  welfare_fund INTEGER NOT NULL CHECK (welfare_fund >= 0),
  member_distribution INTEGER NOT NULL CHECK (member_distribution >= 0),
  undistributed INTEGER NOT NULL,
  current_assets INTEGER NOT NULL CHECK (current_assets >= 0),
  agricultural_assets INTEGER NOT NULL CHECK (agricultural_assets >= 0),
  long_term_investments INTEGER NOT NULL CHECK (long_term_investments >= 0),
  fixed_assets INTEGER NOT NULL CHECK (fixed_assets >= 0),
  other_assets INTEGER NOT NULL CHECK (other_assets >= 0),
  total_assets INTEGER NOT NULL CHECK (total_assets >= 0),
  liabilities INTEGER NOT NULL CHECK (liabilities >= 0),
  equity INTEGER NOT NULL,
  -- Derived on write (domain/economy.h) so statistics read one column.
  operating_income INTEGER NOT NULL,
  operating_profit INTEGER NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  PRIMARY KEY (collective_id, year),
  CHECK (operating_income = operating_revenue + contracting_income + investment_income),
  CHECK (operating_profit = operating_income - operating_costs)
) STRICT;
CREATE INDEX annual_report_division ON annual_report (division_code, year);
CREATE INDEX annual_report_year ON annual_report (year, division_code);

-- Where a project's money comes from (跑项目、找资金).
CREATE TABLE project_funding (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES project (id) ON DELETE CASCADE,
  division_code INTEGER NOT NULL REFERENCES division (code),  -- the project's village
  source TEXT NOT NULL CHECK (source IN ('government', 'enterprise', 'collective', 'other')),
  funder TEXT NOT NULL DEFAULT '',   -- e.g. "县财政衔接资金", an enterprise's name
  amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
  note TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX project_funding_project ON project_funding (project_id);

-- A county's linkage policy, one immutable row per saved version (JSON: the weak-economy
-- threshold, the incentive tiers/minimum/tenure/cap, the promotion/honours/adjustment rules).
CREATE TABLE linkage_policy (
  id INTEGER PRIMARY KEY,
  scope TEXT NOT NULL,              -- the county's 6-digit prefix
  version INTEGER NOT NULL CHECK (version >= 1),
  policy TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  UNIQUE (scope, version)
) STRICT;

-- One decision of a linkage list for a year: a manager's incentive (amount_fen), a cadre's
-- promotion eligibility, an honours nomination (score ranks the shortlist) or an adjustment.
-- person_id is the manager or cadre concerned (NULL when the village has none on record).
CREATE TABLE linkage_decision (
  id INTEGER PRIMARY KEY,
  policy_id INTEGER NOT NULL REFERENCES linkage_policy (id),
  year INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('incentive', 'promotion', 'honours', 'adjustment')),
  division_code INTEGER NOT NULL REFERENCES division (code),
  person_id INTEGER REFERENCES person (id),
  amount_fen INTEGER NOT NULL DEFAULT 0,
  score REAL NOT NULL DEFAULT 0,
  reasons TEXT NOT NULL,            -- JSON array of zh-CN lines with their figures
  status TEXT NOT NULL CHECK (status IN ('proposed', 'township_approved', 'county_approved',
                                         'rejected')),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (year, kind, division_code, person_id)
) STRICT;
CREATE INDEX linkage_decision_division ON linkage_decision (division_code, year);

-- Each move of a decision: who, when, from and to which status, and why.
CREATE TABLE linkage_step (
  id INTEGER PRIMARY KEY,
  decision_id INTEGER NOT NULL REFERENCES linkage_decision (id) ON DELETE CASCADE,
  division_code INTEGER NOT NULL REFERENCES division (code),
  from_status TEXT NOT NULL,
  to_status TEXT NOT NULL,
  comment TEXT NOT NULL DEFAULT '',
  at TEXT NOT NULL,
  by TEXT NOT NULL
) STRICT;
CREATE INDEX linkage_step_decision ON linkage_step (decision_id);

-- Equity incentives (股权激励) granted to managers of shareholding co-ops.
CREATE TABLE equity_incentive (
  id INTEGER PRIMARY KEY,
  collective_id INTEGER NOT NULL REFERENCES collective (id),
  division_code INTEGER NOT NULL REFERENCES division (code),
  person_id INTEGER NOT NULL REFERENCES person (id),
  shares INTEGER NOT NULL CHECK (shares > 0),
  granted_on TEXT NOT NULL,
  conditions TEXT NOT NULL DEFAULT '',  -- e.g. vesting on reaching an operating-profit target
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX equity_incentive_collective ON equity_incentive (collective_id);
