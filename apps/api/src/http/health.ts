import type { Dependency } from '../ports/dependency.ts';

const CHECK_TIMEOUT_MS = 2_000;

export interface HealthReport {
  status: 'ok' | 'degraded';
  instance: string;
  dependencies: Record<string, { kind: string; status: 'up' | 'down'; error?: string }>;
}

/** Asks every dependency at once; one that does not answer in time counts as down. */
export async function checkHealth(instance: string, dependencies: Dependency[]): Promise<HealthReport> {
  const results = await Promise.all(
    dependencies.map(async (d) => {
      try {
        await Promise.race([
          d.check(),
          new Promise((_, reject) => setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS).unref()),
        ]);
        return [d.name, { kind: d.kind, status: 'up' as const }] as const;
      } catch (error) {
        return [d.name, { kind: d.kind, status: 'down' as const, error: (error as Error).message }] as const;
      }
    }),
  );
  return {
    status: results.every(([, r]) => r.status === 'up') ? 'ok' : 'degraded',
    instance,
    dependencies: Object.fromEntries(results),
  };
}
