// The npm package's own surface: inputs it accepts, errors it throws, versions.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { createSluice, SluiceError } from 'sluice';

const sluice = await createSluice();

test('accepts strings, ArrayBuffers and typed-array views', () => {
  const bytes = new TextEncoder().encode('a,b\n1,2\n');
  const expected = [['a', 'b'], ['1', '2']];
  assert.deepEqual(sluice.parse('a,b\n1,2\n'), expected);
  assert.deepEqual(sluice.parse(bytes.buffer), expected);
  assert.deepEqual(sluice.parse(new DataView(bytes.buffer)), expected);
  assert.throws(() => sluice.parse(42), TypeError);
});

test('bad options are SluiceErrors naming the option', () => {
  for (const options of [{ delimiter: ',,' }, { sheet: 3 }, { limits: { maxColumns: 0 } }, { bogus: true }]) {
    assert.throws(() => sluice.parse('a', options),
      (error) => error instanceof SluiceError && error.code === 'invalid_option' && /\$\./.test(error.message),
      JSON.stringify(options));
  }
});

test('inspect takes previewRows', () => {
  const inspection = sluice.inspect('id,name\n1,a\n2,b\n3,c\n', { previewRows: 2 });
  assert.equal(inspection.preview.length, 2);
  assert.equal(inspection.rows, 4);
  assert.equal(inspection.header.row, 0);
});

test('a broken file is a SluiceError, and the module keeps working', () => {
  assert.throws(() => sluice.parse(new Uint8Array([0x50, 0x4b, 3, 4, 1, 2, 3])),
    (error) => error instanceof SluiceError && error.code === 'zip_corrupt');
  assert.deepEqual(sluice.parse('x\n'), [['x']]);
});

test('reports the versions it was built from', () => {
  const versions = sluice.versions();
  assert.match(versions.sluice, /^\d+\.\d+\.\d+$/);
  assert.equal(versions.debian_sources.re2, '20220601+dfsg-1');
});
