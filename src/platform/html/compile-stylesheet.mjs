// Compiles Ashyq's stylesheet in a process of its own (see stylesheet() in index.ts) and writes
// the CSS to standard output: Sass's compiler takes some 50 MB of memory, all of it given back to
// the system when this process ends (a worker thread's is partly kept by the server's process).
// JavaScript, not TypeScript: it runs under plain Node.js.
// Usage: node compile-stylesheet.mjs <entry.scss> <load path>
import * as sass from 'sass'

const [entry, loadPath] = process.argv.slice(2)
if (!entry || !loadPath) throw new Error('usage: compile-stylesheet.mjs <entry.scss> <load path>')
process.stdout.write(sass.compile(entry, { loadPaths: [loadPath], style: 'compressed', quietDeps: true }).css)
