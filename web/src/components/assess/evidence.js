// The four evidence sources as form and table specifications (field names are the API's, see
// src/domain/evidence.h): how one record is written, how the list is read, and the CSV header of
// a bulk import.
export const EVIDENCE_KINDS = ['periodic-ratings', 'spot-checks', 'duty-reports', 'satisfaction-surveys']

const year = new Date().getFullYear()

export const EVIDENCE = {
  'periodic-ratings': {
    list: '/assess/periodic-ratings',
    // PUT keyed by village and quarter
    path: (r) => `/villages/${r.division_code}/periodic-ratings/${encodeURIComponent(r.period)}`,
    method: 'put',
    fields: [
      { key: 'division_code', type: 'village' },
      { key: 'period', type: 'text', placeholder: `${year}Q1`, default: `${year}Q1` },
      { key: 'score', type: 'number', default: 80, precision: 1 },
      { key: 'meetings_held', type: 'int', default: 0 },
      { key: 'affairs_disclosures', type: 'int', default: 0 },
      { key: 'finance_disclosed', type: 'bool', default: true },
      { key: 'petitions', type: 'int', default: 0 },
      { key: 'note', type: 'text', default: '' },
    ],
    columns: ['period', 'score', 'meetings_held', 'affairs_disclosures', 'finance_disclosed', 'petitions', 'note'],
    sample: `division_code,period,score,meetings_held,affairs_disclosures,finance_disclosed,petitions,note\n`,
  },
  'spot-checks': {
    list: '/assess/spot-checks',
    // POST a new finding; PUT by id when editing one
    path: (r) => (r.id ? `/assess/spot-checks/${r.id}` : '/assess/spot-checks'),
    method: (r) => (r.id ? 'put' : 'post'),
    deletable: true,
    fields: [
      { key: 'division_code', type: 'village' },
      { key: 'check_date', type: 'date', default: '' },
      { key: 'category', type: 'select', vocabulary: 'findingCategory', default: 'other',
        options: ['organization_life', 'team_building', 'affairs_disclosure', 'finance', 'petitions', 'discipline', 'other'] },
      { key: 'severity', type: 'select', vocabulary: 'severity', default: 'minor', options: ['minor', 'moderate', 'serious'] },
      { key: 'finding', type: 'textarea', default: '' },
      { key: 'rectified', type: 'bool', default: false },
    ],
    columns: ['check_date', 'category', 'severity', 'finding', 'rectified'],
    sample: `division_code,check_date,category,severity,finding,rectified\n`,
  },
  'duty-reports': {
    list: '/assess/duty-reports',
    path: (r) => `/villages/${r.division_code}/duty-reports/${r.year}`,
    method: 'put',
    fields: [
      { key: 'division_code', type: 'village' },
      { key: 'year', type: 'int', default: year - 1 },
      { key: 'excellent', type: 'int', default: 0 },
      { key: 'competent', type: 'int', default: 0 },
      { key: 'basic', type: 'int', default: 0 },
      { key: 'incompetent', type: 'int', default: 0 },
      { key: 'development_target', type: 'bool', default: true },
    ],
    columns: ['year', 'excellent', 'competent', 'basic', 'incompetent', 'development_target'],
    sample: `division_code,year,excellent,competent,basic,incompetent,development_target\n`,
  },
  'satisfaction-surveys': {
    list: '/assess/satisfaction-surveys',
    path: (r) => `/villages/${r.division_code}/satisfaction-surveys/${r.year}`,
    method: 'put',
    fields: [
      { key: 'division_code', type: 'village' },
      { key: 'year', type: 'int', default: year - 1 },
      { key: 'responses', type: 'int', default: 100 },
      { key: 'satisfied', type: 'int', default: 80 },
    ],
    columns: ['year', 'responses', 'satisfied', 'rate'],
    sample: `division_code,year,responses,satisfied\n`,
  },
}
