// ESM + CJS bundles per runtime entry, plus bundled .d.ts. grove.wasm is written to dist/ by
// asc (release target) and found at run time next to the bundle via import.meta.url.
import esbuild from 'rollup-plugin-esbuild';
import { dts } from 'rollup-plugin-dts';

const input = {
  index: 'src/index.ts',
  'index.node': 'src/index.node.ts',
  cli: 'src/cli/main.ts',
  // nThreads' workers load it by URL, next to the bundle
  'shard-worker': 'src/tree/shard-worker.ts',
};
const external = (id) => id.startsWith('node:');

export default [
  {
    input,
    external,
    plugins: [esbuild({ target: 'es2022' })],
    output: [
      { dir: 'dist', format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
      { dir: 'dist', format: 'cjs', entryFileNames: '[name].cjs', chunkFileNames: '[name]-[hash].cjs' },
    ],
  },
  {
    input: { index: 'src/index.ts', 'index.node': 'src/index.node.ts' },
    external,
    plugins: [dts()],
    output: { dir: 'dist', format: 'es', entryFileNames: '[name].d.ts', chunkFileNames: '[name]-[hash].d.ts' },
  },
];
