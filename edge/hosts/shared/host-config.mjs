// What every host reads the same way: which paths go to the handler, and the
// handler's config from the environment's text (platform-free).

/** Paths the edge handler answers; everything else is a static file. */
export function isApiPath(pathname) {
  return pathname === '/healthz' || pathname === '/healthz/' || pathname === '/openapi.json' ||
    pathname.startsWith('/api/') || pathname.startsWith('/uploads/') || pathname.startsWith('/results/');
}

/** SLUICE_RATE_LIMITS: "creates=N,polls=N" per minute; "off" (or 0) turns them off. */
export function parseRateLimits(text) {
  if (!text) return {};
  if (text === 'off') return { creates_per_minute: 0, polls_per_minute: 0 };
  const limits = {};
  for (const pair of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [name, value] = pair.split('=');
    const field = { creates: 'creates_per_minute', polls: 'polls_per_minute' }[name];
    if (!field || !/^\d+$/.test(value ?? '')) throw new Error(`SLUICE_RATE_LIMITS: '${pair}' is not creates=N or polls=N`);
    limits[field] = Number(value);
  }
  return limits;
}

/** SLUICE_API_KEYS: "org:key,org2:key2" -> [[org, key], ...]. */
export function parseApiKeys(text) {
  const pairs = [];
  for (const pair of (text ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const colon = pair.indexOf(':');
    if (colon <= 0 || colon === pair.length - 1) throw new Error(`SLUICE_API_KEYS: '${pair}' is not org:key`);
    const org = pair.slice(0, colon);
    if (org.includes('/')) throw new Error(`SLUICE_API_KEYS: the organisation '${org}' holds a '/'`);
    pairs.push([org, pair.slice(colon + 1)]);
  }
  return pairs;
}

/** The largest API request body a host reads into memory (uploads stream instead). */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;

/**
 * SLUICE_HOOK_LIMITS: "rowCallMs=N,callMs=N,memoryMiB=N" (any of them) ->
 * the hook sandbox's limits over its defaults (wasm/js/hooks.js HOOK_LIMITS).
 */
export function parseHookLimits(text) {
  const limits = {};
  for (const pair of (text ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const [name, value] = pair.split('=');
    if (!['rowCallMs', 'callMs', 'memoryMiB'].includes(name) || !/^[1-9]\d{0,6}$/.test(value ?? '')) {
      throw new Error(`SLUICE_HOOK_LIMITS: '${pair}' is not rowCallMs=N, callMs=N or memoryMiB=N`);
    }
    if (name === 'memoryMiB') limits.memoryBytes = Number(value) * 1024 * 1024;
    else limits[name] = Number(value);
  }
  return limits;
}
