// Compiles src/ to JavaScript in build/ (the same tree, so every path a module resolves from its own
// place — templates, locales, migrations, styles — holds there too) and copies what is not
// TypeScript beside it, and compiles the stylesheet. `node build/main.js` then runs the site without
// a TypeScript loader or Sass: some 35 MB less memory and a faster start than `npm start`.
import { execFileSync } from 'node:child_process'
import { cp, rm, writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const build = `${root}build`
await rm(build, { recursive: true, force: true })
execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', `${root}tsconfig.build.json`], { stdio: 'inherit' })
await cp(`${root}src`, build, { recursive: true, filter: (source) => !source.endsWith('.ts') })
// The stylesheet compiled now, so that the server does not start Sass at every start.
const html = `${build}/platform/html`
const css = execFileSync(process.execPath, [`${html}/compile-stylesheet.mjs`, `${html}/styles/ashyq.scss`, `${root}node_modules`], { maxBuffer: 16 * 1024 * 1024 })
await writeFile(`${html}/ashyq.css`, css)
console.log('Built into build/: run it with `npm run serve` (node build/main.js).')
