/** The parser scripts/lib/cql2-parser.ts generates from cql2-grammar.ts: CQL2 text in, CQL2 JSON out. */
export interface Cql2SyntaxError extends Error {
	location?: { start: { offset: number; line: number; column: number }; end: { offset: number; line: number; column: number } };
}
export const SyntaxError: new (...args: never[]) => Cql2SyntaxError;
export const StartRules: string[];
/** Parses CQL2 text; throws a SyntaxError that carries where. */
export function parse(text: string, options?: { startRule?: string }): unknown;
