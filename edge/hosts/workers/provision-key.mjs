// Prints the wrangler commands that provision an API key for an organisation
// on a deployed Workers host (only the key's SHA-256 is stored):
//   node edge/hosts/workers/provision-key.mjs <org> [key]
// Without a key, a new one is made and printed once.
import { createHash, randomBytes } from 'node:crypto';

import { parseApiKeys } from '../shared/host-config.mjs';

const [org, given] = process.argv.slice(2);
if (!org) {
  console.error('usage: node edge/hosts/workers/provision-key.mjs <org> [key]');
  process.exit(64);
}
const key = given ?? `sk_${randomBytes(24).toString('base64url')}`;
parseApiKeys(`${org}:${key}`);  // the same rules as SLUICE_API_KEYS
const hash = createHash('sha256').update(key).digest('hex');
const quote = (text) => `'${text.replaceAll("'", "'\\''")}'`;
if (!given) console.log(`# the API key of ${org} (shown only now): ${key}`);
console.log(`npx wrangler kv key put --remote --binding SLUICE_KEYS ${quote(`apikey:${hash}`)} ${quote(JSON.stringify({ org, hash }))}`);
console.log(`npx wrangler kv key put --remote --binding SLUICE_KEYS ${quote(`org-index:${org}`)} 1`);
