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
  kk: ['Ашық деректер', 'Ашық НҚА', 'Ашық диалог', 'Мемлекеттік органдар'],
  ru: ['Открытые данные', 'Открытые НПА', 'Открытый диалог', 'Госорганы'],
  en: ['Open data', 'Legal acts', 'Dialogue', 'State bodies'],
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
    const paths = ['data', 'legal-acts', 'dialogue', 'agencies'].map((p) => `/${lang}/${p}`)
    assert.deepEqual(links, paths.map((path, i) => [path, PORTAL_NAMES[lang][i]]))
    for (const other of ['kk', 'ru', 'en'].filter((l) => l !== lang)) {
      assert.match(html, new RegExp(`href="/${other}/"[^>]*hreflang="${other}"|hreflang="${other}"[^>]*href="/${other}/"`))
    }
    assert.match(html, /href="\/static\/ashyq.css"/)
  })
}

test('the language switch keeps the current page and its query', async () => {
  const html = (await t.app.inject({ url: '/ru/agencies?kind=local&q=%D0%B0' })).body
  assert.ok(html.includes('href="/kk/agencies?kind=local&amp;q=%D0%B0"'))
  assert.ok(html.includes('href="/en/agencies?kind=local&amp;q=%D0%B0"'))
})

test('nothing promises a portal that is not built: no link, card or page for budgets or openness, no polls or petitions', async () => {
  const promises = /petition|\bpolls?\b|budget|openness|петици|(?<![а-яё])опрос|бюджет|открытост|сауалнам|ашықтық/i
  for (const lang of ['kk', 'ru', 'en']) {
    const home = (await t.app.inject({ url: `/${lang}/` })).body
    assert.doesNotMatch(home.replace(/<script[\s\S]*?<\/script>/g, ''), promises, lang)
    for (const portal of ['budgets', 'openness']) assert.equal((await t.app.inject({ url: `/${lang}/${portal}` })).statusCode, 404, `${lang}/${portal}`)
  }
  const { I18n } = await import('../../../src/platform/i18n/index.ts')
  const i18n = new I18n()
  for (const lang of ['kk', 'ru', 'en'] as const) {
    for (const [key, text] of Object.entries(i18n.catalogs[lang])) {
      if (key.startsWith('platform.auth.') || key.startsWith('platform.mail.') || key.startsWith('platform.footer.') || key.startsWith('platform.portalDescriptions.')) {
        assert.doesNotMatch(String(text), promises, `${lang} ${key}`)
      }
    }
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

test('the stylesheet and GOV.UK Frontend assets are served', async () => {
  const css = await t.app.inject({ url: '/static/ashyq.css' })
  assert.equal(css.statusCode, 200)
  assert.match(css.body, /\.govuk-template/)
  assert.match(css.body, /#00657f/i, 'the Ashyq brand colour is compiled in')
  assert.doesNotMatch(css.body, /GDS Transport/)
  const font = await t.app.inject({ url: '/assets/images/favicon.svg' })
  assert.equal(font.statusCode, 200)
  const script = await t.app.inject({ url: '/static/govuk-frontend.min.js' })
  assert.equal(script.statusCode, 200)
  const scss = await t.app.inject({ url: '/static/index.scss' })
  assert.equal(scss.statusCode, 404)
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
