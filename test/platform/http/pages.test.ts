import { brotliDecompressSync } from 'node:zlib'
import { createHash } from 'node:crypto'
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createTestApp, type TestApp } from '../../helpers/app.ts'

let t: TestApp
before(async () => {
  t = await createTestApp()
})
after(() => t.close())

test('/ redirects by Accept-Language, Kazakh when nothing matches', async () => {
  for (const [header, target] of [['ru-RU,ru;q=0.9', '/ru/'], ['en-US', '/en/'], ['kk', '/kk/'], ['de-DE', '/kk/'], [undefined, '/kk/']] as const) {
    const response = await t.app.inject({ url: '/', headers: header ? { 'accept-language': header } : {} })
    assert.equal(response.statusCode, 302, String(header))
    assert.equal(response.headers.location, target, String(header))
    assert.match(String(response.headers.vary), /Accept-Language/)
  }
})

const PORTAL_NAMES = {
  kk: ['Ашық деректер', 'Ашық НҚА', 'Ашық бюджеттер', 'Ашық диалог', 'Мемлекеттік органдар', 'Мемлекеттік қызметтер', 'Ашықтық'],
  ru: ['Открытые данные', 'Открытые НПА', 'Открытые бюджеты', 'Открытый диалог', 'Госорганы', 'Госуслуги', 'Открытость'],
  en: ['Open data', 'Legal acts', 'Budgets', 'Dialogue', 'State bodies', 'Public services', 'Openness'],
}

for (const lang of ['kk', 'ru', 'en'] as const) {
  test(`the ${lang} home page has the layout: lang, header, language switch, portals, skip link, footer`, async () => {
    const response = await t.app.inject({ url: `/${lang}/` })
    assert.equal(response.statusCode, 200)
    assert.match(String(response.headers['content-type']), /text\/html/)
    const html = response.body
    assert.match(html, new RegExp(`<html lang="${lang}"`))
    assert.match(html, /class="govuk-skip-link"[^>]*href="#main-content"|href="#main-content"[^>]*class="govuk-skip-link"/)
    assert.match(html, /id="main-content"/)
    assert.match(html, /<header class="govuk-template__header ashyq-header">/)
    assert.match(html, lang === 'en' ? /Ashyq/ : /Ашық/)
    assert.match(html, /<footer class="govuk-template__footer">/)
    const nav = html.slice(html.indexOf('class="govuk-service-navigation'), html.indexOf('</nav>', html.indexOf('class="govuk-service-navigation')))
    const links = [...nav.matchAll(/<a class="govuk-service-navigation__link" href="([^"]+)"[^>]*>\s*([^<]+?)\s*</g)].map((m) => [m[1], m[2]])
    const paths = ['data', 'legal-acts', 'budgets', 'dialogue', 'agencies', 'services', 'openness'].map((p) => `/${lang}/${p}`)
    assert.deepEqual(links, paths.map((path, i) => [path, PORTAL_NAMES[lang][i]]))
    for (const other of ['kk', 'ru', 'en'].filter((l) => l !== lang)) {
      assert.match(html, new RegExp(`href="/${other}/"[^>]*hreflang="${other}"|hreflang="${other}"[^>]*href="/${other}/"`))
    }
    assert.match(html, /href="\/static\/ashyq\.[0-9a-f]{10}\.css"/)
  })
}

test('the language switch keeps the current page and its query', async () => {
  const html = (await t.app.inject({ url: '/ru/agencies?kind=local&q=%D0%B0' })).body
  assert.ok(html.includes('href="/kk/agencies?kind=local&amp;q=%D0%B0"'))
  assert.ok(html.includes('href="/en/agencies?kind=local&amp;q=%D0%B0"'))
})

test('the home page offers every portal that is built, with what it holds: polls and petitions, budgets, the openness index', async () => {
  for (const lang of ['kk', 'ru', 'en']) {
    const home = (await t.app.inject({ url: `/${lang}/` })).body
    assert.match(home, /сауалнама|(?<![а-яё])опрос|\bpolls\b/i, `${lang}: the dialogue's card names its polls`)
    assert.match(home, /петици|\bpetitions\b/i, `${lang}: and its petitions`)
    assert.match(home, new RegExp(`href="/${lang}/budgets"`), `${lang}: the budgets' card`)
    assert.match(home, new RegExp(`href="/${lang}/openness"`), `${lang}: the openness index's card`)
    assert.equal((await t.app.inject({ url: `/${lang}/openness` })).statusCode, 200, `${lang}/openness`)
  }
})

test('an unknown page is a friendly 404 in the page language', async () => {
  const ru = await t.app.inject({ url: '/ru/no-such-page' })
  assert.equal(ru.statusCode, 404)
  assert.match(ru.body, /<html lang="ru"/)
  assert.match(ru.body, /Страница не найдена/)
  const kk = await t.app.inject({ url: '/kk/no-such-page' })
  assert.match(kk.body, /Бет табылмады/)
  const bare = await t.app.inject({ url: '/no-such-page', headers: { 'accept-language': 'en' } })
  assert.equal(bare.statusCode, 404)
  assert.match(bare.body, /Page not found/)
})

test('a server error shows a friendly page and never the stack trace', async () => {
  const { app, close } = await createTestApp()
  app.get('/en/boom', async () => {
    throw new Error('secret internal detail')
  })
  app.get('/api/boom', async () => {
    throw new Error('secret internal detail')
  })
  try {
    const page = await app.inject({ url: '/en/boom' })
    assert.equal(page.statusCode, 500)
    assert.match(page.body, /Sorry, there is a problem with the service/)
    assert.doesNotMatch(page.body, /secret internal detail|at .*\.ts:\d+/)
    const api = await app.inject({ url: '/api/boom', headers: { 'accept-language': 'ru' } })
    assert.equal(api.statusCode, 500)
    assert.match(String(api.headers['content-type']), /application\/problem\+json/)
    assert.equal(api.json().title, 'Извините, в работе сервиса произошла ошибка')
    assert.doesNotMatch(api.body, /secret internal detail/)
  } finally {
    await close()
  }
})

test('the stylesheet, the scripts and GOV.UK Frontend\'s assets are served from memory by addresses that name their content', async () => {
  const html = (await t.app.inject({ url: '/en/' })).body
  const cssHref = /<link rel="stylesheet" href="(\/static\/ashyq\.[0-9a-f]{10}\.css)">/.exec(html)?.[1]
  const jsHref = /<script type="module" src="(\/static\/ashyq\.[0-9a-f]{10}\.js)">/.exec(html)?.[1]
  const iconHref = /<link rel="icon" sizes="any" href="(\/assets\/[0-9a-f]{10}\/images\/favicon\.svg)"/.exec(html)?.[1]
  assert.ok(cssHref && jsHref && iconHref, 'the page names its files by fingerprinted addresses')

  const css = await t.app.inject({ url: cssHref })
  assert.equal(css.statusCode, 200)
  assert.match(css.body, /\.govuk-template/)
  assert.match(css.body, /#00657f/i, 'the Ashyq brand colour is compiled in')
  assert.doesNotMatch(css.body, /GDS Transport/)
  assert.equal(css.headers['cache-control'], 'public, max-age=31536000, immutable')
  const etag = String(css.headers.etag)
  assert.match(etag, /^"[0-9a-f]{10}"$/)
  assert.equal((await t.app.inject({ url: cssHref, headers: { 'if-none-match': etag } })).statusCode, 304)
  // Compressed once: the second reader gets the very bytes the first did.
  const brotli = await t.app.inject({ url: cssHref, headers: { 'accept-encoding': 'gzip, br' } })
  assert.equal(brotli.headers['content-encoding'], 'br')
  assert.equal(brotliDecompressSync(brotli.rawPayload).toString(), css.body)
  assert.ok(brotli.rawPayload.length < css.rawPayload.length / 4)
  assert.deepEqual((await t.app.inject({ url: cssHref, headers: { 'accept-encoding': 'br' } })).rawPayload, brotli.rawPayload)
  assert.equal((await t.app.inject({ url: cssHref, headers: { 'accept-encoding': 'gzip' } })).headers['content-encoding'], 'gzip')

  // The plain address, and one a page made before a release names, send the same and are asked for again.
  for (const url of ['/static/ashyq.css', '/static/ashyq.0123456789.css']) {
    const other = await t.app.inject({ url })
    assert.equal(other.body, css.body, url)
    assert.equal(other.headers['cache-control'], 'public, max-age=300, must-revalidate', url)
  }

  // The script imports GOV.UK Frontend's module by its fingerprinted address.
  const script = await t.app.inject({ url: jsHref })
  const module = /from '(\/static\/govuk-frontend\.min\.[0-9a-f]{10}\.js)'/.exec(script.body)?.[1]
  assert.ok(module, 'ashyq.js imports the module by the address that names its version')
  assert.equal((await t.app.inject({ url: module })).statusCode, 200)
  assert.equal(script.headers['content-type'], 'text/javascript; charset=utf-8')

  const icon = await t.app.inject({ url: iconHref })
  assert.equal(icon.statusCode, 200)
  assert.equal(icon.headers['content-type'], 'image/svg+xml')
  assert.equal(icon.headers['cache-control'], 'public, max-age=31536000, immutable')
  assert.equal((await t.app.inject({ url: '/assets/images/favicon.svg' })).body, icon.body)
  // The fonts the stylesheet names carry GOV.UK Frontend's own fingerprint.
  const font = /\/assets\/fonts\/[a-z]+-[0-9a-f]{10}-v\d\.woff2/.exec(css.body)?.[0]
  if (font) assert.equal((await t.app.inject({ url: font })).headers['cache-control'], 'public, max-age=31536000, immutable')
  for (const url of ['/static/index.scss', '/static/../package.json', '/assets/../../package.json', '/static/ashyq.scss']) {
    assert.equal((await t.app.inject({ url })).statusCode, 404, url)
  }
})

test('OpenAPI is generated from the route schemas and the docs are browsable', async () => {
  const spec = (await t.app.inject({ url: '/api/openapi.json' })).json()
  assert.match(spec.openapi, /^3\./)
  assert.ok(spec.paths['/api/agencies'])
  assert.ok(spec.paths['/api/agencies/{slug}'])
  assert.equal(spec.paths['/ru/agencies'], undefined, 'pages are not in the API description')
  // The reference is a page of the portal, in the reader's language, made from the same document.
  const index = await t.app.inject({ url: '/ru/api' })
  assert.equal(index.statusCode, 200)
  assert.match(index.body, /<h1 class="govuk-heading-l">Справочник API<\/h1>/)
  // Each part on a page of its own, linked from the first.
  const part = /href="(\/ru\/api\/[a-z0-9-]+)" lang="en">State bodies</.exec(index.body)?.[1]
  assert.ok(part, 'the first page links to each part')
  assert.doesNotMatch(index.body, /ashyq-api__operation/, 'the operations are on the parts\' pages')
  const docs = await t.app.inject({ url: part })
  assert.equal(docs.statusCode, 200)
  assert.match(docs.body, /<code class="ashyq-api__method">GET<\/code> <code class="ashyq-break-anywhere">\/api\/agencies\/\{slug\}<\/code>/)
  assert.match(docs.body, /<span lang="en">|lang="en">List state bodies</)
  assert.match(docs.body, /Нужен токен/, 'writes say they need a token')
  assert.doesNotMatch(docs.body, /\sstyle="/)
  assert.equal((await t.app.inject({ url: '/ru/api/no-such-part' })).statusCode, 404)
  const old = await t.app.inject({ url: '/api/docs/static/index.html', headers: { 'accept-language': 'kk' } })
  assert.equal(old.statusCode, 301)
  assert.equal(old.headers.location, '/kk/api')
})

test('pages carry security headers and a CSP that allows the one inline script by its hash', async () => {
  const response = await t.app.inject({ url: '/ru/' })
  const csp = String(response.headers['content-security-policy'])
  assert.match(csp, /default-src 'self'/)
  assert.match(csp, /frame-ancestors 'none'/)
  assert.doesNotMatch(csp, /unsafe-inline|nonce-/)
  const hash = /script-src 'self' 'sha256-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1]
  assert.ok(hash)
  const inline = [...response.body.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([^<]*)<\/script>/g)]
  assert.equal(inline.length, 1, 'one inline script, the template\'s')
  assert.equal(createHash('sha256').update(inline[0]![1]!).digest('base64'), hash, 'the script the browser runs is the one allowed')
  assert.equal(response.headers['x-content-type-options'], 'nosniff')
  assert.doesNotMatch(response.body, /\sstyle="/, 'no inline styles for the CSP to block')
})

test('API answers carry the same security headers', async () => {
  for (const url of ['/api/3/action/package_list', '/api/openapi.json', '/api/3/action/no_such_action']) {
    const response = await t.app.inject({ url })
    const csp = String(response.headers['content-security-policy'])
    assert.match(csp, /default-src 'self'/, url)
    assert.match(csp, /frame-ancestors 'none'/, url)
    assert.equal(response.headers['x-content-type-options'], 'nosniff', url)
    assert.equal(response.headers['x-frame-options'], 'SAMEORIGIN', url)
  }
  // Refused before its route runs (no token): the headers are there too.
  const refused = await t.app.inject({ method: 'POST', url: '/api/agencies', payload: {} })
  assert.equal(refused.statusCode, 401)
  assert.equal(refused.headers['x-content-type-options'], 'nosniff')
  assert.match(String(refused.headers['content-security-policy']), /frame-ancestors 'none'/)
})
