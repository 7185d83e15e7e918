// The benchmarks' input (issue "Make it fast"): a deterministic CSV of N rows
// x 10 columns, the same bytes for the same N on every machine.
//   node bench/generate.mjs <rows> <out.csv>
// Columns: id (integer, unique but for 0.1% repeats), first_name, last_name
// (0.2% missing), email (0.5% invalid), signup_date (ISO, US month/day and
// "D Mon YYYY" forms mixed in one column), amount (decimal; 0.3% negative),
// active (yes/no/true/false/Y/N), plan (one of 16; 0.2% unknown), country
// (names and ISO codes), note (free text: 5% quoted with commas, 1% with
// escaped quotes, 0.2% with newlines). About 110 MB for 1,000,000 rows.
// bench/schema.json holds the matching checks.
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const FIRST = ['Ada', 'Grace', 'Alan', 'Katherine', 'Linus', 'Margaret', 'Edsger', 'Barbara', 'Donald', 'Frances',
  'John', 'Radia', 'Ken', 'Sophie', 'Tim', 'Hedy', 'Dennis', 'Jean', 'Niklaus', 'Anita'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Johnson', 'Torvalds', 'Hamilton', 'Dijkstra', 'Liskov', 'Knuth', 'Allen',
  'McCarthy', 'Perlman', 'Thompson', 'Wilson', 'Berners-Lee', 'Lamarr', 'Ritchie', 'Bartik', 'Wirth', 'Borg'];
const DOMAINS = ['example.com', 'example.org', 'mail.example.net', 'corp.example.co.uk'];
export const PLANS = ['Free', 'Starter', 'Basic', 'Plus', 'Pro', 'Team', 'Business', 'Enterprise', 'Education', 'Nonprofit',
  'Startup', 'Agency', 'Partner', 'Reseller', 'Trial', 'Legacy'];
const COUNTRIES = ['United States', 'US', 'Germany', 'DE', 'France', 'FR', 'United Kingdom', 'GB', 'Japan', 'JP', 'Brazil',
  'BR', 'India', 'IN', 'Canada', 'CA', 'Australia', 'AU', 'Spain', 'ES'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WORDS = ['order', 'shipped', 'late', 'call back', 'VIP', 'discount', 'renewal', 'invoice', 'support', 'upgrade',
  'churn risk', 'referral', 'onboarding', 'trial', 'feedback'];
const ACTIVE = ['yes', 'no', 'true', 'false', 'Y', 'N'];

// mulberry32: small, fast, and the same sequence everywhere.
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6D2B79F5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const COLUMNS = ['id', 'first_name', 'last_name', 'email', 'signup_date', 'amount', 'active', 'plan', 'country', 'note'];

/** Yields each row's ten values as text (unquoted), in order. */
export function* generateRecords(rows, seed = 20261129) {
  const next = random(seed);
  const pick = (list) => list[Math.floor(next() * list.length)];
  const pad = (n) => String(n).padStart(2, '0');
  for (let i = 0; i < rows; i++) {
    const r = next();
    const id = r < 0.001 && i > 0 ? i : i + 1;  // 0.1%: the previous row's id again
    const first = pick(FIRST);
    const last = next() < 0.002 ? '' : pick(LAST);
    const email = next() < 0.005 ? `${first.toLowerCase()}.at.${pick(DOMAINS)}`
      : `${first.toLowerCase()}.${(last || 'x').toLowerCase()}${i}@${pick(DOMAINS)}`;
    const year = 2015 + Math.floor(next() * 10);
    const month = 1 + Math.floor(next() * 12);
    const day = 1 + Math.floor(next() * 28);
    const form = next();
    const date = form < 0.5 ? `${year}-${pad(month)}-${pad(day)}`
      : form < 0.8 ? `${pad(month)}/${pad(day)}/${year}` : `${day} ${MONTHS[month - 1]} ${year}`;
    const cents = Math.floor(next() * 1000000);
    const amount = `${next() < 0.003 ? '-' : ''}${Math.floor(cents / 100)}.${pad(cents % 100)}`;
    const plan = next() < 0.002 ? 'Platinum' : pick(PLANS);
    const words = [];
    const count = 1 + Math.floor(next() * 6);
    for (let w = 0; w < count; w++) words.push(pick(WORDS));
    const kind = next();
    let note = words.join(' ');
    if (kind < 0.002) note = `${words.join(' ')}\n${pick(WORDS)}`;
    else if (kind < 0.012) note = `said "${pick(WORDS)}" twice`;
    else if (kind < 0.062) note = words.join(', ');
    const active = pick(ACTIVE);
    const record = [String(id), first, last, email, date, amount, active, plan, pick(COUNTRIES), note];
    record.quotedNote = kind < 0.062;  // the CSV quotes these notes, commas or not
    yield record;
  }
}

// A CSV field: the country always quoted (as exports of this kind do), the
// notes of the quoted kinds, any other field holding a comma, quote or line end.
const csvField = (record) => (value, column) => (column === 8 || (column === 9 && record.quotedNote) || /[",\n]/.test(value)
  ? `"${value.replaceAll('"', '""')}"` : value);

/** Yields the file in chunks of text (the header first). */
export function* generate(rows, seed = 20261129) {
  let chunk = `${COLUMNS.join(',')}\n`;
  for (const record of generateRecords(rows, seed)) {
    chunk += `${record.map(csvField(record)).join(',')}\n`;
    if (chunk.length > 1 << 20) {
      yield chunk;
      chunk = '';
    }
  }
  yield chunk;
}

export async function writeFile(rows, file) {
  const out = createWriteStream(file);
  for (const chunk of generate(rows)) {
    if (!out.write(chunk)) await new Promise((resolve) => out.once('drain', resolve));
  }
  await new Promise((resolve, reject) => out.end((error) => (error ? reject(error) : resolve())));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [rows, file] = process.argv.slice(2);
  if (!rows || !file || !/^\d+$/.test(rows)) {
    console.error('usage: node bench/generate.mjs <rows> <out.csv>');
    process.exit(64);
  }
  await writeFile(Number(rows), file);
}
