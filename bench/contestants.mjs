// One contestant of `make bench` (bench/run.mjs), run in a process of its own:
//   node bench/contestants.mjs <name> <input.csv> <output.json>
// Each does the same work: read the file, check it against bench/schema.json's
// rules (id an integer, required and unique: every duplicate marked; names
// required; email as HTML5 has it; the date in its three forms, month/day US
// order; amount a number, required, at least 0; active as yes/no/true/false/Y/N;
// plan one of 16 options by label or value, any case; country by ISO code or
// name; note at most 500 characters), and write the cleaned rows as one JSON
// array (typed values: numbers, booleans, ISO dates, option values, country
// codes; invalid cells as their text, empty ones null). It prints one line of
// JSON: {rows, errors (cells in error), rowsWithError, ms (from reading the
// file to the output written), maxRssMb}. run.mjs checks every contestant's
// counts against Sluice's, so nobody is timed doing less.
//
// Contestants: sluice-wasm (the npm package in Node), sluice-wasi (the edge
// module processing an upload, as the hosts run it), papaparse (PapaParse and
// the checks in plain JavaScript), duckdb (@duckdb/node-api, one thread: SQL
// checks, COPY to JSON), duckdb-wasm (@duckdb/duckdb-wasm in Node: SQL checks,
// rows out through Arrow and JSON.stringify, as its JSON extension would be
// downloaded). The native CLI is run by run.mjs directly.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const peers = createRequire(path.join(here, 'peers/package.json'));
const schema = JSON.parse(readFileSync(path.join(here, 'schema.json'), 'utf8'));

// ---- the rules, for the contestants written in JavaScript or SQL

const EMAIL = /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;
const PLAN_OPTIONS = schema.fields.find((f) => f.key === 'plan').selectOptions;
const PLANS = new Map(PLAN_OPTIONS.flatMap((o) => [[o.label.toLowerCase(), o.value], [o.value.toLowerCase(), o.value]]));
const ACTIVE = new Map([['yes', true], ['y', true], ['true', true], ['no', false], ['n', false], ['false', false]]);
// Countries by code and name, from the same iso-codes table Sluice is built with.
const ISO = JSON.parse(readFileSync('/usr/share/iso-codes/json/iso_3166-1.json', 'utf8'))['3166-1'];
const COUNTRIES = new Map();
for (const c of ISO) {
  for (const name of [c.alpha_2, c.alpha_3, c.name, c.common_name, c.official_name]) {
    if (name) COUNTRIES.set(name.toUpperCase(), c.alpha_2);
  }
}
const MONTHS = { Jan: 1, Feb: 2, Mar: 3, Apr: 4, May: 5, Jun: 6, Jul: 7, Aug: 8, Sep: 9, Oct: 10, Nov: 11, Dec: 12 };
const pad = (n) => String(n).padStart(2, '0');
function isoDate(text) {
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (m) return valid(+m[1], +m[2], +m[3]);
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  if (m) return valid(+m[3], +m[1], +m[2]);
  m = /^(\d{1,2}) ([A-Z][a-z]{2}) (\d{4})$/.exec(text);
  if (m && MONTHS[m[2]]) return valid(+m[3], MONTHS[m[2]], +m[1]);
  return null;
}
function valid(y, mo, d) {
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCMonth() === mo - 1 && date.getUTCDate() === d ? `${y}-${pad(mo)}-${pad(d)}` : null;
}
const NUMBER = /^-?\d+(\.\d+)?$/;

// Checks one row of texts (in the file's column order); returns [row object, errors].
function checkRow(cells, idCounts) {
  const [id, first, last, email, date, amount, active, plan, country, note] = cells.map((c) => (c ?? '').trim());
  let errors = 0;
  const out = {};
  if (/^-?\d+$/.test(id) && idCounts.get(id) === 1) {
    out.id = Number(id);
  } else {
    out.id = id === '' ? null : id;
    errors++;
  }
  out.first_name = first === '' ? (errors++, null) : first;
  out.last_name = last === '' ? (errors++, null) : last;
  if (email === '') out.email = null;
  else if (EMAIL.test(email)) out.email = email;
  else { out.email = email; errors++; }
  if (date === '') out.signup_date = null;
  else { const iso = isoDate(date); out.signup_date = iso ?? date; if (!iso) errors++; }
  if (amount === '') { out.amount = null; errors++; }
  else if (NUMBER.test(amount) && Number(amount) >= 0) out.amount = Number(amount);
  else { out.amount = amount; errors++; }
  out.active = active === '' ? false : ACTIVE.get(active.toLowerCase()) ?? (errors++, active);
  if (plan === '') out.plan = null;
  else { const value = PLANS.get(plan.toLowerCase()); out.plan = value ?? plan; if (!value) errors++; }
  if (country === '') out.country = null;
  else { const code = COUNTRIES.get(country.toUpperCase()); out.country = code ?? country; if (!code) errors++; }
  out.note = note === '' ? null : note;
  if ([...note].length > 500) errors++;
  return [out, errors];
}

// ---- contestants

async function sluiceWasm(input, output) {
  const { createReadStream, openSync, closeSync, statSync, writeSync } = await import('node:fs');
  const { createSluice } = await import('sluice');
  const sluice = await createSluice();
  const started = performance.now();
  // The file read from disk in 1 MB pieces, in passes (importStream given a
  // function that opens it again; a browser app would give importBlob its
  // File): the module holds a window of it, never all of it. The rows
  // streamed as one JSON array into the output file, a chunk at a time, as an
  // app would write them out (nothing kept but one chunk: each written from
  // the module's memory during the call, onRowsView, not copied first).
  const fd = openSync(output, 'w');
  const result = await sluice.importStream(() => createReadStream(input, { highWaterMark: 1 << 20 }), schema,
    { size: statSync(input).size, rowFormat: 'json', onRowsView: (chunk) => writeSync(fd, chunk) });
  closeSync(fd);
  const ms = performance.now() - started;
  return { rows: result.metadata.num_data_rows, errors: result.metadata.errorCount, rowsWithError: result.metadata.rowsWithError, ms };
}

// The edge module as the Node host runs it (its SQLite store and blob files
// in a scratch folder): an import created, the file uploaded through its
// signed URL, the processing job's steps (start, run), the result's JSON
// blob copied to the output.
async function sluiceWasi(input, output) {
  const { copyFileSync, mkdirSync, mkdtempSync, rmSync } = await import('node:fs');
  const os = await import('node:os');
  const { EdgeModule } = await import(path.join(root, 'edge/hosts/shared/edge-module.mjs'));
  const { runRequest } = await import(path.join(root, 'edge/hosts/shared/handler-loop.mjs'));
  const { SqliteStore } = await import(path.join(root, 'edge/hosts/node/sqlite-store.mjs'));
  const { BlobStore } = await import(path.join(root, 'edge/hosts/node/blob-store.mjs'));
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'sluice-bench-wasi-'));
  try {
    const edge = await EdgeModule.load(readFileSync(path.join(root, 'build/wasi/sluice-edge.wasm')), { log: () => {} });
    const store = new SqliteStore(path.join(scratch, 'kv.sqlite'));
    const blobs = new BlobStore(path.join(scratch, 'blobs'));
    store.putApiKey('bench', 'bench-key');
    const config = { base_url: 'http://bench', secret: 'b'.repeat(64), rate_limits: { creates_per_minute: 0, polls_per_minute: 0 } };
    const call = (method, pathname, body, extra = {}) => runRequest(edge, store, blobs, {
      makeRequest: () => ({ method, path: pathname, query: '', headers: { 'x-dromo-license-key': 'bench-key' }, now_ms: Date.now(), config, ...extra }),
      body,
      makeRandom: () => crypto.getRandomValues(new Uint8Array(32)),
    });
    const json = (answer) => JSON.parse(new TextDecoder().decode(answer.body));
    const created = json(await call('POST', '/api/v1/headless/imports/', new TextEncoder().encode(
      JSON.stringify({ fields: schema.fields, settings: schema.settings, original_filename: 'bench.csv' }))));
    const upload = new URL(created.upload);
    const org = upload.pathname.split('/')[2];
    const started = performance.now();
    mkdirSync(path.dirname(blobs.path('tmp/upload')), { recursive: true });
    copyFileSync(input, blobs.path('tmp/upload'));  // as the upload route streams a file to disk
    await call('PUT', upload.pathname, new Uint8Array(), { query: upload.search.slice(1), body_blob: 'tmp/upload', body_size: blobs.size('tmp/upload') });
    const base = `/internal/imports/${org}/${created.id}`;
    await call('POST', `${base}/start`, new Uint8Array(), { internal: true });
    await call('POST', `${base}/run`, new Uint8Array(), { internal: true });  // (the module reads the stored upload)
    const record = json(await call('GET', `/api/v1/headless/imports/${created.id}/`, new Uint8Array()));
    copyFileSync(blobs.path(`results/${org}/${created.id}.json`), output);  // as the host streams it to a client
    const ms = performance.now() - started;
    const metadata = record.result_metadata ?? {};
    store.close();
    return { rows: metadata.num_data_rows, errors: metadata.errorCount, rowsWithError: metadata.rowsWithError, ms };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function papaparse(input, output) {
  const Papa = peers('papaparse');
  const started = performance.now();
  const parsed = Papa.parse(readFileSync(input, 'utf8'), { skipEmptyLines: true });
  const rows = parsed.data.slice(1);
  const idCounts = new Map();
  for (const row of rows) {
    const id = (row[0] ?? '').trim();
    idCounts.set(id, (idCounts.get(id) ?? 0) + 1);
  }
  let errors = 0;
  let rowsWithError = 0;
  const out = [];
  for (const row of rows) {
    const [object, e] = checkRow(row, idCounts);
    errors += e;
    if (e) rowsWithError++;
    out.push(JSON.stringify(object));
  }
  writeFileSync(output, '[' + out.join(',') + ']');
  return { rows: rows.length, errors, rowsWithError, ms: performance.now() - started };
}

// The checks in SQL (DuckDB's dialect; both DuckDB contestants run it).
const PLAN_SQL = PLAN_OPTIONS.map((o) => `('${o.label.toLowerCase()}', '${o.value}'), ('${o.value}', '${o.value}')`).join(', ');
const COUNTRY_SQL = [...COUNTRIES].map(([name, code]) => `('${name.replace(/'/g, "''")}', '${code}')`).join(', ');
const SETUP_SQL = [
  `CREATE TABLE plans(name VARCHAR PRIMARY KEY, value VARCHAR); INSERT INTO plans SELECT DISTINCT * FROM (VALUES ${PLAN_SQL})`,
  `CREATE TABLE countries(name VARCHAR PRIMARY KEY, code VARCHAR); INSERT INTO countries VALUES ${COUNTRY_SQL}`,
];
const CHECK_SQL = (source) => `
CREATE TABLE checked AS
WITH raw AS (
  SELECT trim(coalesce(id, '')) AS id, trim(coalesce(first_name, '')) AS first_name, trim(coalesce(last_name, '')) AS last_name,
         trim(coalesce(email, '')) AS email, trim(coalesce(signup_date, '')) AS signup_date, trim(coalesce(amount, '')) AS amount,
         trim(coalesce(active, '')) AS active, trim(coalesce(plan, '')) AS plan, trim(coalesce(country, '')) AS country,
         trim(coalesce(note, '')) AS note, row_number() OVER () AS n
  FROM ${source}
), typed AS (
  SELECT raw.*, count(*) OVER (PARTITION BY raw.id) AS id_count,
    TRY_CAST(CASE WHEN regexp_full_match(raw.id, '-?[0-9]+') THEN raw.id END AS BIGINT) AS id_value,
    coalesce(TRY_STRPTIME(raw.signup_date, '%Y-%m-%d'), TRY_STRPTIME(raw.signup_date, '%m/%d/%Y'),
             TRY_STRPTIME(raw.signup_date, '%-d %b %Y'))::DATE AS date_value,
    CASE WHEN regexp_full_match(raw.amount, '-?[0-9]+(\\.[0-9]+)?') THEN TRY_CAST(raw.amount AS DOUBLE) END AS amount_value,
    CASE lower(raw.active) WHEN 'yes' THEN true WHEN 'y' THEN true WHEN 'true' THEN true
                           WHEN 'no' THEN false WHEN 'n' THEN false WHEN 'false' THEN false WHEN '' THEN false END AS active_value,
    plans.value AS plan_value, countries.code AS country_value
  FROM raw LEFT JOIN plans ON plans.name = lower(raw.plan) LEFT JOIN countries ON countries.name = upper(raw.country)
), flagged AS (
  SELECT *,
    (id_value IS NULL OR id_count > 1)::INT AS e_id, (first_name = '')::INT AS e_first, (last_name = '')::INT AS e_last,
    (email <> '' AND NOT regexp_full_match(email, '${EMAIL.source.slice(1, -1).replace(/'/g, "''")}'))::INT AS e_email,
    (signup_date <> '' AND date_value IS NULL)::INT AS e_date,
    (amount_value IS NULL OR amount_value < 0)::INT AS e_amount, (active_value IS NULL)::INT AS e_active,
    (plan <> '' AND plan_value IS NULL)::INT AS e_plan, (country <> '' AND country_value IS NULL)::INT AS e_country,
    (length(note) > 500)::INT AS e_note
  FROM typed
)
SELECT n,
  CASE WHEN e_id = 1 THEN to_json(nullif(id, '')) ELSE to_json(id_value) END AS id,
  nullif(first_name, '') AS first_name, nullif(last_name, '') AS last_name, nullif(email, '') AS email,
  coalesce(strftime(date_value, '%Y-%m-%d'), nullif(signup_date, '')) AS signup_date,
  CASE WHEN e_amount = 1 THEN to_json(nullif(amount, '')) ELSE to_json(amount_value) END AS amount,
  CASE WHEN e_active = 1 THEN to_json(active) ELSE to_json(active_value) END AS active,
  coalesce(plan_value, nullif(plan, '')) AS plan, coalesce(country_value, nullif(country, '')) AS country,
  nullif(note, '') AS note,
  e_id + e_first + e_last + e_email + e_date + e_amount + e_active + e_plan + e_country + e_note AS errors
FROM flagged`;
const OUTPUT_COLUMNS = "json(id) AS id, first_name, last_name, email, signup_date, json(amount) AS amount, json(active) AS active, plan, country, note";
const COUNT_SQL = 'SELECT count(*)::INT AS rows, sum(errors)::INT AS errors, count(*) FILTER (WHERE errors > 0)::INT AS rows_with_error FROM checked';

async function duckdbNative(input, output) {
  const { DuckDBInstance } = peers('@duckdb/node-api');
  const db = await DuckDBInstance.create(':memory:', { threads: '1' });
  const c = await db.connect();
  for (const sql of SETUP_SQL) await c.run(sql);
  const started = performance.now();
  await c.run(CHECK_SQL(`read_csv('${input}', all_varchar = true, header = true)`));
  await c.run(`COPY (SELECT ${OUTPUT_COLUMNS} FROM checked ORDER BY n) TO '${output}' (FORMAT JSON, ARRAY true)`);
  const [[rows, errors, rowsWithError]] = (await c.runAndReadAll(COUNT_SQL)).getRows();
  return { rows, errors, rowsWithError, ms: performance.now() - started };
}

async function duckdbWasm(input, output) {
  const duckdb = peers('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs');
  const dist = path.dirname(peers.resolve('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs'));
  const db = await duckdb.createDuckDB({
    mvp: { mainModule: path.join(dist, 'duckdb-mvp.wasm'), mainWorker: path.join(dist, 'duckdb-node-mvp.worker.cjs') },
    eh: { mainModule: path.join(dist, 'duckdb-eh.wasm'), mainWorker: path.join(dist, 'duckdb-node-eh.worker.cjs') },
  }, new duckdb.VoidLogger(), duckdb.NODE_RUNTIME);
  await db.instantiate();
  const c = db.connect();
  for (const sql of SETUP_SQL) c.query(sql);
  const started = performance.now();
  db.registerFileURL('input.csv', input, duckdb.DuckDBDataProtocol.NODE_FS, false);
  // Its JSON extension is not built in (it would be downloaded): to_json is
  // replaced by text, and the rows leave as Arrow columns, written by JSON.stringify.
  c.query(`CREATE MACRO json_text(x) AS CASE WHEN typeof(x) = 'VARCHAR'
    THEN '"' || replace(replace(CAST(x AS VARCHAR), '\\', '\\\\'), '"', '\\"') || '"' ELSE CAST(x AS VARCHAR) END`);
  c.query(CHECK_SQL("read_csv('input.csv', all_varchar = true, header = true)").replaceAll('to_json(', 'json_text('));
  const table = c.query('SELECT id, first_name, last_name, email, signup_date, amount, active, plan, country, note FROM checked ORDER BY n');
  const columns = table.schema.fields.map((f) => [f.name, table.getChild(f.name).toArray(), ['id', 'amount', 'active'].includes(f.name)]);
  const parts = [];
  for (let i = 0; i < table.numRows; i++) {
    const row = {};
    for (const [key, values, isJson] of columns) row[key] = isJson && values[i] !== null ? JSON.parse(values[i]) : values[i];
    parts.push(JSON.stringify(row));
  }
  writeFileSync(output, '[' + parts.join(',') + ']');
  const counts = c.query(COUNT_SQL).toArray()[0].toJSON();
  return { rows: counts.rows, errors: counts.errors, rowsWithError: counts.rows_with_error, ms: performance.now() - started };
}

const CONTESTANTS = { 'sluice-wasm': sluiceWasm, 'sluice-wasi': sluiceWasi, papaparse, duckdb: duckdbNative, 'duckdb-wasm': duckdbWasm };

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [name, input, output] = process.argv.slice(2);
  const run = CONTESTANTS[name];
  if (!run || !input || !output) {
    console.error(`usage: node bench/contestants.mjs <${Object.keys(CONTESTANTS).join('|')}> <input.csv> <output.json>`);
    process.exit(64);
  }
  const result = await run(path.resolve(input), path.resolve(output));
  console.log(JSON.stringify({ ...result, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
  process.exit(0);
}

export { CONTESTANTS, checkRow };
