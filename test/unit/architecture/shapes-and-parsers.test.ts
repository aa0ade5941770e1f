import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../../', import.meta.url).pathname;
const source = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** Every production TypeScript file (the folders the layer check covers). */
function productionFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts')) out.push(relative(ROOT, path));
    }
  };
  for (const folder of ['core', 'store', 'queries', 'cards', 'remediation', 'sim', 'handlers', 'bot'])
    walk(join(ROOT, folder));
  return out;
}

describe('shapes have one source', () => {
  it('bot/config.ts writes no shape by hand: every type is the output of its schema', () => {
    const text = source('bot/config.ts');
    expect(text).not.toMatch(/\binterface\s+\w+/);
    const aliases = [...text.matchAll(/^export type (\w+) = (.+);$/gm)].map(([, name, body]) => ({
      name,
      body,
    }));
    expect(aliases.map((a) => a.name)).toContain('Config');
    for (const { name, body } of aliases)
      expect(body, name).toMatch(/^(z\.(output|infer)<typeof \w+>|(NonNullable<)?Config\[)/);
  });
});

describe('Retry-After has one parser', () => {
  it('every production read of a Retry-After header goes through parseRetryAfter', () => {
    const reads = productionFiles().flatMap((file) =>
      source(file)
        .split('\n')
        .map((line, i) => ({ where: `${file}:${i + 1}`, line }))
        .filter(({ line }) => /\.get\(\s*['"]retry-after['"]\s*\)/i.test(line)),
    );
    expect(reads.length).toBeGreaterThan(0);
    const elsewhere = reads.filter(({ line }) => !line.includes('parseRetryAfter(')).map((r) => r.where);
    expect(elsewhere).toEqual([]);
  });
});
