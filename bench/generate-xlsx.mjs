// The XLSX form of the benchmarks' input: the same records as
// bench/generate.mjs, as one worksheet the way Excel writes it (text in the
// shared strings table, ids and amounts as numbers, empty cells left out),
// deflated in a zip.
//   node bench/generate-xlsx.mjs <rows> <out.xlsx>
// Prints {"rows", "sheetXmlBytes", "sharedStringsBytes", "fileBytes"}: the
// XLSX target is in MB/s of uncompressed sheet XML.
import { closeSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';
import zlib from 'node:zlib';

import { COLUMNS, generateRecords } from './generate.mjs';

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';

const escapeXml = (text) => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

function columnName(index) {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

/** A zip entry deflated in memory: its name, CRC-32, sizes and compressed chunks. */
class Entry {
  constructor(name) {
    this.name = Buffer.from(name, 'utf8');
    this.crc = 0;
    this.size = 0;
    this.deflate = zlib.createDeflateRaw({ level: 6 });
    this.chunks = [];
    this.deflate.on('data', (chunk) => this.chunks.push(chunk));
  }

  async write(text) {
    const bytes = Buffer.from(text, 'utf8');
    this.crc = zlib.crc32(bytes, this.crc);
    this.size += bytes.length;
    if (!this.deflate.write(bytes)) await once(this.deflate, 'drain');
  }

  async end() {
    const ended = once(this.deflate, 'end');
    this.deflate.end();
    await ended;
    this.compressed = Buffer.concat(this.chunks);
    this.chunks = null;
  }
}

function writeZip(file, entries) {
  const fd = openSync(file, 'w');
  let offset = 0;
  const put = (buffer) => {
    writeSync(fd, buffer);
    offset += buffer.length;
  };
  const central = [];
  for (const entry of entries) {
    if (entry.size >= 0xFFFFFFFF || entry.compressed.length >= 0xFFFFFFFF) throw new Error('entry too large for zip32');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);       // version needed
    local.writeUInt16LE(0x0800, 6);   // UTF-8 names
    local.writeUInt16LE(8, 8);        // deflate
    local.writeUInt16LE(0, 10);       // time
    local.writeUInt16LE(0x5821, 12);  // 2024-01-01
    local.writeUInt32LE(entry.crc >>> 0, 14);
    local.writeUInt32LE(entry.compressed.length, 18);
    local.writeUInt32LE(entry.size, 22);
    local.writeUInt16LE(entry.name.length, 26);
    local.writeUInt16LE(0, 28);
    const at = offset;
    put(local);
    put(entry.name);
    put(entry.compressed);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(0x0800, 8);
    header.writeUInt16LE(8, 10);
    header.writeUInt16LE(0, 12);
    header.writeUInt16LE(0x5821, 14);
    header.writeUInt32LE(entry.crc >>> 0, 16);
    header.writeUInt32LE(entry.compressed.length, 20);
    header.writeUInt32LE(entry.size, 24);
    header.writeUInt16LE(entry.name.length, 28);
    header.writeUInt32LE(at, 42);
    central.push(header, entry.name);
  }
  const start = offset;
  for (const part of central) put(part);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(offset - start, 12);
  end.writeUInt32LE(start, 16);
  put(end);
  closeSync(fd);
  return offset;
}

async function fixedEntry(name, text) {
  const entry = new Entry(name);
  await entry.write(text);
  await entry.end();
  return entry;
}

/** Writes the workbook; resolves to its sizes. */
export async function writeXlsx(rows, file) {
  const shared = new Map();
  const sharedIndex = (text) => {
    let index = shared.get(text);
    if (index === undefined) {
      index = shared.size;
      shared.set(text, index);
    }
    return index;
  };
  const NUMERIC = new Set([0, 5]);  // id, amount
  const sheet = new Entry('xl/worksheets/sheet1.xml');
  const last = columnName(COLUMNS.length - 1);
  await sheet.write(`${XML_HEAD}<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><dimension ref="A1:${last}${rows + 1}"/><sheetData>`);
  const rowXml = (r, values, numeric) => {
    let xml = `<row r="${r}">`;
    values.forEach((value, c) => {
      if (value === '') return;
      const ref = `${columnName(c)}${r}`;
      xml += numeric && NUMERIC.has(c) ? `<c r="${ref}"><v>${Number(value)}</v></c>` : `<c r="${ref}" t="s"><v>${sharedIndex(value)}</v></c>`;
    });
    return `${xml}</row>`;
  };
  let chunk = rowXml(1, COLUMNS, false);
  let r = 2;
  for (const record of generateRecords(rows)) {
    chunk += rowXml(r++, record, true);
    if (chunk.length > 1 << 20) {
      await sheet.write(chunk);
      chunk = '';
    }
  }
  await sheet.write(`${chunk}</sheetData></worksheet>`);
  await sheet.end();

  const strings = new Entry('xl/sharedStrings.xml');
  await strings.write(`${XML_HEAD}<sst xmlns="${MAIN_NS}" count="${shared.size}" uniqueCount="${shared.size}">`);
  chunk = '';
  for (const text of shared.keys()) {
    chunk += `<si><t xml:space="preserve">${escapeXml(text)}</t></si>`;
    if (chunk.length > 1 << 20) {
      await strings.write(chunk);
      chunk = '';
    }
  }
  await strings.write(`${chunk}</sst>`);
  await strings.end();

  const entries = await Promise.all([
    fixedEntry('[Content_Types].xml', `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
      '<Default Extension="xml" ContentType="application/xml"/>' +
      '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
      '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
      '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>' +
      '</Types>'),
    fixedEntry('_rels/.rels', `${XML_HEAD}<Relationships xmlns="${PKG_REL_NS}">` +
      `<Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`),
    fixedEntry('xl/workbook.xml', `${XML_HEAD}<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}">` +
      '<sheets><sheet name="Customers" sheetId="1" r:id="rId1"/></sheets></workbook>'),
    fixedEntry('xl/_rels/workbook.xml.rels', `${XML_HEAD}<Relationships xmlns="${PKG_REL_NS}">` +
      `<Relationship Id="rId1" Type="${REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>` +
      `<Relationship Id="rId2" Type="${REL_NS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`),
  ]);
  const fileBytes = writeZip(file, [...entries, sheet, strings]);
  return { rows, sheetXmlBytes: sheet.size, sharedStringsBytes: strings.size, fileBytes };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [rows, file] = process.argv.slice(2);
  if (!rows || !file || !/^\d+$/.test(rows)) {
    console.error('usage: node bench/generate-xlsx.mjs <rows> <out.xlsx>');
    process.exit(64);
  }
  console.log(JSON.stringify(await writeXlsx(Number(rows), file)));
}
