// The rounds of an import with hooks (core/include/sluice/hooks.h), for any
// runner: the core names a stage, the runner runs it, the core runs again
// with every output so far. Free of the sandbox itself, so the package's
// main module loads without QuickJS.

/**
 * The rounds of an import with hooks: `round(outputsJson)` runs the import
 * with the outputs so far and resolves to {request, ...} ('' request: done);
 * each requested stage runs in `runner`. Resolves to the last round's answer.
 */
export async function runHookRounds(round, runner) {
  const outputs = {};
  for (;;) {
    const answer = await round(Object.keys(outputs).length ? JSON.stringify(outputs) : '');
    if (!answer.request) return answer;
    if (outputs.error) throw new Error('sluice: the core asked for a hook stage after a hook failed');
    const request = typeof answer.request === 'string' ? JSON.parse(answer.request) : answer.request;
    if (request.stage in outputs) throw new Error(`sluice: the core asked for the ${request.stage} stage twice`);
    const output = await runner.runStage(request);
    if (output.error) outputs.error = output.error;
    else outputs[request.stage] = output;
  }
}
