import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

const require = createRequire(import.meta.url);
let validate: ValidateFunction | undefined;

/** The official Adaptive Card 1.5 schema, compiled once (draft-06 with a legacy `id`). */
export function schemaErrors(card: unknown): string[] {
  if (!validate) {
    const schemaPath = new URL('../../../shared/reference/adaptive-card-1.5.schema.json', import.meta.url);
    const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
    schema.$id = schema.id;
    delete schema.id;
    const ajv = new Ajv({ strict: false, allErrors: true });
    ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json'));
    const addFormats = addFormatsModule as unknown as (a: Ajv) => void;
    addFormats(ajv);
    validate = ajv.compile(schema);
  }
  return validate(card) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

interface AcModule {
  AdaptiveCard: new () => { parse(json: unknown, ctx: unknown): void };
  SerializationContext: new () => {
    eventCount: number;
    getEventAt(i: number): { message: string; phase: number };
  };
}

/** Parses the card with Microsoft's `adaptivecards` package and returns its warnings and errors. */
export function rendererProblems(card: unknown): string[] {
  const ac = require('adaptivecards/dist/adaptivecards.js') as AcModule;
  const ctx = new ac.SerializationContext();
  new ac.AdaptiveCard().parse(card, ctx);
  const out: string[] = [];
  for (let i = 0; i < ctx.eventCount; i++) out.push(ctx.getEventAt(i).message);
  return out;
}
