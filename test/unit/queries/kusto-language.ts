import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import vm from 'node:vm';
import { TABLE_SCHEMAS, toKustoSchemaText } from '../../../queries/engine/table-schemas.ts';

interface KustoDiagnostic {
  Message: string;
  Start: number;
}
interface KustoList<T> {
  Count: number;
  getItem(i: number): T;
}
interface KustoCodeLike {
  GetDiagnostics(): KustoList<KustoDiagnostic>;
}
interface KustoLanguage {
  KustoCode: { ParseAndAnalyze(text: string, globals: unknown): KustoCodeLike };
  GlobalState: { Default: { WithCluster(c: unknown): { WithDatabase(d: unknown): unknown } } };
  Symbols: {
    TableSymbol: { From(schema: string): { WithName(n: string): unknown } };
    DatabaseSymbol: { $ctor3: new (name: string, alt: null, members: unknown[], open: boolean) => unknown };
    ClusterSymbol: { $ctor1: new (name: string, dbs: unknown[], open: boolean) => unknown };
  };
}

let globals: unknown = null;
let language: KustoLanguage | null = null;

/** Loads Microsoft's Kusto language service (globals scripts) once, with our tables declared. */
function load(): { K: KustoLanguage; globals: unknown } {
  if (!language) {
    const require = createRequire(import.meta.url);
    const dir = dirname(require.resolve('@kusto/language-service-next/package.json'));
    vm.runInThisContext(readFileSync(join(dir, 'bridge.min.js'), 'utf8'));
    vm.runInThisContext(readFileSync(join(dir, 'Kusto.Language.Bridge.min.js'), 'utf8'));
    language = (globalThis as unknown as { Kusto: { Language: KustoLanguage } }).Kusto.Language;
    const K = language;
    const tables = TABLE_SCHEMAS.map((s) =>
      K.Symbols.TableSymbol.From(toKustoSchemaText(s)).WithName(s.name),
    );
    const db = new K.Symbols.DatabaseSymbol.$ctor3('workspace', null, tables, false);
    const cluster = new K.Symbols.ClusterSymbol.$ctor1('local', [db], false);
    globals = K.GlobalState.Default.WithCluster(cluster).WithDatabase(db);
  }
  return { K: language, globals };
}

/** Diagnostics (errors and warnings) from Microsoft's parser and semantic analyser. */
export function kustoDiagnostics(text: string): string[] {
  const { K, globals: g } = load();
  const d = K.KustoCode.ParseAndAnalyze(text, g).GetDiagnostics();
  const out: string[] = [];
  for (let i = 0; i < d.Count; i++) out.push(`${d.getItem(i).Message} @${d.getItem(i).Start}`);
  return out;
}
