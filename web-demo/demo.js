// The try-it page: reads a file or pasted text with the core (WebAssembly),
// entirely in the browser, shows the rows and what was detected, and imports
// them with a schema: the mapping with its reasons, the checked rows with
// their messages, the outcome, and the cleaned rows to download.
import { createSluice } from '/pkg/js/index.js';

const $ = (id) => document.getElementById(id);
const status = $('status');
const MAX_SHOWN_ROWS = 1000;

function describe(inspection) {
  const parts = [`${inspection.format.toUpperCase()}`, `encoding ${inspection.encoding.name}`];
  if (inspection.dialect) parts.push(`delimiter ${JSON.stringify(inspection.dialect.delimiter)}`);
  const selected = inspection.sheets.find((sheet) => sheet.selected);
  if (selected) parts.push(`sheet "${selected.name}" of ${inspection.sheets.length}`);
  const { header } = inspection;
  parts.push(header.row === null ? 'no confident header row'
    : `header row ${header.row + 1} (${Math.round(header.confidence * 100)}% confident)`);
  return parts.join(' · ');
}

function render(rows) {
  const table = $('rows');
  table.replaceChildren();
  rows.slice(0, MAX_SHOWN_ROWS).forEach((row, index) => {
    const tr = table.insertRow();
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = String(index + 1);
    tr.append(th);
    for (const cell of row) tr.insertCell().textContent = cell;
  });
  const shown = Math.min(rows.length, MAX_SHOWN_ROWS);
  status.textContent = `${rows.length} rows read` + (shown < rows.length ? ` (first ${shown} shown)` : '');
  status.classList.remove('error');
}

function showError(error) {
  status.textContent = error.code ? `${error.code}: ${error.message}` : String(error.message ?? error);
  status.classList.add('error');
}

const SHOWN_CHECKED_ROWS = 200;
let current = null;  // the bytes read last
let session = null;

function download(name, type, text) {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([text], { type }));
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

function showImport(summary, rows) {
  $('result').hidden = false;
  const reasons = summary.reasons.map((r) => r.message).join(' · ');
  $('outcome').textContent = `${summary.outcome}: ${summary.rows} rows, ${summary.rowsWithError} with errors, ` +
    `${summary.errors} errors, ${summary.warnings} warnings${reasons ? ` — ${reasons}` : ''}`;
  const mapping = $('mapping');
  mapping.replaceChildren();
  const head = mapping.createTHead().insertRow();
  for (const title of ['File column', 'Field', 'Confidence', 'Why']) head.append(Object.assign(document.createElement('th'), { textContent: title }));
  summary.rawHeaders.forEach((header, column) => {
    const match = summary.mapping.find((m) => m.column === column);
    const tr = mapping.insertRow();
    tr.insertCell().textContent = header;
    tr.insertCell().textContent = match?.fieldKey ?? '(not imported)';
    tr.insertCell().textContent = match ? `${Math.round(match.confidence * 100)}%` : '';
    tr.insertCell().textContent = match?.reason ?? '';
  });
  const table = $('checked');
  table.replaceChildren();
  const keys = summary.fieldKeys;
  const headRow = table.createTHead().insertRow();
  for (const title of ['#', ...keys]) headRow.append(Object.assign(document.createElement('th'), { textContent: title }));
  for (const row of rows) {
    const tr = table.insertRow();
    tr.insertCell().textContent = String(row.rowIndex + 1);
    for (const key of keys) {
      const td = tr.insertCell();
      td.textContent = row.texts[key];
      const messages = row.messages.filter((m) => m.fieldKey === key);
      if (messages.length) {
        td.className = messages.some((m) => m.level === 'error') ? 'cell-error' : 'cell-warning';
        td.title = messages.map((m) => m.message).join('\n');
      }
    }
  }
  $('row-note').textContent = summary.rows > rows.length
    ? `The first ${rows.length} of ${summary.rows} rows; hover a coloured cell for its message.`
    : 'Hover a coloured cell for its message.';
}

try {
  const sluice = await createSluice();
  const read = (bytes) => {
    current = bytes;
    const options = $('delimiter').value ? { delimiter: $('delimiter').value } : {};
    try {
      $('detected').textContent = describe(sluice.inspect(bytes, { ...options, previewRows: 0 }));
      render(sluice.parse(bytes, options));
    } catch (error) {
      $('detected').textContent = '';
      showError(error);
    }
  };
  $('parse').addEventListener('click', () => read($('text').value));
  // The hook sandbox (a schema's JavaScript hooks), loaded when one first needs it.
  let hookRunner = null;
  const hooks = () => {
    hookRunner ??= import('/pkg/web/sluice-hooks.mjs').then(({ createHookRunner }) =>
      createHookRunner({ wasmUrl: '/pkg/web/quickjs.wasm' }));
    return hookRunner;
  };
  $('import').addEventListener('click', async () => {
    try {
      const input = current ?? $('text').value;
      const schema = JSON.parse($('schema').value);
      session?.close();
      session = sluice.openReview(input, schema);
      if (session.hooksPending) {
        status.textContent = 'Running the schema\'s hooks…';
        await session.runHooks(await hooks());
        status.textContent = 'Hooks ran.';
      }
      const summary = { ...session.summary(), fieldKeys: (schema.fields ?? []).map((f) => f.key) };
      showImport(summary, session.rows(0, SHOWN_CHECKED_ROWS));
      status.classList.remove('error');
    } catch (error) {
      $('result').hidden = true;
      showError(error instanceof SyntaxError ? { code: 'schema_json', message: error.message } : error);
    }
  });
  $('export-json').addEventListener('click', () => download('cleaned.json', 'application/json', session.export({ format: 'json' })));
  $('export-csv').addEventListener('click', () => download('cleaned.csv', 'text/csv', session.export({ format: 'csv' })));
  $('sample').addEventListener('change', async () => {
    const name = $('sample').value;
    if (!name) return;
    const file = name === 'orders' ? 'orders.tsv' : 'contacts.csv';
    const [text, schema] = await Promise.all([
      fetch(`samples/${file}`).then((r) => r.text()),
      fetch(`samples/${name}.schema.json`).then((r) => r.text()),
    ]);
    $('text').value = text;
    $('schema').value = schema;
    $('delimiter').value = '';
    read(text);
  });
  $('text').addEventListener('input', () => { current = null; });
  // A file dropped anywhere on the page is read like a chosen one.
  document.addEventListener('dragover', (event) => {
    event.preventDefault();
    document.body.classList.add('dropping');
  });
  document.addEventListener('dragleave', (event) => {
    if (event.relatedTarget === null) document.body.classList.remove('dropping');
  });
  document.addEventListener('drop', async (event) => {
    event.preventDefault();
    document.body.classList.remove('dropping');
    const file = event.dataTransfer?.files?.[0];
    if (file) read(new Uint8Array(await file.arrayBuffer()));
  });
  $('file').addEventListener('change', async () => {
    const file = $('file').files[0];
    if (file) read(new Uint8Array(await file.arrayBuffer()));
  });
  status.textContent = `Ready (Sluice ${sluice.versions().sluice}).`;
  document.body.dataset.ready = 'true';
} catch (error) {
  showError(error);
}
