// BullMQ anchor for bench/queue-bench.sh: the same measurements as QueueBench, on the same Redis.
//   node bench/bullmq/bench.mjs <redis-url> throughput <concurrency> <jobs>
//   node bench/bullmq/bench.mjs <redis-url> latency <concurrency> <jobs/s> <seconds>
// Prints one JSON line. Uses the key prefix "bullbench" and deletes its keys afterwards.
// bullmq and ioredis are resolved from $BULLMQ_DIR/node_modules (queue-bench.sh installs bullmq@6.7.0 and ioredis@5 under target/bullmq).
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(path.resolve(process.env.BULLMQ_DIR || 'target/bullmq', 'node_modules', 'x.js'));
const { Queue, Worker } = require('bullmq');
const IORedis = require('ioredis');

const [url, mode, a, b, c] = process.argv.slice(2);
const connection = () => new IORedis(url, { maxRetriesPerRequest: null });
const prefix = 'bullbench';
const name = 'noop';

async function clean() {
  const r = connection();
  let cursor = '0';
  do {
    const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await r.del(...keys);
  } while (cursor !== '0');
  await r.quit();
}

async function throughput(concurrency, n) {
  await clean();
  const queue = new Queue(name, { connection: connection(), prefix });
  for (let i = 0; i < n; i += 500) {
    const chunk = [];
    for (let j = i; j < Math.min(n, i + 500); j++) chunk.push({ name: 'noop', data: { i: j } });
    await queue.addBulk(chunk);
  }
  let done = 0;
  let resolve;
  const finished = new Promise(r => { resolve = r; });
  const t0 = process.hrtime.bigint();
  const worker = new Worker(name, async () => {}, { connection: connection(), prefix, concurrency });
  worker.on('completed', () => { if (++done === n) resolve(); });
  await finished;
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  await worker.close();
  await queue.close();
  await clean();
  return { mode: 'throughput', concurrency, jobs: n, seconds: secs, rate: n / secs };
}

async function latency(concurrency, perSecond, seconds) {
  await clean();
  const queue = new Queue(name, { connection: connection(), prefix });
  const pushedAt = new Map();
  const lat = [];
  let expected = 0;
  let resolve;
  let finished = new Promise(r => { resolve = r; });
  const worker = new Worker(name, async job => {
    const at = pushedAt.get(job.data.k);
    if (at !== undefined) { lat.push(Number(process.hrtime.bigint() - at) / 1e6); pushedAt.delete(job.data.k); }
  }, { connection: connection(), prefix, concurrency });
  let seen = 0;
  worker.on('completed', () => { if (++seen === expected) resolve(); });
  await worker.waitUntilReady();
  expected = 200; // warm-up
  for (let i = 0; i < 200; i++) await queue.add('noop', { k: -1 });
  await finished;
  await new Promise(r => setTimeout(r, 2000));
  seen = 0;
  finished = new Promise(r => { resolve = r; });
  const n = perSecond * seconds;
  expected = n;
  const interval = 1e9 / perSecond;
  let next = Number(process.hrtime.bigint());
  for (let k = 0; k < n; k++) {
    // wait for the slot without blocking the event loop (the worker shares it): timers for whole
    // milliseconds, then setImmediate turns, which let I/O callbacks run in between
    let wait = next - Number(process.hrtime.bigint());
    if (wait > 1e6) await new Promise(r => setTimeout(r, Math.floor(wait / 1e6)));
    while (Number(process.hrtime.bigint()) < next) await new Promise(r => setImmediate(r));
    pushedAt.set(k, process.hrtime.bigint());
    queue.add('noop', { k });   // not awaited: a fixed schedule, like the Java producer thread
    next += interval;
  }
  await finished;
  lat.sort((x, y) => x - y);
  await worker.close();
  await queue.close();
  await clean();
  return { mode: 'latency', concurrency, samples: lat.length,
    p50: lat[Math.floor(lat.length * 0.5)], p99: lat[Math.floor(lat.length * 0.99)], max: lat[lat.length - 1] };
}

const out = mode === 'latency'
  ? await latency(Number(a), Number(b), Number(c))
  : await throughput(Number(a), Number(b));
out.bullmq = require('bullmq/package.json').version;
out.node = process.version;
console.log(JSON.stringify(out));
process.exit(0);
