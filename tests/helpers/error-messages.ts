/**
 * The error messages the source throws, read from its syntax tree: every `fail(status, …)`,
 * `new ApiError(status, …)` and `invalidToken(…)` whose message is written in the call (a
 * string, a template literal, a `?:` or `+` of those). A `${…}` part becomes a sample value;
 * a `?:` inside a template yields one message per branch, so "x is required" and "x is
 * required: hint" are both checked. Messages held in variables are not seen here.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export interface SourceMessage {
	/** file:line of the call */
	at: string;
	/** the message with each `${…}` replaced by a sample value */
	text: string;
}

/** Functions whose argument (index) is an ApiError's message. */
const THROWERS: Record<string, number> = { fail: 1, ApiError: 1, invalidToken: 0 };

/** What a `${…}` part becomes: a sample value by default. */
export type Sampler = (expression: ts.Expression) => string;
const SAMPLE: Sampler = () => 'Sx';

/** Every text an expression can be, `${…}` parts as the sample; null when it is not written out. */
function texts(node: ts.Expression, sample: Sampler = SAMPLE): string[] | null {
	if (ts.isParenthesizedExpression(node)) return texts(node.expression);
	if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [node.text];
	if (ts.isConditionalExpression(node)) {
		const a = texts(node.whenTrue, sample);
		const b = texts(node.whenFalse, sample);
		return a && b ? [...a, ...b] : null;
	}
	if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
		const left = texts(node.left, sample);
		const right = texts(node.right, sample);
		if (!left && !right) return null;
		const a = left ?? [sample(node.left)];
		const b = right ?? [sample(node.right)];
		return a.flatMap((x) => b.map((y) => x + y));
	}
	if (ts.isTemplateExpression(node)) {
		let out = [node.head.text];
		for (const span of node.templateSpans) {
			const inner = span.expression;
			// A nested template or a `?:` of texts is part of the message's wording; anything else is a value.
			const options = (ts.isConditionalExpression(inner) || ts.isTemplateExpression(inner) ? texts(inner, sample) : null) ?? [sample(inner)];
			out = out.flatMap((x) => options.map((o) => x + o + span.literal.text));
		}
		return out;
	}
	return null;
}

function sourceFiles(dir: string): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
		const p = path.join(dir, e.name);
		if (e.isDirectory()) return sourceFiles(p);
		return /\.ts$/.test(e.name) && !/\.d\.ts$/.test(e.name) ? [p] : [];
	});
}

/** The messages thrown under `root` (src), server and host code alike; src/lib/client is the browser's own ApiError. */
export function sourceMessages(root = 'src', sample: Sampler = SAMPLE): SourceMessage[] {
	const found: SourceMessage[] = [];
	for (const file of sourceFiles(root)) {
		if (file.includes(`${path.sep}client${path.sep}`)) continue;
		const text = fs.readFileSync(file, 'utf8');
		if (!/fail\(|ApiError\(|invalidToken\(/.test(text)) continue;
		const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
		const visit = (node: ts.Node) => {
			if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && ts.isIdentifier(node.expression)) {
				const index = THROWERS[node.expression.text];
				const arg = index === undefined ? undefined : node.arguments?.[index];
				if (arg) {
					const at = `${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
					for (const t of texts(arg, sample) ?? []) found.push({ at, text: t });
				}
			}
			ts.forEachChild(node, visit);
		};
		visit(source);
	}
	return found;
}
