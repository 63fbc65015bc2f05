import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

const root = import.meta.dirname;

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // Installers ship only out/**: every dependency is bundled, none is required from node_modules.
      externalizeDeps: false,
      rollupOptions: {
        // The reactor entry and the engine module are bundles of their own: they
        // run in the utility process, which loads the engine by path.
        input: {
          index: resolve(root, 'main/electron/index.ts'),
          reactor: resolve(root, 'main/reactor/entry.ts'),
          engine: resolve(root, 'main/engine/reactor-module.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload can require only electron: valibot and shared/ are bundled in.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(root, 'preload/index.ts') },
        // Sandboxed preloads cannot load ES modules or require our own files.
        output: { format: 'cjs', entryFileNames: '[name].cjs', inlineDynamicImports: true },
      },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    plugins: [react()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      rollupOptions: { input: { index: resolve(root, 'renderer/index.html') } },
    },
  },
});
