/* tslint:disable */
/* eslint-disable */
export const memory: WebAssembly.Memory;
export const __wbg_bifurcationfigure_free: (a: number, b: number) => void;
export const bench: (a: number, b: number, c: number) => [number, number, number];
export const bifurcationfigure_draw: (a: number, b: any, c: number, d: number) => [number, number, number];
export const bifurcationfigure_new: (a: any) => [number, number, number];
export const bifurcationfigure_periods: (a: number) => [number, number];
export const drawTrajectory: (a: any, b: number, c: number, d: any, e: number) => [number, number, number];
export const objectives: () => [number, number, number];
export const run: (a: any) => [number, number, number];
export const start: () => void;
export const __wbindgen_malloc: (a: number, b: number) => number;
export const __wbindgen_realloc: (a: number, b: number, c: number, d: number) => number;
export const __wbindgen_free: (a: number, b: number, c: number) => void;
export const __wbindgen_exn_store: (a: number) => void;
export const __externref_table_alloc: () => number;
export const __wbindgen_externrefs: WebAssembly.Table;
export const __externref_table_dealloc: (a: number) => void;
export const __wbindgen_start: () => void;
