// Builds the renderer alone (no Electron main or preload needed) into out/renderer,
// with the renderer section of electron.vite.config.ts, so the browser host can serve it.
import { build } from 'vite';
import config from '../../electron.vite.config.ts';

const renderer = typeof config === 'function' ? (await config({ command: 'build', mode: 'production' })).renderer : config.renderer;
await build({ ...renderer, configFile: false, logLevel: process.env.SKEIN_QUIET_BUILD ? 'warn' : 'info', build: { ...renderer.build, emptyOutDir: true } });
