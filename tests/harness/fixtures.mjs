// Synthetic test data: valid ID numbers (GB 11643 check digit) and record bodies.
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

export function checkChar(first17) {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK[sum % 11];
}

// An ID number for someone born on `birth` (YYYY-MM-DD) in `region` (6 digits); odd sequence
// digit = male.
export function idNumber(region, birth, seq, sex = 'male') {
  let s = seq % 1000;
  if ((s % 2 === 1) !== (sex === 'male')) s = (s + 1) % 1000;
  const first17 = region + birth.replaceAll('-', '') + String(s).padStart(3, '0');
  return first17 + checkChar(first17);
}

export function withWrongCheck(id) {
  const c = id[17];
  const wrong = CHECK[(CHECK.indexOf(c) + 1) % 11];
  return id.slice(0, 17) + wrong;
}

let counter = 500;
export function personBody(divisionCode, overrides = {}) {
  counter += 2;
  const birth = overrides.birth_date || '1985-06-15';
  const sex = overrides.sex || 'male';
  return {
    name: '测试人员',
    sex,
    ethnicity: '汉族',
    birth_date: birth,
    id_number: idNumber(divisionCode.slice(0, 6), birth, counter, sex),
    phone: '13800001234',
    native_place: '河北阜平',
    education: 'senior_secondary',
    party_status: 'member',
    party_join_date: '2010-07-01',
    division_code: divisionCode,
    ...overrides,
  };
}
