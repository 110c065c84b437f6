// Compiles src/ to JavaScript in build/ (the same tree, so every path a module resolves from its own
// place — templates, locales, migrations, styles — holds there too) and copies what is not
// TypeScript beside it. `node build/main.js` then runs the site without a TypeScript loader: some
// 35 MB less memory and a faster start than `npm start`.
import { execFileSync } from 'node:child_process'
import { cp, rm } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const build = `${root}build`
await rm(build, { recursive: true, force: true })
execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', `${root}tsconfig.build.json`], { stdio: 'inherit' })
await cp(`${root}src`, build, { recursive: true, filter: (source) => !source.endsWith('.ts') })
console.log('Built into build/: run it with `npm run serve` (node build/main.js).')
