// The try-it page: reads a file or pasted text with the core (WebAssembly),
// entirely in the browser, and shows the rows.
import { createSluice } from '/pkg/js/index.js';

const $ = (id) => document.getElementById(id);
const status = $('status');
const MAX_SHOWN_ROWS = 1000;

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
    try {
      render(sluice.parse(bytes, { delimiter: $('delimiter').value }));
    } catch (error) {
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
