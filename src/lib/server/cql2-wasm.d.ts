// The bundler-target glue of cql2-wasm, which cql2.ts instantiates itself (Node cannot import
// a .wasm file as a module): the package's own types, plus the hook that hands it the instance.
declare module 'cql2-wasm/cql2_wasm_bg.js' {
	export * from 'cql2-wasm';
	export function __wbg_set_wasm(exports: WebAssembly.Exports): void;
}
