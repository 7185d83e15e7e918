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
  await worker.terminate();
  window.result = {
    direct: direct.rows.toArray(),
    worker: inWorker.rows.toArray(),
    rowsWithError: summary.rowsWithError,
  };
} catch (error) {
  window.result = { error: String(error?.stack ?? error) };
}
document.body.dataset.done = 'true';
