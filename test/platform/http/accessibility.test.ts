import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createTestApp, type TestApp } from '../../helpers/app.ts'
import { parseSettings } from '../../../src/platform/html/accessibility.ts'

let t: TestApp
before(async () => {
  t = await createTestApp()
})
after(() => t.close())

function cookieOf(response: { cookies: { name: string; value: string }[] }): string | undefined {
  return response.cookies.find((c) => c.name === 'ashyq_a11y')?.value
}

test('the header offers the version for the visually impaired as a plain link back to the same page', async () => {
  const html = (await t.app.inject({ url: '/kk/agencies?kind=local' })).body
  assert.match(html, /href="\/kk\/accessibility\?mode=on&amp;return=%2Fkk%2Fagencies%3Fkind%3Dlocal">Нашар көретіндерге арналған нұсқа</)
})

test('switching on sets a year-long cookie and returns to the page; settings change one at a time', async () => {
  const on = await t.app.inject({ url: '/ru/accessibility?mode=on&return=%2Fru%2Fagencies' })
  assert.equal(on.statusCode, 303)
  assert.equal(on.headers.location, '/ru/agencies')
  const value = cookieOf(on)
  assert.equal(value, 'on.large.light.show.normal')
  const setCookie = String([on.headers['set-cookie']].flat().find((c) => String(c).startsWith('ashyq_a11y')))
  assert.match(setCookie, /Max-Age=31536000/)
  assert.match(setCookie, /HttpOnly/)

  const page = (await t.app.inject({ url: '/ru/agencies', cookies: { ashyq_a11y: value! } })).body
  assert.match(page, /<html lang="ru" class="govuk-template ashyq-vi ashyq-vi--size-large ashyq-vi--contrast-light ashyq-vi--images-show ashyq-vi--spacing-normal">/)
  assert.match(page, /aria-current="true">Крупный</)

  const dark = await t.app.inject({ url: '/ru/accessibility?contrast=dark&return=%2Fru%2F', cookies: { ashyq_a11y: value! } })
  assert.equal(cookieOf(dark), 'on.large.dark.show.normal')
  const off = await t.app.inject({ url: '/ru/accessibility?mode=off&return=%2Fru%2F', cookies: { ashyq_a11y: cookieOf(dark)! } })
  assert.equal(cookieOf(off), 'off')
  assert.doesNotMatch((await t.app.inject({ url: '/ru/', cookies: { ashyq_a11y: 'off' } })).body, /ashyq-vi/)
})

test('the return address stays on this site, and bad values are refused', async () => {
  // What a browser would read as another host, whatever the spelling: two slashes, a backslash, a
  // tab or a newline between them (browsers drop those), an address with a scheme.
  for (const target of ['//evil.example/', '/\\evil.example', '/%09/evil.example', 'https://evil.example/', '/%5C%5Cevil.example', '/.//evil.example', '/a/..//evil.example', '/%252e//evil.example', '/./%5Cevil.example']) {
    const away = await t.app.inject({ url: `/en/accessibility?mode=on&return=${encodeURIComponent(decodeURIComponent(target))}` })
    assert.equal(away.headers.location, away.statusCode === 303 ? '/en/' : undefined, target)
    assert.ok(away.statusCode === 303 || away.statusCode === 400, `${target}: ${away.statusCode}`)
  }
  const tab = await t.app.inject({ url: '/en/accessibility?mode=on&return=%2F%09%2Fevil.example' })
  assert.equal(tab.statusCode, 400)
  assert.match(tab.body, /return:/)
  // CR/LF (a header split) and raw non-ASCII are the asker's mistake, not a server error.
  for (const value of ['%2Fen%2F%0D%0ASet-Cookie%3A%20x%3D1', '%2Fru%2F%D0%B4%D0%B0%D0%BD%D0%BD%D1%8B%D0%B5']) {
    assert.equal((await t.app.inject({ url: `/en/accessibility?mode=on&return=${value}` })).statusCode, 400, value)
  }
  // A path of this site comes back whole, its query and fragment too.
  const home = await t.app.inject({ url: `/en/accessibility?mode=on&return=${encodeURIComponent('/ru/data?q=%D0%B0&page=2#results')}` })
  assert.equal(home.headers.location, '/ru/data?q=%D0%B0&page=2#results')
  const bad = await t.app.inject({ url: '/en/accessibility?size=gigantic' })
  assert.equal(bad.statusCode, 400)
  assert.match(bad.body, /size: must be one of: normal, large, larger/)
})

test('a tampered cookie means the usual version', () => {
  assert.equal(parseSettings('on.huge.<script>.show.normal').size, 'large')
  assert.equal(parseSettings('on.huge.<script>.show.normal').contrast, 'light')
  assert.equal(parseSettings('yes').on, false)
  assert.equal(parseSettings(undefined).on, false)
})
