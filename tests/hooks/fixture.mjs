// One hook set, used by the package's tests and by the API suite on every
// host: the rows it gives must be the same bytes everywhere.
export const HOOKS_FILE = [
  'First,Last,Email,Country,Plan,VIP',
  'Ada,Lovelace, ADA@Example.ORG ,gb,gold,no',
  'Bob,Babbage,bob@example.com,us,platinum,yes',
  'Cy,,cy@example.net,fr,platinum,no',
  '',
].join('\n');

export const HOOKS = {
  columnHooks: [{
    fieldName: 'email',
    // Trims and lower-cases the column; warns about example.com.
    callback: `(values) => values.map(({ index, value }) => {
      const clean = value.trim().toLowerCase();
      return clean.endsWith('@example.com')
        ? { index, value: clean, info: [{ message: 'a test address', level: 'warning' }] }
        : { index, value: clean };
    })`,
  }],
  rowHooks: [
    // Fills the full name (a field no column has), upper-cases the country,
    // gives VIP rows one more plan, and flags a row without a last name.
    `async ({ index, row }, mode) => {
      const { first, last, country, vip } = row;
      const out = {
        full_name: { value: [first.value, last.value].filter(Boolean).join(' ') },
        country: { value: country.value.toUpperCase() },
        mode: { value: mode },
      };
      if (vip.resultValue === true) {
        out.plan = { selectOptions: [{ label: 'Gold', value: 'gold' }, { label: 'Platinum', value: 'platinum' }] };
      }
      if (!last.value) out.last = { info: [{ message: \`row \${index} has no last name\`, level: 'error' }] };
      return { row: out };
    }`,
  ],
  bulkRowHooks: [
    '(records) => records.map((r) => ({ index: r.index, row: { seq: { value: String(r.index + 1) } } }))',
  ],
  beforeFinishCallback: '(data, metadata) => data.length > 100 ? { cancel: true, message: "too many rows" } : undefined',
};

export const HOOKS_SCHEMA = {
  fields: [
    { key: 'first', label: 'First' },
    { key: 'last', label: 'Last' },
    { key: 'full_name', label: 'Full name', validators: [{ validate: 'required' }] },
    { key: 'email', label: 'Email', type: 'email' },
    { key: 'country', label: 'Country' },
    { key: 'plan', label: 'Plan', type: 'select', selectOptions: [{ label: 'Gold', value: 'gold' }] },
    { key: 'vip', label: 'VIP', type: 'checkbox' },
    { key: 'mode', label: 'Mode' },
    { key: 'seq', label: 'Seq', type: 'number' },
  ],
  settings: { invalidDataBehavior: 'INCLUDE_INVALID_ROWS' },
  hooks: HOOKS,
};

// What the hooks make of the file.
export const HOOKS_ROWS = [
  { first: 'Ada', last: 'Lovelace', full_name: 'Ada Lovelace', email: 'ada@example.org', country: 'GB', plan: 'gold', vip: false, mode: 'init', seq: 1 },
  { first: 'Bob', last: 'Babbage', full_name: 'Bob Babbage', email: 'bob@example.com', country: 'US', plan: 'platinum', vip: true, mode: 'init', seq: 2 },
  { first: 'Cy', last: null, full_name: 'Cy', email: 'cy@example.net', country: 'FR', plan: 'platinum', vip: false, mode: 'init', seq: 3 },
];
