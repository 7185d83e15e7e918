// One cell edit in a review session on a big file, through the npm package
// (the review page's editor): `node bench/review-setcell.mjs [rows]` (default
// 1,000,000). The schema has unique fields, so an edit re-checks its row and
// the rows sharing its old and new values. Prints the open time and the
// median / p99 / max time of 1,000 setCell calls (half of them creating or
// clearing a duplicate), and the heap the session holds.
import { createSluice } from 'sluice';

const rows = Number(process.argv[2] ?? 1_000_000);
const sluice = await createSluice();
const schema = {
  fields: [
    { key: 'id', label: 'id', type: 'number', validators: [{ validate: 'required' }, { validate: 'unique' }] },
    { key: 'email', label: 'email', type: 'email', validators: [{ validate: 'unique' }] },
    { key: 'name', label: 'name', validators: [{ validate: 'required' }, { validate: 'length', max: 40 }] },
    { key: 'amount', label: 'amount', type: 'number' },
  ],
};
let csv = 'id,email,name,amount\n';
for (let i = 0; i < rows; i++) csv += `${i},user${i}@example.com,Person ${i},${(i % 1000) / 10}\n`;
const bytes = new TextEncoder().encode(csv);
csv = null;

const heapBefore = sluice.heapInUse();
let started = performance.now();
const session = sluice.openReview(bytes, schema);
const openMs = performance.now() - started;
const heapMb = (sluice.heapInUse() - heapBefore) / 1e6;

let seed = 42;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const times = [];
for (let i = 0; i < 1000; i++) {
  const row = Math.floor(random() * rows);
  // Even calls: an email another row has (a duplicate appears); odd: a new one.
  const value = i % 2 === 0 ? `user${Math.floor(random() * rows)}@example.com` : `new${i}@example.com`;
  started = performance.now();
  session.setCell(row, 'email', value);
  times.push(performance.now() - started);
}
times.sort((a, b) => a - b);
const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(3);
console.log(`review session, ${rows} rows (${(bytes.length / 1e6).toFixed(1)} MB): open ${(openMs / 1000).toFixed(2)} s, ` +
  `heap ${heapMb.toFixed(0)} MB; setCell median ${at(0.5)} ms, p90 ${at(0.9)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms; ` +
  `rows with errors now ${session.summary().rowsWithError}`);
session.close();
