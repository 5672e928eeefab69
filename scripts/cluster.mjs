// A cluster on this machine: N compiled API instances on the real services behind nginx, configured by
// deploy/nginx/youngchat.conf (the same site config every deployment uses). `npm run cluster` runs it until Ctrl-C;
// the browser journey and the load test's chaos scenario start one with startCluster() and break it on purpose.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { ensureServerBuilt, SERVER_ENTRY } from '../apps/api/scripts/build-server.mjs';
import { webBuildIsStale } from './stale.mjs';

const root = path.resolve(import.meta.dirname, '..');
export const NGINX_SITE = path.join(root, 'deploy/nginx/youngchat.conf');
const LISTEN_LINE = /^(\s*)listen 8080;$/m;
const READY_TIMEOUT_MS = 60_000;
/** Lines of output kept per process, for saying why something failed. */
const KEPT_LINES = 400;

/** A port nobody listens on now (the instances keep theirs across restarts, so nginx's upstream never changes). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function nginxBinary() {
  for (const candidate of [process.env.NGINX_PATH, '/usr/sbin/nginx', '/usr/bin/nginx']) if (candidate && existsSync(candidate)) return candidate;
  return 'nginx';
}

/** nginx's own config for this cluster: the shared site (its listen line aside) after an upstream naming the instances. */
export function nginxConfig({ dir, listen, upstreams }) {
  const site = readFileSync(NGINX_SITE, 'utf8');
  if (!LISTEN_LINE.test(site)) throw new Error(`${NGINX_SITE} no longer has the line "listen 8080;" that the cluster replaces`);
  writeFileSync(path.join(dir, 'youngchat.conf'), site.replace(LISTEN_LINE, `$1listen ${listen};`));
  const servers = upstreams.map((port) => `    server 127.0.0.1:${port} max_fails=1 fail_timeout=2s;`).join('\n');
  return `daemon off;
worker_processes 1;
worker_rlimit_nofile 16384;
pid ${dir}/nginx.pid;
error_log stderr warn;
events { worker_connections 8192; }
http {
  access_log off;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream youngchat {
${servers}
    keepalive 32;
  }
  include ${dir}/youngchat.conf;
}
`;
}

/** A child process whose output is kept (and optionally shown), with a way to wait for a line. */
export function supervise(name, command, args, { env, show, onLine: listener }) {
  const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = [];
  const waiters = new Set();
  const onLine = (line) => {
    lines.push(line);
    if (lines.length > KEPT_LINES) lines.shift();
    if (show) console.log(`${name} | ${line}`);
    listener?.(name, line);
    for (const waiter of waiters) waiter(line);
  };
  createInterface({ input: child.stdout }).on('line', onLine);
  createInterface({ input: child.stderr }).on('line', onLine);
  // A binary that cannot be started (not installed, say) never exits: it ends here too, so that whoever waits for
  // it (a start in progress, a stop) goes on, and the cluster stops what it had already started.
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal));
    child.on('error', (error) => {
      // Only a spawn that failed leaves no process behind; a failed kill does not mean it has gone.
      const started = child.pid !== undefined;
      lines.push(started ? `${name}: ${error.message}` : `could not start ${command}: ${error.message}`);
      if (!started) resolve(`could not start: ${error.code ?? error.message}`);
    });
  });
  const waitFor = (test, what) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => done(new Error(`${name}: no ${what} within ${READY_TIMEOUT_MS / 1000} s:\n${lines.join('\n')}`)), READY_TIMEOUT_MS);
      const waiter = (line) => test(line) && done();
      function done(error) {
        clearTimeout(timer);
        waiters.delete(waiter);
        if (error) reject(error);
        else resolve();
      }
      waiters.add(waiter);
      void exited.then((how) => done(new Error(`${name} exited (${how}) before ${what}:\n${lines.join('\n')}`)));
    });
  const stop = async (signal = 'SIGTERM', timeoutMs = 20_000) => {
    if (child.exitCode !== null || child.signalCode !== null) return exited;
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const how = await exited;
    clearTimeout(timer);
    return how;
  };
  return { name, child, exited, waitFor, stop, output: () => lines.join('\n') };
}

const isReadyLine = (line) => {
  try {
    return JSON.parse(line).msg === 'ready';
  } catch {
    return false;
  }
};

async function healthy(url, timeoutMs = READY_TIMEOUT_MS) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) })).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`${url}/healthz did not answer 200 within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Starts `instances` API processes sharing the services in `env` (DATABASE_URL, REDIS_URL, AMQP_URL, …) and one
 * DATA_DIR (files, the JWT secret), each on its own port, then nginx on `port` (every address) in front of them;
 * without a port, on a free one of 127.0.0.1 only (a test's cluster).
 */
export async function startCluster({ instances = 2, port: asked, dataDir, env = {}, idPrefix = 'api', show = false, onLine } = {}) {
  const port = asked ?? (await freePort());
  const listen = asked === undefined ? `127.0.0.1:${port}` : String(port);
  if (webBuildIsStale()) {
    // NODE_ENV as a test runner sets it ('test') would make Vite bundle React's development build.
    const env = { ...process.env, NODE_ENV: 'production' };
    const { status } = spawnSync('npm', ['run', 'build', '-w', '@youngchat/web'], { cwd: root, env, stdio: show ? 'inherit' : 'ignore' });
    if (status !== 0) throw new Error('the web app did not build (npm run build -w @youngchat/web)');
  }
  await ensureServerBuilt();
  const nginxDir = mkdtempSync(path.join(tmpdir(), 'youngchat-nginx-'));
  // nginx's workers run as nobody when it starts as root: they need to reach their temporary directories.
  chmodSync(nginxDir, 0o755);
  const ports = [];
  for (let i = 0; i < instances; i++) ports.push(await freePort());
  const url = `http://127.0.0.1:${port}`;
  const baseEnv = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    NODE_ENV: 'development',
    HOST: '127.0.0.1',
    TRUST_PROXY: 'true',
    PUBLIC_URL: `http://localhost:${port}`,
    CORS_ORIGINS: url,
    DATA_DIR: dataDir,
    ...env,
  };

  const running = [];
  const start = async (i) => {
    const name = `api-${i + 1}`;
    const instance = supervise(name, process.execPath, [SERVER_ENTRY], { env: { ...baseEnv, PORT: String(ports[i]), INSTANCE_ID: `${idPrefix}-${i + 1}` }, show, onLine });
    running[i] = instance;
    await instance.waitFor(isReadyLine, 'ready line');
    return instance;
  };
  let nginx;
  const stop = async () => {
    await nginx?.stop('SIGQUIT', 5_000);
    await Promise.all(running.map((instance) => instance?.stop('SIGTERM')));
    rmSync(nginxDir, { recursive: true, force: true });
  };
  try {
    // The first alone: it migrates the database and writes the JWT secret the others read.
    await start(0);
    await Promise.all(ports.slice(1).map((_, i) => start(i + 1)));
    writeFileSync(path.join(nginxDir, 'nginx.conf'), nginxConfig({ dir: nginxDir, listen, upstreams: ports }));
    nginx = supervise('nginx', nginxBinary(), ['-p', nginxDir, '-c', path.join(nginxDir, 'nginx.conf'), '-e', 'stderr'], { env: process.env, show });
    await Promise.race([healthy(url), nginx.exited.then((how) => Promise.reject(new Error(`nginx exited (${how}):\n${nginx.output()}`)))]);
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    url,
    ports,
    /** The running instances, in order; restart() replaces one. */
    instances: running,
    nginx,
    /** Stops instance i with `signal` (SIGTERM drains, SIGKILL does not), waits `downMs`, starts it again on its port. */
    async restart(i, { signal = 'SIGTERM', downMs = 0 } = {}) {
      await running[i].stop(signal);
      if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
      return start(i);
    },
    output: () => [...running.map((r) => `--- ${r.name}\n${r.output()}`), `--- nginx\n${nginx.output()}`].join('\n'),
    stop,
  };
}

/** The CLI's database: created on the PostgreSQL server when it does not exist yet. */
async function ensureDatabase(databaseUrl) {
  const { default: pg } = await import('pg');
  const target = new URL(databaseUrl);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
}

async function main() {
  const { values } = parseArgs({
    options: { instances: { type: 'string', default: '2' }, port: { type: 'string', default: '8080' }, quiet: { type: 'boolean', default: false } },
  });
  const instances = Number(values.instances);
  const port = Number(values.port);
  if (!Number.isInteger(instances) || instances < 1 || instances > 16) throw new Error('--instances: 1 to 16');
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new Error('--port: 1 to 65535');
  const env = {
    DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/youngchat',
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    AMQP_URL: process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
  };
  // Everything else the API reads passes through (SMTP_URL, S3_*, JWT_SECRET, …); the cluster's own choices win.
  const passed = Object.fromEntries(Object.entries(process.env).filter(([key]) => /^(SMTP_|MAIL_|S3_|AWS_|JWT_|LOG_LEVEL|NODE_ENV|MESSAGES_|REDIS_KEY|AMQP_EXCHANGE)/.test(key)));
  const dataDir = path.resolve(process.env.DATA_DIR ?? path.join(root, '.data', 'cluster'));
  mkdirSync(dataDir, { recursive: true });
  await ensureDatabase(env.DATABASE_URL);
  const cluster = await startCluster({ instances, port, dataDir, env: { ...passed, ...env }, show: !values.quiet });
  const lines = [
    '',
    `YOUng Chat is running at http://localhost:${port} — ${instances} API instances behind nginx (Ctrl-C stops everything)`,
    ...cluster.ports.map((p, i) => `  api-${i + 1}: http://127.0.0.1:${p} (pid ${cluster.instances[i].child.pid})`),
    `  database ${env.DATABASE_URL.replace(/\/\/[^@/]*@/, '//…@')} · Redis ${env.REDIS_URL} · RabbitMQ ${env.AMQP_URL.replace(/\/\/[^@/]*@/, '//…@')}`,
    `  files and the JWT secret in ${dataDir}`,
    process.env.SMTP_URL ? '' : '  no SMTP_URL: each instance keeps its own dev outbox of sign-up mail at <api-N>/dev/outbox',
    '',
  ];
  console.log(lines.join('\n'));
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    console.log('stopping the cluster…');
    await cluster.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  // An instance that dies by itself is said at once; the cluster keeps serving from the others.
  for (const instance of cluster.instances) void instance.exited.then((how) => stopping || console.error(`${instance.name} exited (${how})`));
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  main().catch((error) => {
    console.error(`the cluster did not start: ${error.message}`);
    process.exit(1);
  });
}
