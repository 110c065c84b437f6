// Compiles Ashyq's stylesheet in a worker thread (see stylesheet() in index.ts): Sass's compiler
// takes some 50 MB of memory, given back when the worker ends instead of held by the server.
// JavaScript, not TypeScript: a worker thread does not get the TypeScript loader the server runs under.
import { parentPort, workerData } from 'node:worker_threads'
import * as sass from 'sass'

/** @type {{ entry: string, loadPaths: string[] }} */
const { entry, loadPaths } = workerData
parentPort?.postMessage(sass.compile(entry, { loadPaths, style: 'compressed', quietDeps: true }).css)
