// Starts a host as `make start` (the Node host) or `make start-workers` (the
// Workers host on workerd, when SLUICE_TEST_HOST=workers) do: a child
// process, on a free port and a fresh data folder (or a given one, to restart
// a host on its data), stopped after the test. The API suites call only this,
// so they run unchanged against either host.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { root } from './paths.mjs';

export const hostKind = process.env.SLUICE_TEST_HOST === 'workers' ? 'workers' : 'node';
const SCRIPTS = { node: 'edge/hosts/node/server.mjs', workers: 'edge/hosts/workers/dev.mjs' };

export async function startHost({ env = {}, dataDir: existing } = {}) {
  const dataDir = existing ?? mkdtempSync(path.join(os.tmpdir(), 'sluice-test-'));
  const owned = !existing;
  // In a process group of its own: a signal reaches the host's own children
  // too (the Workers host's workerd, which a SIGKILL of its parent alone left
  // running, holding the data folder).
  const child = spawn(process.execPath, [path.join(root, SCRIPTS[hostKind])], {
    env: { ...process.env, PORT: '0', SLUICE_DATA: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`host did not start:\n${output}`)), 15000);
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`host exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    dataDir,
    output: () => output,
    /** Resolves once the host's output matches `pattern` (its log is asynchronous). */
    async waitForOutput(pattern, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(output)) {
        if (Date.now() > deadline) throw new Error(`host output never matched ${pattern}:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async stop({ keepData = !owned } = {}) {
      await this.kill('SIGTERM');
      if (!keepData) rmSync(dataDir, { recursive: true, force: true });
    },
    /** Ends the host with `signal`, keeping its data. */
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        process.kill(-child.pid, signal);
        await exited;
      }
    },
  };
}
