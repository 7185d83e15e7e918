// Status-poll throughput of a host: `node bench/polls.mjs [node|workers]
// [seconds] [connections]`. Starts the host as the API tests do (a child
// process, fresh data, rate limits off), creates one finished import, then
// keeps `connections` clients polling GET /api/v1/headless/imports/{id}/ for
// `seconds`, from this (second) process over loopback. Prints requests/s and
// latency percentiles (ms).
process.env.SLUICE_TEST_HOST = process.argv[2] ?? 'node';
const { startHost } = await import('../tests/support/host.mjs');

const seconds = Number(process.argv[3] ?? 10);
const connections = Number(process.argv[4] ?? 16);
const host = await startHost({ env: { SLUICE_API_KEYS: 'acme:acme-key', SLUICE_RATE_LIMITS: 'off' } });
try {
  const headers = { 'x-dromo-license-key': 'acme-key', 'content-type': 'application/json' };
  const created = await (await fetch(`${host.url}/api/v1/headless/imports/`, {
    method: 'POST', headers,
    body: JSON.stringify({ fields: [{ key: 'name', label: 'Name' }], initial_data: [{ Name: 'Ada' }] }),
  })).json();
  const url = `${host.url}/api/v1/headless/imports/${created.id}/`;
  for (;;) {
    const record = await (await fetch(url, { headers })).json();
    if (record.status === 'SUCCESSFUL') break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  for (let i = 0; i < 200; i++) await (await fetch(url, { headers })).arrayBuffer();  // warm up

  const latencies = [];
  let failures = 0;
  const end = performance.now() + seconds * 1000;
  await Promise.all(Array.from({ length: connections }, async () => {
    while (performance.now() < end) {
      const started = performance.now();
      const response = await fetch(url, { headers });
      await response.arrayBuffer();
      if (response.status !== 200) failures++;
      latencies.push(performance.now() - started);
    }
  }));
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))].toFixed(2);
  console.log(`${process.env.SLUICE_TEST_HOST} host: ${(latencies.length / seconds).toFixed(0)} polls/s over ${seconds} s, ` +
    `${connections} connections; latency p50 ${at(0.5)} ms, p99 ${at(0.99)} ms; ${failures} not 200`);
} finally {
  await host.stop();
}
