import { KqlError, type SourcePos } from './errors.ts';
import { dictToArray } from './string-dict.ts';
import { cellAt, type Val } from './value.ts';

/**
 * `extract(regex, captureGroup, source)`: the capture group's text of the first match, or "" when
 * nothing matches. The pattern and group are constants; the pattern runs once per distinct
 * string (dictionary entry), not per row. Kusto's RE2 syntax is read as a JavaScript pattern:
 * the simple patterns vetted queries use mean the same in both.
 */
export function evalExtract(args: Val[], pos: SourcePos): Val {
  if (args.length !== 3)
    throw new KqlError('KQL_ARGUMENT', `extract() takes 3 argument(s), got ${args.length}`, pos);
  const [pattern, group, source] = args as [Val, Val, Val];
  const text = cellAt(pattern, 0);
  if (!pattern.konst || typeof text !== 'string')
    throw new KqlError('KQL_ARGUMENT', 'extract() needs a constant regex string', pos);
  const index = cellAt(group, 0);
  if (!group.konst || typeof index !== 'number' || !Number.isInteger(index) || index < 0)
    throw new KqlError('KQL_ARGUMENT', 'extract() needs a constant capture group number', pos);
  let regex: RegExp;
  try {
    regex = new RegExp(text);
  } catch {
    throw new KqlError('KQL_ARGUMENT', `extract() cannot read the regex ${JSON.stringify(text)}`, pos);
  }
  const c = source.col;
  if (c.kind !== 'str') throw new KqlError('KQL_TYPE', `extract() needs a string, got ${c.type}`, pos);
  const dict = dictToArray(c.dict).map((s) => regex.exec(s)?.[index] ?? '');
  return { col: { kind: 'str', type: 'string', codes: c.codes, dict }, konst: source.konst };
}
