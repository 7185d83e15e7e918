// Sends one webhook delivery the handler prepared ({url, method, headers, body,
// timeout_ms}) and reports the attempt ({status_code} or {error}, and ms).
// Outbound rules (no server-side request forgery): https only, redirects are
// not followed (a 3xx is a failed attempt), and the connection goes only to
// the address just checked: every address a name resolves to must be public
// (loopback, private, link-local, CGNAT, multicast and reserved ranges are
// refused), which also defeats DNS rebinding between check and connect.
// `allowPrivate` (SLUICE_ALLOW_PRIVATE_WEBHOOKS=1) lifts these rules, for
// development and tests.
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';

const blocked = new net.BlockList();
for (const [address, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
]) blocked.addSubnet(address, prefix, 'ipv4');
for (const [address, prefix] of [
  ['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['2001:db8::', 32], ['100::', 64],
]) blocked.addSubnet(address, prefix, 'ipv6');

/** True when `address` (an IP literal) is one webhooks may not reach. */
export function isPrivateAddress(address) {
  const family = net.isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family !== 6) return true;
  const lower = address.toLowerCase();
  // IPv4-mapped and NAT64 addresses reach IPv4 hosts: judge those.
  const mapped = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (mapped) return blocked.check(mapped[1], 'ipv4');
  return blocked.check(lower, 'ipv6');
}

// dns.lookup that refuses private answers (both callback shapes Node uses).
function guardedLookup(hostname, options, callback) {
  dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error);
    const refused = addresses.find(({ address }) => isPrivateAddress(address));
    if (refused) {
      const failure = new Error(`refused: ${hostname} resolves to ${refused.address}, a private or loopback address`);
      failure.code = 'EWEBHOOKPRIVATE';
      return callback(failure);
    }
    if (options.all) return callback(null, addresses);
    return callback(null, addresses[0].address, addresses[0].family);
  });
}

export function sendWebhook({ url, method = 'POST', headers = [], body = '', timeout_ms: timeoutMs = 10000 },
  { allowPrivate = false } = {}) {
  const started = performance.now();
  const done = (report) => ({ ...report, ms: Math.round(performance.now() - started) });
  let target;
  try {
    target = new URL(url);
  } catch {
    return Promise.resolve(done({ error: 'refused: not a URL' }));
  }
  if (target.protocol !== 'https:' && !(allowPrivate && target.protocol === 'http:')) {
    return Promise.resolve(done({ error: `refused: ${target.protocol} URLs are not allowed` }));
  }
  const host = target.hostname.replace(/^\[|\]$/g, '');
  if (!allowPrivate && net.isIP(host) && isPrivateAddress(host)) {
    return Promise.resolve(done({ error: `refused: ${host} is a private or loopback address` }));
  }
  const client = target.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    let request;
    // The whole attempt, not only an idle socket, has `timeoutMs`.
    const timer = setTimeout(() => {
      request?.destroy();
      finish({ error: 'timeout' });
    }, timeoutMs);
    const finish = (report) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(done(report));
    };
    request = client.request(target, {
      method,
      headers: Object.fromEntries(headers),
      lookup: allowPrivate ? undefined : guardedLookup,
      timeout: timeoutMs,
    }, (response) => {
      // Read (and drop) at most 64 KB of the answer; the status is what counts.
      let seen = 0;
      response.on('data', (chunk) => {
        seen += chunk.length;
        if (seen > 65536) response.destroy();
      });
      response.on('end', () => finish({ status_code: response.statusCode }));
      response.on('close', () => finish({ status_code: response.statusCode }));
      response.on('error', () => finish({ status_code: response.statusCode }));
    });
    request.on('timeout', () => {
      request.destroy();
      finish({ error: 'timeout' });
    });
    request.on('error', (error) => finish({ error: String(error?.message ?? error).slice(0, 300) }));
    request.end(body);
  });
}
