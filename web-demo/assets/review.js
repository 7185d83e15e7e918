// The review page behind review_url (API.md "Review"): loads the import
// through the review routes (the token of the link), opens a review session
// on the file in a Web Worker (sluice/worker, so the page never freezes), and
// lets a person fix the header row, the columns and the cells, checked as they
// type by the same core the server runs. Submit sends the session's recorded
// changes; the server runs the import again on them and says what it thinks.
import { createSluiceWorker } from '/pkg/js/worker.js';

const ROW_HEIGHT = 30;
const $ = (id) => document.getElementById(id);
const id = decodeURIComponent(location.pathname.split('/').filter(Boolean)[1] ?? '');
const token = new URLSearchParams(location.search).get('token') ?? '';

const state = {
  view: null, bytes: null, worker: null, session: null, preview: null, summary: null, fields: [],
  step: 'data', cache: new Map(), errorRows: null, onlyErrors: false,
  active: { row: 0, col: 0 }, editing: null, busy: false,
};

const reviewUrl = (suffix = '') => `/api/v1/headless/imports/${encodeURIComponent(id)}/review/${suffix}?token=${encodeURIComponent(token)}`;

function problem(text) {
  $('problem').hidden = !text;
  $('problem').textContent = text ?? '';
}

async function fetchJson(url, options) {
  const response = await fetch(url, options);
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body?.error?.message ?? `HTTP ${response.status}`);
  return body;
}

// ---- loading --------------------------------------------------------------

async function load() {
  try {
    state.view = await fetchJson(reviewUrl());
  } catch (error) {
    problem(`This review link cannot be opened: ${error.message}`);
    $('counts').textContent = '';
    document.body.dataset.ready = 'error';
    return;
  }
  $('filename').textContent = state.view.original_filename ?? '';
  if (state.view.status !== 'NEEDS_REVIEW') return showVerdict(state.view);
  state.bytes = new Uint8Array(await (await fetch(state.view.file_url)).arrayBuffer());
  state.worker ??= await createSluiceWorker();
  state.fields = state.view.schema.fields ?? [];
  await openSession(state.view.submission ?? undefined);
  const reasons = (state.view.import_errors ?? []).map((e) => e.code);
  showStep(reasons.includes('header_not_confident') ? 'header' : reasons.includes('field_unmapped') ? 'mapping' : 'data');
  $('submit').disabled = false;
  document.body.dataset.ready = 'true';
}

async function openSession(changes) {
  await state.session?.close();
  state.session = await state.worker.openReview(state.bytes, state.view.schema, changes ? { changes } : {});
  state.preview = await state.worker.inspect(state.bytes, { previewRows: 15 });
  await refresh();
}

// The schema's hooks, run over the session as the server will run them: on
// opening and after every edit (in the worker's QuickJS sandbox, bundled for
// plain pages at /pkg/web/).
const HOOKS = { hooksUrl: '/pkg/web/sluice-hooks.mjs', wasmUrl: '/pkg/web/quickjs.wasm' };
const hasHooks = () => {
  const hooks = state.view?.schema?.hooks ?? {};
  return ['columnHooks', 'rowHooks', 'bulkRowHooks'].some((k) => hooks[k]?.length) || Boolean(hooks.beforeFinishCallback);
};

// After any change: the hooks, the summary, counts, and every view drawn again.
async function refresh() {
  if (hasHooks() && await state.session.hooksPending()) {
    $('counts').textContent = 'Running the import\'s hooks…';
    await state.session.runHooks(HOOKS);
  }
  state.summary = await state.session.summary();
  const hookFailure = (state.summary.reasons ?? []).find((r) => r.code === 'hook_failed' || r.code === 'hook_invalid_result');
  if (hookFailure) problem(`A hook of this import failed, so it cannot be submitted: ${hookFailure.message}`);
  state.cache.clear();
  state.errorRows = null;
  if (state.onlyErrors) await loadErrorRows();
  const { rows, rowsWithError, errors, warnings } = state.summary;
  $('counts').textContent = `${rows} rows · ${rowsWithError} with errors · ${errors} errors · ${warnings} warnings`;
  renderFieldErrors();
  renderHeaderStep();
  renderMappingStep();
  await renderOptionsStep();
  renderGrid();
}

function showStep(step) {
  state.step = step;
  for (const button of document.querySelectorAll('.steps button')) {
    if (button.dataset.step === step) button.setAttribute('aria-current', 'step');
    else button.removeAttribute('aria-current');
  }
  for (const name of ['header', 'mapping', 'data']) $(`step-${name}`).hidden = name !== step;
  if (step === 'data') renderGrid();
}

// ---- step 1: header row -----------------------------------------------------

function renderHeaderStep() {
  const table = $('header-rows');
  table.replaceChildren();
  const chosen = state.summary.headerRow;
  const detected = state.preview.header;
  $('header-note').textContent = detected.row === null
    ? 'No row could be chosen with confidence: pick the one with the column names.'
    : `Row ${detected.row + 1} was detected as the header (confidence ${Math.round(detected.confidence * 100)}%).`;
  state.preview.preview.forEach((cells, index) => {
    const tr = table.insertRow();
    tr.className = `header-choice${index === chosen ? ' chosen' : ''}`;
    const pick = tr.insertCell();
    const radio = document.createElement('input');
    radio.type = 'radio';
    radio.name = 'header-row';
    radio.checked = index === chosen;
    radio.setAttribute('aria-label', `Row ${index + 1} holds the column names`);
    radio.addEventListener('change', () => change(() => state.session.setHeaderRow(index)));
    pick.append(radio, ` ${index + 1}`);
    for (const cell of cells) tr.insertCell().textContent = cell;
    tr.addEventListener('click', (event) => {
      if (event.target !== radio && index !== chosen) radio.click();
    });
  });
}

// ---- step 2: columns ---------------------------------------------------------

function renderMappingStep() {
  const table = $('mapping');
  table.replaceChildren();
  const head = table.createTHead().insertRow();
  for (const title of ['File column', 'Sample', 'Field', 'Why']) head.append(Object.assign(document.createElement('th'), { textContent: title }));
  const { rawHeaders, mapping, headerRow } = state.summary;
  const sample = state.preview.preview[headerRow + 1] ?? [];
  const body = table.createTBody();
  rawHeaders.forEach((header, column) => {
    const match = mapping.find((m) => m.column === column);
    const tr = body.insertRow();
    tr.insertCell().textContent = header || `(column ${column + 1})`;
    tr.insertCell().textContent = sample[column] ?? '';
    const select = document.createElement('select');
    select.dataset.column = String(column);
    select.setAttribute('aria-label', `Field for the column ${header || column + 1}`);
    select.append(new Option('— not imported —', ''));
    for (const field of state.fields) select.append(new Option(`${field.label} (${field.key})`, field.key));
    select.value = match?.fieldKey ?? '';
    select.addEventListener('change', () => change(() => state.session.setMapping(currentMapping())));
    tr.insertCell().append(select);
    tr.insertCell().textContent = match ? `${Math.round(match.confidence * 100)}% · ${match.reason}` : '';
  });
  const unmapped = state.summary.reasons.filter((r) => r.code === 'field_unmapped');
  $('mapping-note').innerHTML = '';
  if (unmapped.length) {
    $('mapping-note').className = 'flag';
    $('mapping-note').textContent = unmapped.map((r) => r.message).join(' · ');
  } else {
    $('mapping-note').className = '';
    $('mapping-note').textContent = 'Every required field has a column.';
  }
}

// Values of select fields that match no option: the person says which option each is.
async function renderOptionsStep() {
  const box = $('options');
  box.replaceChildren();
  const changes = await state.session.changes();
  const chosen = changes.optionMappings ?? {};
  for (const field of state.fields) {
    if (field.type !== 'select' && field.type !== 'multi-select') continue;
    if (!state.summary.mapping.some((m) => m.fieldKey === field.key)) continue;
    const { messages } = await state.session.messages({ field: field.key, limit: 100000 });
    const unmatched = [...new Set(messages.filter((m) => m.code === 'select.no_match').map((m) => m.value))];
    const values = [...new Set([...unmatched, ...Object.keys(chosen[field.key] ?? {})])];
    if (values.length === 0) continue;
    const heading = Object.assign(document.createElement('h3'), { textContent: `Values of ${field.label} that match no option` });
    const table = document.createElement('table');
    table.className = 'option-map';
    for (const value of values.slice(0, 200)) {
      const tr = table.insertRow();
      tr.insertCell().textContent = value;
      const select = document.createElement('select');
      select.setAttribute('aria-label', `Option for the value ${value} of ${field.label}`);
      select.append(new Option('— leave as it is —', ''));
      for (const option of field.selectOptions ?? []) select.append(new Option(option.label, option.value));
      select.value = chosen[field.key]?.[value] ?? '';
      select.addEventListener('change', () => change(() => state.session.setOptionMapping(field.key, value, select.value || null)));
      tr.insertCell().append(select);
    }
    box.append(heading, table);
  }
}

function currentMapping() {
  const mapping = {};
  for (const select of $('mapping').querySelectorAll('select')) mapping[select.dataset.column] = select.value || null;
  return mapping;
}

// ---- step 3: the grid --------------------------------------------------------

function displayCount() {
  return state.onlyErrors ? (state.errorRows?.length ?? 0) : state.summary.rows;
}
function rowAt(display) {
  return state.onlyErrors ? state.errorRows[display] : display;
}

async function loadErrorRows() {
  const { messages } = await state.session.messages({ level: 'error', limit: 1000000 });
  state.errorRows = [...new Set(messages.map((m) => m.rowIndex))].sort((a, b) => a - b);
}

function renderFieldErrors() {
  const list = $('field-errors');
  list.replaceChildren();
  for (const field of state.fields) {
    const codes = state.summary.byField[field.key] ?? {};
    const total = Object.values(codes).reduce((a, b) => a + b, 0);
    if (total === 0) continue;
    const item = document.createElement('li');
    item.textContent = `${field.label}: ${total} (${Object.entries(codes).map(([c, n]) => `${c} ${n}`).join(', ')})`;
    list.append(item);
  }
  const select = $('find-field');
  if (select.options.length === 1) for (const field of state.fields) select.append(new Option(field.label, field.key));
}

function renderGrid() {
  if (!state.summary || state.step !== 'data') return;
  const grid = $('grid');
  grid.style.setProperty('--columns', `4rem repeat(${state.fields.length}, minmax(8rem, 1fr))`);
  grid.style.setProperty('--min-width', `${4 + 8 * state.fields.length}rem`);
  grid.setAttribute('aria-rowcount', String(displayCount()));
  const head = $('grid-head');
  head.replaceChildren(Object.assign(document.createElement('div'), { textContent: '#', role: 'columnheader' }));
  for (const field of state.fields) {
    head.append(Object.assign(document.createElement('div'), { textContent: field.label, role: 'columnheader', title: field.key }));
  }
  $('grid-space').style.height = `${displayCount() * ROW_HEIGHT}px`;
  drawVisible();
}

let drawing = 0;
async function drawVisible() {
  const body = $('grid-body');
  const first = Math.max(0, Math.floor(body.scrollTop / ROW_HEIGHT) - 5);
  const last = Math.min(displayCount(), Math.ceil((body.scrollTop + body.clientHeight) / ROW_HEIGHT) + 5);
  const ticket = ++drawing;
  const missing = [];
  for (let d = first; d < last; d++) if (!state.cache.has(rowAt(d))) missing.push(rowAt(d));
  // Contiguous runs of missing rows, one call each.
  missing.sort((a, b) => a - b);
  const runs = [];
  for (const row of missing) {
    const run = runs.at(-1);
    if (run && row === run.end) run.end++;
    else runs.push({ start: row, end: row + 1 });
  }
  await Promise.all(runs.map(async ({ start, end }) => {
    for (const row of await state.session.rows(start, end - start)) state.cache.set(row.rowIndex, row);
  }));
  if (ticket !== drawing) return;  // a newer draw is on its way
  const space = $('grid-space');
  space.replaceChildren();
  for (let d = first; d < last; d++) {
    const row = state.cache.get(rowAt(d));
    if (row) space.append(rowElement(row, d));
  }
  if (state.editing) startEdit(state.editing.initial, true);
  showCellMessage();
}

function rowElement(row, display) {
  const element = document.createElement('div');
  element.className = `grid-row${display === state.active.row ? ' selected' : ''}`;
  element.setAttribute('role', 'row');
  element.setAttribute('aria-rowindex', String(display + 1));
  element.style.top = `${display * ROW_HEIGHT}px`;
  element.append(Object.assign(document.createElement('div'), { className: 'index', textContent: String(row.rowIndex + 1) }));
  state.fields.forEach((field, col) => {
    const cell = document.createElement('div');
    const messages = row.messages.filter((m) => m.fieldKey === field.key);
    const level = messages.some((m) => m.level === 'error') ? 'error' : messages.some((m) => m.level === 'warning') ? 'warning'
      : messages.length ? 'info' : '';
    cell.className = `cell ${level}${display === state.active.row && col === state.active.col ? ' active' : ''}`;
    cell.setAttribute('role', 'gridcell');
    cell.dataset.display = String(display);
    cell.dataset.col = String(col);
    cell.textContent = row.texts[field.key] ?? '';
    if (messages.length) cell.title = messages.map((m) => m.message).join('\n');
    cell.addEventListener('click', () => setActive(display, col));
    cell.addEventListener('dblclick', () => { setActive(display, col); startEdit(); });
    element.append(cell);
  });
  return element;
}

function activeCell() {
  return $('grid-space').querySelector(`.cell[data-display="${state.active.row}"][data-col="${state.active.col}"]`);
}

function showCellMessage() {
  const row = state.cache.get(rowAt(state.active.row));
  const field = state.fields[state.active.col];
  const messages = row && field ? row.messages.filter((m) => m.fieldKey === field.key) : [];
  $('cell-message').textContent = row && field
    ? `Row ${row.rowIndex + 1}, ${field.label}: ${messages.length ? messages.map((m) => `${m.level}: ${m.message}`).join(' · ') : 'no problems'}`
    : '';
}

function setActive(display, col) {
  const count = displayCount();
  if (count === 0) return;
  state.active = { row: Math.max(0, Math.min(count - 1, display)), col: Math.max(0, Math.min(state.fields.length - 1, col)) };
  const body = $('grid-body');
  const head = $('grid-head').offsetHeight;
  const top = state.active.row * ROW_HEIGHT;
  if (top < body.scrollTop) body.scrollTop = top;
  else if (top + ROW_HEIGHT + head > body.scrollTop + body.clientHeight) body.scrollTop = top + ROW_HEIGHT + head - body.clientHeight;
  drawVisible();
  $('grid').focus({ preventScroll: true });
}

function startEdit(initial, again = false) {
  const cell = activeCell();
  if (!cell) return;
  const row = state.cache.get(rowAt(state.active.row));
  const field = state.fields[state.active.col];
  const input = document.createElement('input');
  input.value = initial ?? row.texts[field.key] ?? '';
  input.setAttribute('aria-label', `Row ${row.rowIndex + 1}, ${field.label}`);
  state.editing = { initial: input.value, row: row.rowIndex, field: field.key };
  cell.replaceChildren(input);
  input.focus();
  // Enter, F2 or a double click select the text; typing starts over it.
  if (!again && initial === undefined) input.select();
  input.addEventListener('input', () => { if (state.editing) state.editing.initial = input.value; });
  input.addEventListener('keydown', async (event) => {
    if (event.key === 'Enter' || event.key === 'Tab') {
      event.preventDefault();
      event.stopPropagation();
      await commitEdit(input.value);
      if (event.key === 'Tab') setActive(state.active.row, state.active.col + (event.shiftKey ? -1 : 1));
      else setActive(state.active.row + 1, state.active.col);
    } else if (event.key === 'Escape') {
      event.stopPropagation();
      state.editing = null;
      drawVisible();
      $('grid').focus();
    }
  });
}

async function commitEdit(value) {
  const editing = state.editing;
  state.editing = null;
  if (!editing) return;
  await change(() => state.session.setCell(editing.row, editing.field, value));
}

// Runs an edit, then draws what it changed (a whole refresh: counts included).
async function change(edit) {
  if (state.busy) return;
  state.busy = true;
  try {
    await edit();
    $('undo').disabled = false;
    problem('');
    await refresh();
  } catch (error) {
    problem(error.message);
  } finally {
    state.busy = false;
  }
}

// ---- tools -----------------------------------------------------------------

$('grid-body').addEventListener('scroll', () => drawVisible());
$('grid').addEventListener('keydown', (event) => {
  if (state.editing || event.target.tagName === 'INPUT') return;
  const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
  if (moves[event.key]) {
    event.preventDefault();
    setActive(state.active.row + moves[event.key][0], state.active.col + moves[event.key][1]);
  } else if (event.key === 'Tab') {
    event.preventDefault();
    setActive(state.active.row, state.active.col + (event.shiftKey ? -1 : 1));
  } else if (event.key === 'Enter' || event.key === 'F2') {
    event.preventDefault();
    startEdit();
  } else if (event.key === 'Delete' || event.key === 'Backspace') {
    const row = state.cache.get(rowAt(state.active.row));
    if (row) change(() => state.session.setCell(row.rowIndex, state.fields[state.active.col].key, ''));
  } else if (event.key.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey) {
    event.preventDefault();
    startEdit(event.key);
  }
});
document.addEventListener('keydown', (event) => {
  if (!(event.ctrlKey || event.metaKey) || !state.session) return;
  const key = event.key.toLowerCase();
  if (key === 'z' && !event.shiftKey) {
    event.preventDefault();
    $('undo').click();
  } else if (key === 'y' || (key === 'z' && event.shiftKey)) {
    event.preventDefault();
    $('redo').click();
  }
});
$('undo').addEventListener('click', () => change(async () => {
  if (!(await state.session.undo())) $('undo').disabled = true;
  $('redo').disabled = false;
}));
$('redo').addEventListener('click', () => change(async () => {
  if (!(await state.session.redo())) $('redo').disabled = true;
}));
for (const button of document.querySelectorAll('.steps button')) button.addEventListener('click', () => showStep(button.dataset.step));
$('only-errors').addEventListener('change', async (event) => {
  state.onlyErrors = event.target.checked;
  if (state.onlyErrors) await loadErrorRows();
  state.active = { row: 0, col: state.active.col };
  $('grid-body').scrollTop = 0;
  renderGrid();
});
$('next-error').addEventListener('click', async () => {
  if (!state.errorRows) await loadErrorRows();
  const current = rowAt(state.active.row) ?? -1;
  const next = state.errorRows.find((row) => row > current) ?? state.errorRows[0];
  if (next === undefined) return problem('');
  const display = state.onlyErrors ? state.errorRows.indexOf(next) : next;
  const [row] = await state.session.rows(next, 1);
  const col = Math.max(0, state.fields.findIndex((f) => row.messages.some((m) => m.fieldKey === f.key && m.level === 'error')));
  setActive(display, col);
});
$('add-row').addEventListener('click', async () => {
  await change(() => state.session.addRow({}));
  if (!state.onlyErrors) setActive(state.summary.rows - 1, 0);
});
$('remove-row').addEventListener('click', () => {
  const row = rowAt(state.active.row);
  if (row !== undefined) change(() => state.session.removeRows([row]));
});
$('find-form').addEventListener('submit', (event) => {
  event.preventDefault();
  change(async () => {
    const answer = await state.session.findReplace({
      find: $('find').value, replace: $('replace').value, field: $('find-field').value || undefined,
      matchCase: $('match-case').checked, wholeCell: $('whole-cell').checked,
    });
    $('tool-status').textContent = `Replaced ${answer.replaced} ${answer.replaced === 1 ? 'cell' : 'cells'}.`;
  });
});

// ---- submit ----------------------------------------------------------------

$('submit').addEventListener('click', async () => {
  $('submit').disabled = true;
  problem('');
  try {
    const changes = await state.session.changes();
    await fetchJson(reviewUrl(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(changes) });
    $('counts').textContent = 'Sent: checking the import again…';
    let view;
    for (;;) {
      view = await fetchJson(reviewUrl());
      if (view.status !== 'PENDING' && view.status !== 'RUNNING') break;
      await new Promise((resolve) => setTimeout(resolve, 400));
    }
    if (view.status === 'NEEDS_REVIEW') {
      state.view = view;
      problem(`The import still needs review: ${(view.import_errors ?? []).map((e) => e.message).join(' · ')}`);
      await openSession(view.submission ?? undefined);
      $('submit').disabled = false;
      return;
    }
    showVerdict(view);
  } catch (error) {
    problem(`Submitting failed: ${error.message}`);
    $('submit').disabled = false;
  }
});

function showVerdict(view) {
  for (const name of ['header', 'mapping', 'data']) $(`step-${name}`).hidden = true;
  document.querySelector('.steps').hidden = true;
  for (const button of ['undo', 'redo', 'submit']) $(button).disabled = true;
  const verdict = $('verdict');
  verdict.hidden = false;
  if (view.status === 'SUCCESSFUL') {
    verdict.className = 'verdict done';
    const rows = view.result_metadata?.num_output_rows ?? view.result_metadata?.num_data_rows ?? 0;
    verdict.innerHTML = '';
    verdict.append(Object.assign(document.createElement('h2'), { textContent: 'Done: the import is complete.' }),
      Object.assign(document.createElement('p'), { textContent: `${rows} rows were imported. You can close this page.` }));
    $('counts').textContent = 'SUCCESSFUL';
  } else {
    verdict.className = 'verdict';
    verdict.textContent = view.status === 'FAILED'
      ? `The import failed: ${(view.import_errors ?? []).map((e) => e.message).join(' · ')}`
      : `The import is ${view.status}; this page will show it when it is ready.`;
    $('counts').textContent = view.status;
  }
  document.body.dataset.ready = 'true';
  document.body.dataset.status = view.status;
}

load().catch((error) => {
  problem(`The review could not be loaded: ${error.message}`);
  document.body.dataset.ready = 'error';
});
