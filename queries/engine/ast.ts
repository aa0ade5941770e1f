import type { SourcePos } from './errors.ts';
import type { KqlType } from './types.ts';

/** Scalar expression nodes. Every node keeps its position for error messages. */
export type Expr =
  | { kind: 'literal'; type: KqlType; value: unknown; pos: SourcePos }
  | { kind: 'name'; name: string; pos: SourcePos }
  | { kind: 'side'; side: 'left' | 'right'; name: string; pos: SourcePos }
  | { kind: 'member'; target: Expr; key: Expr; pos: SourcePos }
  | { kind: 'call'; name: string; args: Expr[]; pos: SourcePos }
  | { kind: 'unary'; op: '-' | '+'; arg: Expr; pos: SourcePos }
  | { kind: 'binary'; op: string; left: Expr; right: Expr; pos: SourcePos }
  | { kind: 'in'; negated: boolean; caseInsensitive: boolean; arg: Expr; list: Expr[]; pos: SourcePos }
  | { kind: 'between'; negated: boolean; arg: Expr; low: Expr; high: Expr; pos: SourcePos }
  | { kind: 'star'; pos: SourcePos }
  | { kind: 'toscalar'; query: TabularExpr; pos: SourcePos };

/** `name = expr` or a bare expression whose column name is derived later. */
export interface NamedExpr {
  name: string | null;
  /** Extra names for `(a, b) = percentiles(...)`-style multi-assignments. */
  names?: string[];
  expr: Expr;
}

/** A sort key of `order by` / `top`. */
export interface SortKey {
  expr: Expr;
  desc: boolean;
  nullsFirst: boolean;
}

/** Tabular operators following a pipe. */
export type Operator =
  | { op: 'where'; predicate: Expr; pos: SourcePos }
  | { op: 'extend'; items: NamedExpr[]; pos: SourcePos }
  | { op: 'project'; items: NamedExpr[]; pos: SourcePos }
  | { op: 'project-away'; patterns: string[]; pos: SourcePos }
  | { op: 'project-rename'; items: { to: string; from: string }[]; pos: SourcePos }
  | { op: 'summarize'; aggs: NamedExpr[]; by: NamedExpr[]; pos: SourcePos }
  | { op: 'sort'; keys: SortKey[]; pos: SourcePos }
  | { op: 'top'; count: Expr; keys: SortKey[]; pos: SourcePos }
  | { op: 'take'; count: Expr; pos: SourcePos }
  | { op: 'count'; pos: SourcePos }
  | { op: 'distinct'; items: NamedExpr[]; pos: SourcePos }
  | {
      op: 'join';
      kind: 'inner' | 'innerunique' | 'leftouter' | 'leftsemi' | 'leftanti';
      right: TabularExpr;
      on: { left: string; right: string }[];
      pos: SourcePos;
    }
  | { op: 'union'; sources: TabularExpr[]; pos: SourcePos }
  | { op: 'render'; pos: SourcePos };

/** A tabular source followed by a pipeline of operators. */
export type TabularSource =
  | { kind: 'table'; name: string; pos: SourcePos }
  | { kind: 'union'; sources: TabularExpr[]; pos: SourcePos }
  | { kind: 'datatable'; columns: { name: string; type: KqlType }[]; values: Expr[]; pos: SourcePos }
  | { kind: 'print'; items: NamedExpr[]; pos: SourcePos };

/** A tabular expression: a source and the operators applied to it. */
export interface TabularExpr {
  source: TabularSource;
  ops: Operator[];
}

/** A query parameter declared by `declare query_parameters(...)`. */
export interface DeclaredParam {
  name: string;
  type: KqlType;
  defaultValue: Expr | null;
  pos: SourcePos;
}

/** Top-level statements. A `let` value is either tabular or scalar (decided by the parser). */
export type Statement =
  | { kind: 'let'; name: string; value: { tabular: TabularExpr } | { scalar: Expr }; pos: SourcePos }
  | { kind: 'declare'; params: DeclaredParam[]; pos: SourcePos }
  | { kind: 'query'; body: TabularExpr; pos: SourcePos };

/** A parsed query: statements in order; the last `query` statement produces the result. */
export interface QueryAst {
  statements: Statement[];
}
