// A web app that uses the package as any would: imported by name, bundled by
// Vite (tests/e2e/vite.test.mjs builds and opens it in Chromium).
import { createSluice } from 'sluice';
import { createSluiceWorker } from 'sluice/worker';

const schema = { fields: [{ key: 'email', label: 'Email', type: 'email' }] };
const file = 'Email\nada@example.com\nnot-an-email\n';
try {
  const sluice = await createSluice();
  const direct = sluice.importFile(file, schema);
  const worker = await createSluiceWorker();
  const inWorker = await worker.importFile(file, schema);
  const session = await worker.openReview(file, schema);
  await session.setCell(1, 'email', 'bob@example.com');
  const summary = await session.summary();
  // A file over 16 MB as a Blob with onRows: read in passes (the Blob sliced
  // twice), here and in the worker, giving importFile's rows.
  const lines = ['Id,Email'];
  for (let i = 0; i < 700000; i++) lines.push(`${i % 500000},user${i}@example.com`);
  const big = new TextEncoder().encode(`${lines.join('\n')}\n`);
  const bigSchema = { fields: [{ key: 'id', label: 'Id', type: 'number', validators: [{ validate: 'unique' }] }, schema.fields[0]] };
  const kept = sluice.importFile(big, bigSchema);
  const collect = async (run) => {
    const chunks = [];
    let loads = 0;
    const result = await run({ onRows: (chunk) => chunks.push(chunk), onProgress: (p) => { if (p.stage === 'load' && p.done === big.length) loads++; } });
    const text = new TextDecoder().decode(await new Blob(chunks).arrayBuffer());
    return { same: text === kept.rows.toNdjson() && JSON.stringify(result.metadata) === JSON.stringify(kept.metadata), loads };
  };
  const blob = new Blob([big]);
  const inPasses = await collect((options) => sluice.importBlob(blob, bigSchema, options));
  const inPassesInWorker = await collect((options) => worker.importBlob(blob, bigSchema, options));
  await worker.terminate();
  window.result = {
    direct: direct.rows.toArray(),
    worker: inWorker.rows.toArray(),
    rowsWithError: summary.rowsWithError,
    bigFileBytes: big.length > 16 * 1024 * 1024,
    duplicates: kept.metadata.rowsWithError,
    inPasses,
    inPassesInWorker: inPassesInWorker.same,
  };
} catch (error) {
  window.result = { error: String(error?.stack ?? error) };
}
document.body.dataset.done = 'true';
