import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.dirname(new URL(import.meta.url).pathname);

function sources(dir: string): string[] {
  return readdirSync(path.join(SRC, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(rel);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [rel] : [];
  });
}

/** Every relative import of a source file, as a path from src/. */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(SRC, file), 'utf8');
  return [...text.matchAll(/from '(\.{1,2}\/[^']+)'/g)].map((m) => path.join(path.dirname(file), m[1]!));
}

describe('boundaries (shared/DESIGN.md §2, §10)', () => {
  it('lets a module use another only through its <feature>.api.ts', () => {
    const crossings = sources('modules').flatMap((file) => {
      const feature = file.split(path.sep)[1];
      return importsOf(file)
        .filter((target) => target.startsWith(`modules${path.sep}`) && target.split(path.sep)[1] !== feature)
        .filter((target) => path.basename(target) !== `${target.split(path.sep)[1]}.api.ts`)
        .map((target) => `${file} → ${target}`);
    });
    expect(crossings).toEqual([]);
  });

  it('keeps realtime/, ports/ and adapters/ free of modules/', () => {
    const inward = ['realtime', 'ports', 'adapters'].flatMap((dir) =>
      sources(dir).flatMap((file) => importsOf(file).filter((t) => t.startsWith(`modules${path.sep}`)).map((t) => `${file} → ${t}`)),
    );
    expect(inward).toEqual([]);
  });
});
