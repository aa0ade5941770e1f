/** JSON columns: written with JSON.stringify, read back through the caller's zod schema. */
export function toJson(value: unknown): string {
  return JSON.stringify(value);
}

export function fromJson(text: string): unknown {
  return JSON.parse(text);
}
