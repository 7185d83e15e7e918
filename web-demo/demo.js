// The try-it page: reads a file or pasted text with the core (WebAssembly),
// entirely in the browser, and shows the rows.
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

try {
  const sluice = await createSluice();
  const read = (bytes) => {
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
  $('file').addEventListener('change', async () => {
    const file = $('file').files[0];
    if (file) read(new Uint8Array(await file.arrayBuffer()));
  });
  status.textContent = `Ready (Sluice ${sluice.versions().sluice}).`;
  document.body.dataset.ready = 'true';
} catch (error) {
  showError(error);
}
