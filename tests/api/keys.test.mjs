// Without SLUICE_API_KEYS, the first start creates an organisation and a key,
// prints the key once, and stores only its hash.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { startHost } from '../support/host.mjs';

test('the first start creates a key that works, and stores only its hash', async () => {
  const host = await startHost({ env: { SLUICE_API_KEYS: '' } });
  try {
    await host.waitForOutput(/API key (sk_\S+)/);
    const key = /API key (sk_\S+)/.exec(host.output())[1];
    const response = await fetch(`${host.url}/api/v1/schemas/`, { headers: { 'x-dromo-license-key': key } });
    assert.equal(response.status, 200);
    // Nowhere in the host's data (SQLite, KV, Durable Object storage, files).
    const files = readdirSync(host.dataDir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
    assert.ok(files.length > 0);
    for (const file of files) {
      const bytes = readFileSync(path.join(file.parentPath ?? file.path, file.name));
      assert.ok(!bytes.includes(Buffer.from(key)), `${file.name} holds the key`);
    }
  } finally {
    await host.stop();
  }
});
