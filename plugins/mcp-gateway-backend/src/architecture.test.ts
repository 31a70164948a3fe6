import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * The rooms of the plugin, bottom to top. A room imports only rooms of
 * lower layers, never one of its own layer or above, so there is no cycle
 * and the shared vocabulary (core/) depends on nothing but the config.
 */
const LAYERS: string[][] = [
  ['config'],
  ['core'],
  // The catalog module reads only the config (and core's vocabulary).
  ['database', 'catalogEntity'],
  ['identity'],
  ['policy', 'control', 'audit', 'limits'],
  ['downstream'],
  ['tools'],
  // Resources and prompts build on the tools' shaping and names.
  ['resources', 'prompts'],
  ['corridor'],
  ['protocol', 'admin'],
  ['plugin.ts'],
  ['index.ts'],
  // The `./testUtils` entry point: helpers for adopters' tests.
  ['testUtils'],
];

const src = __dirname;
const layerOf = new Map(
  LAYERS.flatMap((rooms, layer) => rooms.map(room => [room, layer] as const)),
);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      return entry.name.startsWith('__') ? [] : sourceFiles(path);
    }
    return /\.ts$/.test(entry.name) && !/\.test\.ts$/.test(entry.name)
      ? [path]
      : [];
  });
}

/** The folder under src/, or the root file (an import names it without `.ts`). */
function roomOf(path: string): string {
  const room = relative(src, path).split(/[\\/]/)[0];
  return layerOf.has(`${room}.ts`) ? `${room}.ts` : room;
}

/** Every import of one room by another, as `from -> to` with the file. */
function crossRoomImports() {
  return sourceFiles(src).flatMap(file => {
    const from = roomOf(file);
    const specifiers = [
      ...readFileSync(file, 'utf8').matchAll(/from '(\.[^']*)'/g),
    ].map(m => m[1]);
    return specifiers
      .map(specifier => resolve(dirname(file), specifier))
      .filter(target => !relative(src, target).startsWith('..'))
      .map(target => ({ file: relative(src, file), from, to: roomOf(target) }))
      .filter(({ from: a, to: b }) => a !== b);
  });
}

describe('module layers', () => {
  it('places every room of src/ in a layer', () => {
    const rooms = new Set(sourceFiles(src).map(roomOf));
    expect([...rooms].filter(room => !layerOf.has(room))).toEqual([]);
  });

  it('imports only downwards, so no room depends on itself through another', () => {
    const upwards = crossRoomImports()
      .filter(({ from, to }) => layerOf.get(to)! >= layerOf.get(from)!)
      .map(({ file, to }) => `${file} imports ${to}`);
    expect(upwards).toEqual([]);
  });

  it('sees the imports it checks (a check that finds none proves nothing)', () => {
    expect(crossRoomImports().length).toBeGreaterThan(50);
  });
});
