// `make bench`: Sluice against its peers in one run, on the same generated
// files (bench/generate.mjs) and the same checks (bench/schema.json; the
// peers' versions in bench/contestants.mjs). Every contestant runs in its own
// process, three times per size (the median counts); peak memory is the
// process's maximum resident set. A contestant's rows, errors and rows with
// errors must equal Sluice's (and, up to 100,000 rows, its output rows must
// be the same values), or its line says so and it gets no ratio.
//
//   node bench/run.mjs [--sizes 10000,100000,1000000] [--runs 3] [--scaling] [--xlsx-rows 1000000]
//                      [--out bench/results/latest.md]
//
// --xlsx-rows N (default 1,000,000; 0 for none): the same records as an XLSX
// workbook, read and imported by the native CLI (the XLSX target is in MB/s
// of uncompressed sheet XML). --scaling adds Sluice's series over 10k, 100k, 1M and 5M rows (native and
// WASM), to see time and memory grow linearly. Writes a Markdown report with
// the machine's description and prints it.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { writeXlsx } from './generate-xlsx.mjs';
import { writeFile as generateFile } from './generate.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : fallback;
};
const sizes = option('--sizes', '10000,100000,1000000').split(',').map(Number);
const runs = Number(option('--runs', '3'));
const out = path.resolve(option('--out', path.join(here, 'results/latest.md')));
const scaling = args.includes('--scaling');
const xlsxRows = Number(option('--xlsx-rows', '1000000'));  // 0: no XLSX section
const dataDir = path.join(here, 'data');
mkdirSync(dataDir, { recursive: true });
mkdirSync(path.dirname(out), { recursive: true });

const cli = path.join(root, 'build/native/sluice');
const PEERS = ['papaparse', 'duckdb', 'duckdb-wasm'];
// sluice-native: the CLI as it runs by default (a worker thread per processor
// for a file read in passes); sluice-native-1t: on one thread (--threads 0),
// as DuckDB is run.
const SLUICE = ['sluice-native', 'sluice-native-1t', 'sluice-wasm', 'sluice-wasi'];
const TARGET_ROWS = 1000000;  // the size the targets are set for (a million-row export)
// Who is compared with whom (the targets).
const RATIOS = [['sluice-native', 'duckdb', 3], ['sluice-native-1t', 'duckdb', 3], ['sluice-wasm', 'papaparse', 6],
  ['sluice-wasm', 'duckdb-wasm', 1.5]];

async function input(rows) {
  const file = path.join(dataDir, `${rows}.csv`);
  if (!existsSync(file)) await generateFile(rows, file);
  return file;
}

// One run of one contestant: {rows, errors, rowsWithError, ms, maxRssMb} or {failed}.
function runOnce(name, file, output) {
  const timeFile = path.join(dataDir, 'time.txt');
  // The last run's output is removed before the clock starts: writing over it
  // would time the file system, not the contestant (truncating 200 MB frees
  // its pages, and ext4 then flushes the rewritten file at close: 100-160 ms).
  rmSync(output, { force: true });
  let command;
  if (name.startsWith('sluice-native')) {
    const metadata = path.join(dataDir, 'metadata.json');
    const threads = name === 'sluice-native-1t' ? '0' : '';
    command = ['bash', '-c', `exec "$0" import --schema "$1" "$2" --format json --metadata "$3" \${5:+--threads "$5"} > "$4"`,
      cli, path.join(here, 'schema.json'), file, metadata, output, threads];
    const started = performance.now();
    const child = spawnSync('/usr/bin/time', ['-f', '%M', '-o', timeFile, ...command], { encoding: 'utf8' });
    const ms = performance.now() - started;
    if (child.status !== 0 && child.status !== 2) return { failed: `exit ${child.status}: ${child.stderr.slice(0, 200)}` };
    const m = JSON.parse(readFileSync(metadata, 'utf8'));
    return { rows: m.num_data_rows, errors: m.errorCount, rowsWithError: m.rowsWithError, ms, maxRssMb: Number(readFileSync(timeFile, 'utf8').trim().split('\n').pop()) * 1024 / 1e6 };
  }
  const child = spawnSync('/usr/bin/time', ['-f', '%M', '-o', timeFile, process.execPath, '--max-old-space-size=16384',
    path.join(here, 'contestants.mjs'), name, file, output], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (child.status !== 0) return { failed: `exit ${child.status}: ${(child.stderr || child.stdout).trim().split('\n').slice(-3).join(' ').slice(0, 300)}` };
  const result = JSON.parse(child.stdout.trim().split('\n').pop());
  result.maxRssMb = Number(readFileSync(timeFile, 'utf8').trim().split('\n').pop()) * 1024 / 1e6;
  return result;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function measure(name, file, rows) {
  const output = path.join(dataDir, `out-${name}-${rows}.json`);
  const results = [];
  for (let i = 0; i < runs; i++) {
    const result = runOnce(name, file, output);
    if (result.failed) return { name, failed: result.failed };
    results.push(result);
  }
  const bytes = statSync(file).size;
  const ms = median(results.map((r) => r.ms));
  return {
    name, rows: results[0].rows, errors: results[0].errors, rowsWithError: results[0].rowsWithError,
    ms, mbps: bytes / 1e6 / (ms / 1000), rowsPerSecond: rows / (ms / 1000), maxRssMb: median(results.map((r) => r.maxRssMb)),
    output,
  };
}

// Up to 100,000 rows: the same values as Sluice's, row by row.
function sameRows(a, b) {
  const left = JSON.parse(readFileSync(a, 'utf8'));
  const right = JSON.parse(readFileSync(b, 'utf8'));
  if (left.length !== right.length) return `${right.length} rows, not ${left.length}`;
  for (let i = 0; i < left.length; i++) {
    if (JSON.stringify(left[i]) !== JSON.stringify(right[i])) return `row ${i} differs`;
  }
  return '';
}

function machine() {
  const cpu = os.cpus();
  const versions = (name) => {
    try {
      return JSON.parse(readFileSync(path.join(here, 'peers/node_modules', name, 'package.json'), 'utf8')).version;
    } catch {
      return '?';
    }
  };
  const sluice = JSON.parse(execFileSync(cli, ['--version'], { encoding: 'utf8' }));
  return [
    `- CPU: ${cpu[0].model}, ${cpu.length} cores; memory ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB; ${os.type()} ${os.release()}`,
    `- Node ${process.versions.node}; Sluice ${sluice.sluice} (native: g++ release build, the CLI's default of a worker thread per ` +
      `processor, and -1t on one thread; WASM: Emscripten, the npm package; WASI: the edge module)`,
    `- Peers: PapaParse ${versions('papaparse')}, DuckDB ${versions('@duckdb/node-api')} (@duckdb/node-api, SET threads=1), ` +
      `duckdb-wasm ${versions('@duckdb/duckdb-wasm')} (Node, blocking bindings)`,
    `- ${new Date().toISOString().slice(0, 10)}; medians of ${runs} runs; peak memory is the process's maximum resident set`,
  ].join('\n');
}

const fmt = (n, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const report = ['# Benchmark: Sluice and its peers', '', machine(), ''];
report.push('Each contestant reads the generated CSV, checks it against bench/schema.json\'s rules and writes the',
  'cleaned rows as one JSON array (bench/README.md). Ratios are speed ratios (peer time / Sluice time) and',
  'memory as a multiple of the input size (both in MB of 10^6 bytes).', '');

for (const rows of sizes) {
  const file = await input(rows);
  const bytes = statSync(file).size;
  console.error(`bench: ${fmt(rows)} rows (${(bytes / 1e6).toFixed(1)} MB)`);
  const results = [];
  for (const name of [...SLUICE, ...PEERS]) {
    console.error(`bench:   ${name}`);
    results.push(measure(name, file, rows));
  }
  const reference = results.find((r) => r.name === 'sluice-native');
  report.push(`## ${fmt(rows)} rows, ${(bytes / 1e6).toFixed(1)} MB`, '');
  report.push('| contestant | time | MB/s | rows/s | peak memory | × input | checked |', '| --- | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const r of results) {
    if (r.failed) {
      report.push(`| ${r.name} | failed | | | | | ${r.failed.replace(/\|/g, '/')} |`);
      continue;
    }
    let checked = reference && !reference.failed && r.rows === reference.rows && r.errors === reference.errors &&
      r.rowsWithError === reference.rowsWithError ? `${fmt(r.errors)} errors, as Sluice` : `**${r.rows} rows, ${r.errors} errors: not Sluice's**`;
    if (r.name !== 'sluice-native' && rows <= 100000 && reference && !reference.failed) {
      const problem = sameRows(reference.output, r.output);
      if (problem) checked = `**${problem}**`;
      else checked += '; same rows';
    }
    r.valid = !checked.startsWith('**');
    report.push(`| ${r.name} | ${fmt(r.ms)} ms | ${fmt(r.mbps, 1)} | ${fmt(r.rowsPerSecond)} | ${fmt(r.maxRssMb)} MB | ` +
      `${fmt(r.maxRssMb / (bytes / 1e6), 1)} | ${checked} |`);
  }
  // The targets are the for a million-row export: a smaller file's
  // ratios are shown, not judged (its times are mostly a process starting).
  const verdict = (met) => (rows >= TARGET_ROWS ? (met ? '(met)' : '(not met)') : '(judged at 1,000,000 rows)');
  report.push('', '| ratio | speed | target |', '| --- | ---: | ---: |');
  for (const [ours, theirs, target] of RATIOS) {
    const a = results.find((r) => r.name === ours);
    const b = results.find((r) => r.name === theirs);
    if (!a?.valid || !b?.valid) {
      report.push(`| ${ours} / ${theirs} | n/a | ≥ ${target}× |`);
      continue;
    }
    const ratio = b.ms / a.ms;
    report.push(`| ${ours} / ${theirs} | ${fmt(ratio, 2)}× | ≥ ${target}× ${verdict(ratio >= target)} |`);
  }
  for (const name of ['sluice-native', 'sluice-wasm']) {
    const r = results.find((x) => x.name === name);
    if (!r?.valid) continue;
    const times = r.maxRssMb / (bytes / 1e6);
    report.push(`| ${name} peak memory | ${fmt(times, 2)}× input | ≤ 2× ${verdict(times <= 2)} |`);
  }
  const native = results.find((x) => x.name === 'sluice-native');
  if (native?.valid) {
    report.push(`| sluice-native throughput | ${fmt(native.mbps, 1)} MB/s | ≥ 400 MB/s ${verdict(native.mbps >= 400)} |`);
  }
  report.push('');
}

// XLSX: the same records as a workbook (bench/generate-xlsx.mjs), read by
// the native CLI (inspect reads every cell) and imported; the target is in
// MB/s of uncompressed sheet XML. The import's rows must be the CSV's.
if (xlsxRows > 0) {
  const file = path.join(dataDir, `${xlsxRows}.xlsx`);
  const sizesFile = path.join(dataDir, `${xlsxRows}.xlsx.json`);
  if (!existsSync(file) || !existsSync(sizesFile)) {
    console.error(`bench: writing the ${fmt(xlsxRows)}-row workbook`);
    writeFileSync(sizesFile, JSON.stringify(await writeXlsx(xlsxRows, file)));
  }
  const { sheetXmlBytes, sharedStringsBytes, fileBytes } = JSON.parse(readFileSync(sizesFile, 'utf8'));
  const timed = (args, output) => {
    const times = [];
    let rss = [];
    for (let i = 0; i < runs; i++) {
      const timeFile = path.join(dataDir, 'time.txt');
      rmSync(output, { force: true });  // (as runOnce: not timing the file system)
      const started = performance.now();
      const child = spawnSync('/usr/bin/time', ['-f', '%M', '-o', timeFile, 'bash', '-c', 'exec "$0" "$@" > "$OUT"', cli, ...args],
        { encoding: 'utf8', env: { ...process.env, OUT: output } });
      times.push(performance.now() - started);
      if (child.status !== 0 && child.status !== 2) return { failed: `exit ${child.status}: ${child.stderr.slice(0, 200)}` };
      rss.push(Number(readFileSync(timeFile, 'utf8').trim().split('\n').pop()) * 1024 / 1e6);
    }
    return { ms: median(times), maxRssMb: median(rss) };
  };
  console.error(`bench: XLSX, ${fmt(xlsxRows)} rows`);
  const read = timed(['inspect', file], path.join(dataDir, 'out-xlsx-inspect.json'));
  const imported = timed(['import', '--schema', path.join(here, 'schema.json'), file, '--format', 'json'],
    path.join(dataDir, `out-xlsx-${xlsxRows}.json`));
  // The rows against the CSV's, as NDJSON, row by row: the same values, but
  // that a number cell shows its invalid value as the number's text ("-173.6"
  // where the CSV had "-173.60": Excel keeps the number, not the text).
  let checked = '';
  if (!imported.failed) {
    const ndjson = (input, output) => spawnSync('bash', ['-c', 'exec "$0" "$@" > "$OUT"', cli, 'import', '--schema',
      path.join(here, 'schema.json'), input, '--format', 'ndjson'], { env: { ...process.env, OUT: output } });
    const csvRows = path.join(dataDir, 'out-csv-rows.ndjson');
    const xlsxRowsFile = path.join(dataDir, 'out-xlsx-rows.ndjson');
    ndjson(await input(xlsxRows), csvRows);
    ndjson(file, xlsxRowsFile);
    const left = readFileSync(csvRows, 'utf8').split('\n');
    const right = readFileSync(xlsxRowsFile, 'utf8').split('\n');
    let numberTexts = 0;
    const sameValue = (a, b) => a === b || (typeof a === 'string' && typeof b === 'string' && a.trim() !== '' &&
      Number(a) === Number(b) && ++numberTexts > 0);
    let problem = left.length === right.length ? '' : `${right.length - 1} rows, not ${left.length - 1}`;
    for (let i = 0; i < left.length && !problem; i++) {
      if (left[i] === right[i]) continue;
      const a = JSON.parse(left[i]);
      const b = JSON.parse(right[i]);
      if (Object.keys(a).some((key) => !sameValue(a[key], b[key]))) problem = `row ${i} differs`;
    }
    checked = problem ? `**${problem}**` : `the CSV import's rows (${fmt(numberTexts)} invalid numbers shown as the number's text)`;
  }
  const xml = (sheetXmlBytes + sharedStringsBytes) / 1e6;
  report.push(`## XLSX, ${fmt(xlsxRows)} rows (file ${fmt(fileBytes / 1e6, 1)} MB; sheet XML ${fmt(sheetXmlBytes / 1e6, 1)} MB ` +
    `+ shared strings ${fmt(sharedStringsBytes / 1e6, 1)} MB uncompressed)`, '');
  report.push('| sluice-native | time | MB/s of sheet XML | MB/s of all XML | peak memory | checked |', '| --- | ---: | ---: | ---: | ---: | --- |');
  for (const [label, r, note] of [['read (inspect)', read, 'every cell read'], ['import', imported, checked]]) {
    if (r.failed) {
      report.push(`| ${label} | failed | | | | ${r.failed.replace(/\|/g, '/')} |`);
      continue;
    }
    report.push(`| ${label} | ${fmt(r.ms)} ms | ${fmt(sheetXmlBytes / 1e6 / (r.ms / 1000), 1)} | ${fmt(xml / (r.ms / 1000), 1)} | ` +
      `${fmt(r.maxRssMb)} MB | ${note} |`);
  }
  if (!read.failed) {
    const mbps = sheetXmlBytes / 1e6 / (read.ms / 1000);
    report.push('', `Target: read ≥ 100 MB/s of uncompressed sheet XML: ${fmt(mbps, 1)} MB/s ${mbps >= 100 ? '(met)' : '(not met)'}.`);
  }
  report.push('');
}

if (scaling) {
  report.push('## Scaling (Sluice)', '', '| rows | MB | native time | native peak | WASM time | WASM peak |', '| ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const rows of [10000, 100000, 1000000, 5000000]) {
    const file = await input(rows);
    const mb = statSync(file).size / 1e6;
    console.error(`bench: scaling ${fmt(rows)} rows`);
    const native = measure('sluice-native', file, rows);
    const wasm = measure('sluice-wasm', file, rows);
    const cell = (r) => (r.failed ? `failed: ${r.failed.slice(0, 60)}` : `${fmt(r.ms)} ms`);
    const peak = (r) => (r.failed ? '' : `${fmt(r.maxRssMb)} MB`);
    report.push(`| ${fmt(rows)} | ${fmt(mb, 1)} | ${cell(native)} | ${peak(native)} | ${cell(wasm)} | ${peak(wasm)} |`);
  }
  report.push('');
}

writeFileSync(out, report.join('\n'));
console.log(report.join('\n'));
