/** Loads h5wasm once per process (its WebAssembly module takes a moment). */
import h5wasm from "h5wasm/node";

export type H5 = typeof h5wasm;
export type H5File = InstanceType<typeof h5wasm.File>;
export type H5Dataset = InstanceType<typeof h5wasm.Dataset>;
export type H5Group = InstanceType<typeof h5wasm.Group>;

let ready: Promise<H5> | undefined;

export function loadH5(): Promise<H5> {
  ready ??= h5wasm.ready.then(() => h5wasm);
  return ready;
}
