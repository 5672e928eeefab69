// The deployment files (Dockerfile, deploy/docker-compose.yml and what it mounts, .github/workflows) cannot be run
// here: no container engine on these machines. So they are linted, and checked against the code they deploy:
// every variable the compose file gives the API is one config.ts reads and the values pass its own validation, nginx
// gets the one shared site config, Prometheus scrapes every instance, the dashboard asks only for metrics the API
// exports. The image itself is built, run and smoke-tested by .github/workflows/image.yml.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ENV_NAMES, loadConfig } from '../src/config.ts';
import { createMetrics } from '../src/observability/metrics.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const DEPLOY = path.join(ROOT, 'deploy');
const COMPOSE_FILE = path.join(DEPLOY, 'docker-compose.yml');
const DOCKERFILE = path.join(ROOT, 'Dockerfile');
const WORKFLOWS = path.join(ROOT, '.github/workflows');
const SITE_CONF = path.join(DEPLOY, 'nginx/youngchat.conf');
/** What the compose file's required variables (`${NAME:?…}`) stand for while checking; never a real secret. */
const REQUIRED_SAMPLES: Record<string, string> = { JWT_SECRET: 'a-sample-secret-for-this-test-only-0123456789' };

const read = (file: string) => readFileSync(file, 'utf8');

// ---------------------------------------------------------------------------------------------------------------
// Linters, run as their command-line tools from node_modules (devDependencies of this workspace).

const requireHere = createRequire(import.meta.url);

function binOf(pkg: string, name: string): string {
  const manifest = requireHere.resolve(`${pkg}/package.json`);
  const { bin } = JSON.parse(read(manifest)) as { bin: string | Record<string, string> };
  return path.join(path.dirname(manifest), typeof bin === 'string' ? bin : bin[name]!);
}

function run(pkg: string, name: string, args: string[]) {
  const result = spawnSync(process.execPath, [binOf(pkg, name), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    timeout: 60_000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}${result.error?.message ?? ''}` };
}

const dclint = (file: string) => run('dclint', 'dclint', [file, '--max-warnings', '0']);
const dockerfileLint = (file: string) => run('dockerfile-utils', 'dockerfile-utils', ['lint', file]);
const actionValidator = (file: string) => run('@action-validator/cli', 'action-validator', [file]);

const workflowFiles = readdirSync(WORKFLOWS)
  .filter((f) => /\.ya?ml$/.test(f))
  .map((f) => path.join(WORKFLOWS, f));

const scratch = mkdtempSync(path.join(os.tmpdir(), 'deploy-files-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
function scratchFile(name: string, text: string): string {
  const file = path.join(scratch, name);
  writeFileSync(file, text);
  return file;
}

describe('deployment files pass their linters', () => {
  it('dclint: deploy/docker-compose.yml (compose schema, pinned tags, bound interfaces), no warnings either', () => {
    const { status, output } = dclint(COMPOSE_FILE);
    expect(status, output).toBe(0);
  });

  it('dockerfile-utils: Dockerfile', () => {
    const { status, output } = dockerfileLint(DOCKERFILE);
    expect(status, output).toBe(0);
    expect(output.trim(), output).toBe('');
  });

  it.each(workflowFiles.map((f) => [path.relative(ROOT, f), f]))('action-validator: %s', (_name, file) => {
    const { status, output } = actionValidator(file);
    expect(status, output).toBe(0);
  });

  // A linter that passes everything would make the three tests above pass forever.
  it('each linter fails a broken file', () => {
    const badCompose = scratchFile('compose.yml', 'name: x\nservices:\n  a:\n    image: redis\n    restart: sometimes\n');
    expect(dclint(badCompose).status).not.toBe(0);
    const badDockerfile = scratchFile('Dockerfile', 'FROM node:20\nHEALTHCHECK --interval=often CMD true\nCOPY a\n');
    expect(dockerfileLint(badDockerfile).status).not.toBe(0);
    const badWorkflow = scratchFile('wf.yml', 'name: x\non: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    stepz: []\n');
    expect(actionValidator(badWorkflow).status).not.toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The compose file, read as compose reads it.

interface Service {
  image?: string;
  build?: { context?: string; dockerfile?: string } | string;
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: Record<string, { condition: string }> | string[];
  volumes?: (string | { type?: string; source?: string; target?: string })[];
  healthcheck?: { test?: string[] | string };
}
interface Compose {
  services: Record<string, Service>;
}

const compose = parse(read(COMPOSE_FILE), { merge: true }) as Compose;
const requiredVariables = new Set<string>();

/** Compose's interpolation with nothing set: `${A:-d}`/`${A-d}` → d, `${A:?e}`/`${A?e}` → a sample (noted), `$$` → `$`. */
function interpolate(value: string): string {
  return value.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g,
    (match, name: string | undefined, op: string | undefined, arg: string | undefined) => {
      if (match === '$$') return '$';
      if (op === ':-' || op === '-') return arg ?? '';
      if (op === ':?' || op === '?') {
        requiredVariables.add(name!);
        return REQUIRED_SAMPLES[name!] ?? 'sample';
      }
      return '';
    },
  );
}

function environmentOf(service: Service): Record<string, string> {
  const env = service.environment ?? {};
  const entries = Array.isArray(env)
    ? env.map((line) => [line.split('=')[0]!, line.slice(line.indexOf('=') + 1)] as const)
    : Object.entries(env).map(([k, v]) => [k, v == null ? '' : String(v)] as const);
  return Object.fromEntries(entries.map(([k, v]) => [k, interpolate(v)]));
}

/** Short-syntax bind mounts of a service: [host path resolved from deploy/, container path]. */
function bindMounts(service: Service): [string, string][] {
  return (service.volumes ?? []).flatMap((v): [string, string][] => {
    if (typeof v === 'string') {
      const [source, target] = v.split(':');
      return source?.startsWith('.') || source?.startsWith('/') ? [[path.resolve(DEPLOY, source), target!]] : [];
    }
    return v.type === 'bind' && v.source && v.target ? [[path.resolve(DEPLOY, v.source), v.target]] : [];
  });
}

const services = compose.services;
/** The API instances: the services built from this repository's Dockerfile. */
const apiServices = Object.entries(services).filter(
  ([, s]) => typeof s.build === 'object' && (s.build.dockerfile ?? 'Dockerfile') === 'Dockerfile',
);

describe('deploy/docker-compose.yml', () => {
  it('runs at least two API instances, each with its own INSTANCE_ID', () => {
    expect(apiServices.length).toBeGreaterThanOrEqual(2);
    const ids = apiServices.map(([, s]) => environmentOf(s).INSTANCE_ID);
    expect(ids.every(Boolean)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(apiServices)('%s: gives the API only variables config.ts reads', (_name, service) => {
    const known = new Set<string>(ENV_NAMES);
    const unknown = Object.keys(environmentOf(service)).filter((name) => !known.has(name));
    expect(unknown, `not in envSchema (apps/api/src/config.ts): ${unknown.join(', ')}`).toEqual([]);
  });

  it.each(apiServices)('%s: is a production config that config.ts accepts, on every real adapter', (_name, service) => {
    const env = environmentOf(service);
    const config = loadConfig(env);
    expect(config.nodeEnv).toBe('production');
    // Production refuses to start without JWT_SECRET; it must come from the operator, never from this repository.
    expect(requiredVariables.has('JWT_SECRET'), 'JWT_SECRET should be ${JWT_SECRET:?…}').toBe(true);
    expect(config.jwtSecret).toBe(REQUIRED_SAMPLES.JWT_SECRET);
    expect(config.trustProxy, 'behind nginx, TRUST_PROXY=true').toBe(true);
    expect(config.publicUrl).toBeDefined();
    expect(config.database.url).toBeDefined();
    expect(config.redis.url).toBeDefined();
    expect(config.amqp.url).toBeDefined();
    expect(config.mail.smtpUrl).toBeDefined();
    expect(config.s3.bucket).toBeDefined();
    expect(config.s3.credentials).toBeDefined();
  });

  it.each(apiServices)('%s: every service URL names a compose service it waits for', (_name, service) => {
    const env = environmentOf(service);
    const dependsOn = service.depends_on ?? {};
    const conditions: Record<string, string> = Array.isArray(dependsOn)
      ? Object.fromEntries(dependsOn.map((d) => [d, 'service_started']))
      : Object.fromEntries(Object.entries(dependsOn).map(([d, v]) => [d, v.condition]));
    for (const name of ['DATABASE_URL', 'REDIS_URL', 'AMQP_URL', 'SMTP_URL', 'S3_ENDPOINT']) {
      const host = new URL(env[name]!).hostname;
      expect(services[host], `${name} points at ${host}, which is not a service`).toBeDefined();
      expect(conditions[host], `${name}: depends_on ${host} with condition service_healthy`).toBe('service_healthy');
    }
  });

  it('deploy/.env.example names every variable the compose file takes from its environment', () => {
    const example = new Set([...read(path.join(DEPLOY, '.env.example')).matchAll(/^([A-Z_][A-Z0-9_]*)=/gm)].map(([, n]) => n));
    const used = new Set([...read(COMPOSE_FILE).matchAll(/(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map(([, n]) => n));
    expect([...used].filter((name) => !example.has(name))).toEqual([]);
  });

  it('every file it mounts exists', () => {
    const missing = Object.values(services)
      .flatMap(bindMounts)
      .map(([source]) => source)
      .filter((source) => !existsSync(source));
    expect(missing).toEqual([]);
  });

  it('nginx serves deploy/nginx/youngchat.conf as it is, after an upstream block naming every API instance', () => {
    const nginx = services.nginx;
    expect(nginx).toBeDefined();
    const mounts = bindMounts(nginx!);
    const site = mounts.find(([source]) => source === SITE_CONF);
    expect(site, 'the shared site config is mounted directly, not a copy').toBeDefined();
    const confD = (target: string) => path.posix.dirname(target) === '/etc/nginx/conf.d' && target.endsWith('.conf');
    expect(confD(site![1])).toBe(true);
    // The compose file may not swap the site for another one beside it: it is the only server block mounted.
    const servers = mounts.filter(([source]) => /^\s*server\s*\{/m.test(read(source)));
    expect(servers.map(([source]) => source)).toEqual([SITE_CONF]);
    expect(read(SITE_CONF)).toMatch(/proxy_pass http:\/\/youngchat;/);

    const upstream = mounts.find(([source]) => /^\s*upstream\s+youngchat\s*\{/m.test(read(source)));
    expect(upstream, 'an `upstream youngchat` file is mounted').toBeDefined();
    expect(confD(upstream![1])).toBe(true);
    // conf.d/*.conf is included in name order, and the site refers to the upstream.
    expect(path.posix.basename(upstream![1]) < path.posix.basename(site![1])).toBe(true);
    const upstreamServers = [...read(upstream![0]).matchAll(/^\s*server\s+([\w.-]+):(\d+)/gm)].map(([, h, p]) => `${h}:${p}`);
    const apis = apiServices.map(([name, s]) => `${name}:${loadConfig(environmentOf(s)).port}`);
    expect(upstreamServers.sort()).toEqual(apis.sort());
  });

  it('every long-running service has a healthcheck', () => {
    const oneShot = new Set(
      Object.values(services).flatMap((s) =>
        Array.isArray(s.depends_on)
          ? []
          : Object.entries(s.depends_on ?? {})
              .filter(([, v]) => v.condition === 'service_completed_successfully')
              .map(([d]) => d),
      ),
    );
    const without = Object.entries(services)
      .filter(([name, s]) => !oneShot.has(name) && !s.healthcheck?.test)
      .map(([name]) => name);
    expect(without).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Prometheus and Grafana.

interface Panel {
  title: string;
  datasource?: { uid?: string };
  targets?: { expr: string; datasource?: { uid?: string } }[];
}

describe('monitoring', () => {
  const prometheusMount = bindMounts(services.prometheus!).find(([, t]) => t.endsWith('prometheus.yml'));
  const prometheus = parse(read(prometheusMount![0])) as {
    scrape_configs: { job_name: string; metrics_path?: string; static_configs: { targets: string[] }[] }[];
  };
  const grafanaMounts = bindMounts(services.grafana!);
  const provisioning = grafanaMounts.find(([, t]) => t === '/etc/grafana/provisioning')![0];

  it('Prometheus scrapes /metrics of every API instance', () => {
    const job = prometheus.scrape_configs.find((j) => j.job_name === 'youngchat');
    expect(job?.metrics_path ?? '/metrics').toBe('/metrics');
    const targets = job!.static_configs.flatMap((c) => c.targets).sort();
    const apis = apiServices.map(([name, s]) => `${name}:${loadConfig(environmentOf(s)).port}`).sort();
    expect(targets).toEqual(apis);
  });

  const datasources = readdirSync(path.join(provisioning, 'datasources')).flatMap(
    (f) => (parse(read(path.join(provisioning, 'datasources', f))) as { datasources: { uid: string; url: string }[] }).datasources,
  );
  const providers = readdirSync(path.join(provisioning, 'dashboards')).flatMap(
    (f) => (parse(read(path.join(provisioning, 'dashboards', f))) as { providers: { options: { path: string } }[] }).providers,
  );
  const dashboardFiles = providers.flatMap(({ options }) => {
    const mount = grafanaMounts.find(([, target]) => target === options.path);
    expect(mount, `Grafana's dashboard folder ${options.path} is mounted from deploy/`).toBeDefined();
    return readdirSync(mount![0])
      .filter((f) => f.endsWith('.json'))
      .map((f) => path.join(mount![0], f));
  });

  it('Grafana is provisioned with the Prometheus of this compose file and at least one dashboard', () => {
    expect(datasources.map((d) => new URL(d.url).hostname)).toContain('prometheus');
    expect(dashboardFiles.length).toBeGreaterThan(0);
  });

  it.each(dashboardFiles.map((f) => [path.relative(ROOT, f), f]))(
    '%s: every panel queries a provisioned datasource for metrics the API exports',
    async (_name, file) => {
      const dashboard = JSON.parse(read(file)) as { panels: Panel[] };
      const exported = new Set(['up']);
      for (const metric of await createMetrics().registry.getMetricsAsJSON()) {
        exported.add(metric.name);
        // prom-client's typings declare a numeric enum; at run time the type is its name.
        const type = metric.type as unknown as string;
        if (type === 'histogram') for (const s of ['_bucket', '_sum', '_count']) exported.add(metric.name + s);
        if (type === 'summary') for (const s of ['_sum', '_count']) exported.add(metric.name + s);
      }
      const uids = new Set(datasources.map((d) => d.uid));
      const wanted = ['ws_open_sockets', 'ws_messages_sent_total', 'http_request_duration_seconds_bucket', 'nodejs_eventloop_lag_p99_seconds', 'http_requests_total'];
      const used = new Set<string>();
      for (const panel of dashboard.panels) {
        expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
        for (const target of panel.targets!) {
          expect(uids.has(target.datasource?.uid ?? panel.datasource?.uid ?? ''), panel.title).toBe(true);
          // Every selector in these queries carries a label matcher or a range: `name{…}` or `name[…]`.
          const names = [...target.expr.matchAll(/([A-Za-z_:][A-Za-z0-9_:]*)\s*[{[]/g)].map(([, n]) => n!);
          expect(names.length, `${panel.title}: ${target.expr}`).toBeGreaterThan(0);
          for (const name of names) {
            expect(exported.has(name), `${panel.title}: ${name} is not a metric of the API`).toBe(true);
            used.add(name);
          }
        }
      }
      // Sockets, deliveries, send latency, event-loop lag and errors: the panels the dashboard exists for.
      expect(wanted.filter((m) => !used.has(m))).toEqual([]);
    },
  );
});

// ---------------------------------------------------------------------------------------------------------------
// The Dockerfile and the workflow that ships it.

describe('Dockerfile', () => {
  const text = read(DOCKERFILE).replace(/\\\n/g, ' ');
  const stages = text.split(/^FROM\s/m).slice(1);
  const final = stages.at(-1)!;
  const { scripts } = JSON.parse(read(path.join(ROOT, 'apps/api/package.json'))) as { scripts: Record<string, string> };

  it('runs the compiled server as a non-root user, with a HEALTHCHECK on /healthz', () => {
    const user = [...final.matchAll(/^USER\s+(\S+)/gm)].at(-1)?.[1];
    expect(user).toBeDefined();
    expect(['root', '0', '0:0']).not.toContain(user);
    expect(final).toMatch(/^HEALTHCHECK\s.*http:\/\/127\.0\.0\.1:.*\/healthz/m);
    // `npm start` in apps/api is `node dist/main.js`; the image runs the same file.
    const entry = scripts.start!.replace(/^node\s+/, 'apps/api/');
    expect(final).toMatch(new RegExp(`^CMD\\s+\\["node",\\s*"${entry.replace(/\./g, '\\.')}"\\]`, 'm'));
  });

  it('ships production dependencies only', () => {
    const finalCopies = [...final.matchAll(/^COPY\s+--from=(\S+).*?(\S+)\s+(\S+)$/gm)];
    const nodeModules = finalCopies.filter(([, , source]) => source!.endsWith('node_modules'));
    expect(nodeModules.length).toBe(1);
    const from = nodeModules[0]![1]!;
    const stage = stages.find((s) => new RegExp(`\\sAS\\s+${from}\\s*$`, 'im').test(s.split('\n')[0]!));
    expect(stage, `stage ${from}`).toBeDefined();
    expect(stage).toMatch(/npm ci\b[^\n]*--omit=dev/);
    expect(read(path.join(ROOT, '.dockerignore'))).toMatch(/^\*\*\/node_modules$/m);
  });
});

describe('.github/workflows/image.yml', () => {
  it('pushes the image to ghcr.io with the workflow token, from main only', () => {
    const workflow = parse(read(path.join(WORKFLOWS, 'image.yml'))) as {
      on: { push?: { branches?: string[] } };
      jobs: Record<string, { permissions?: Record<string, string>; steps: { uses?: string; if?: string; with?: Record<string, unknown> }[] }>;
    };
    expect(workflow.on.push?.branches).toEqual(['main']);
    const jobs = Object.values(workflow.jobs);
    const pushing = jobs.flatMap((job) =>
      job.steps.filter((s) => s.uses?.startsWith('docker/build-push-action@') && s.with?.push === true).map((step) => ({ job, step })),
    );
    expect(pushing.length).toBe(1);
    const { job, step } = pushing[0]!;
    expect(job.permissions?.packages).toBe('write');
    expect(step.if).toMatch(/refs\/heads\/main/);
    expect(String(step.with!.tags)).toMatch(/:sha-\$\{\{ github\.sha \}\}/);
    expect(String(step.with!.tags)).toMatch(/:latest$/m);
    expect(read(path.join(WORKFLOWS, 'image.yml'))).toMatch(/ghcr\.io\/\$\{GITHUB_REPOSITORY,,\}/);
    const login = job.steps.find((s) => s.uses?.startsWith('docker/login-action@'));
    expect(login?.with?.password).toBe('${{ secrets.GITHUB_TOKEN }}');
  });
});
