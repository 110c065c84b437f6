import { test } from 'node:test'
import assert from 'node:assert/strict'
import { request as httpRequest } from 'node:http'
import type { AddressInfo } from 'node:net'
import { appWithTable } from '../../helpers/datastore.ts'
import { makeDataset } from '../../helpers/factories.ts'

/** The notes a page gives about what it did instead of what the address asked, as text. */
function notesOf(html: string): string {
  return (/class="govuk-inset-text ashyq-notes"[\s\S]*?<\/div>/.exec(html)?.[0] ?? '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim()
}

test('a mistake in an address keeps the reader on the page, with their input and a note in their language', async (t) => {
  const site = await appWithTable({ agency: 'ministry-of-health', dataset: 'clinics', fileName: 'clinics.csv', content: 'city,beds\nAstana,120\nAlmaty,340\nShymkent,80\n' })
  t.after(site.close)
  await makeDataset(site.db, 'ministry-of-health', { name: 'pharmacies' })
  const { app } = site

  // The catalog: a search longer than the box takes is cut, and the box says how much it takes.
  const long = 'дәріхана '.repeat(40)
  const searched = await app.inject({ url: `/ru/data?q=${encodeURIComponent(long)}` })
  assert.equal(searched.statusCode, 200)
  assert.match(notesOf(searched.body), /Запрос длиннее 200 символов: поиск идёт по первым 200/)
  assert.ok(searched.body.includes(`value="${long.slice(0, 200)}"`), 'the search is kept in the box')
  assert.match(searched.body, /id="q" name="q" type="search"[^>]*maxlength="200"/)

  // A page past the last shows the last, with its datasets; a page that is not a number, the first.
  for (const page of ['99999', '50']) {
    const past = await app.inject({ url: `/kk/data?page=${page}` })
    assert.equal(past.statusCode, 200)
    assert.match(notesOf(past.body), new RegExp(`${page}-бет жоқ: соңғы, 1-бет көрсетілді`))
    assert.match(past.body, /\/kk\/data\/datasets\/pharmacies"/, 'the last page lists what is there')
  }
  assert.match(notesOf((await app.inject({ url: '/en/data?page=abc' })).body), /“abc” is not a page number: the first page is shown/)

  // An unknown sort is left out, the choices named in the reader's language.
  const sorted = await app.inject({ url: '/kk/data?sort=popular' })
  assert.equal(sorted.statusCode, 200)
  assert.match(notesOf(sorted.body), /«popular» мәні «Сұрыптау» үшін жарамсыз.*Таңдауға болатыны: Сәйкестігі бойынша/)
  assert.doesNotMatch(notesOf(sorted.body), /relevance|recently_updated/, 'no English codes in a Kazakh page')
  assert.equal(notesOf((await app.inject({ url: '/kk/data?sort=name&page=1' })).body), '', 'nothing to say when the address is right')

  // A table: the last page instead of rows past the end, an unknown column or order left out.
  const table = await app.inject({ url: `${site.path.replace('/en/', '/ru/')}?page=99999` })
  assert.equal(table.statusCode, 200)
  assert.match(notesOf(table.body), /Страницы 99999 нет: показана последняя, 1-я/)
  assert.match(table.body, /Shymkent/)
  assert.doesNotMatch(table.body, /4999901/)
  const order = await app.inject({ url: `${site.path}?sort=beds&dir=up` })
  assert.equal(order.statusCode, 200)
  assert.match(notesOf(order.body), /“up” is not a choice for “order”.*The choices are: asc \(ascending\), desc \(descending\)/)
  const unknown = await app.inject({ url: `${site.path}?sort=no_such_column` })
  assert.equal(unknown.statusCode, 200)
  assert.match(notesOf(unknown.body), /“no_such_column” is not a choice for “sort”/)
  // A file is made as asked or not at all.
  assert.equal((await app.inject({ url: `/data/resources/${site.resourceId}/export.csv?sort=beds&dir=up` })).statusCode, 400)
})

test('an address too long for the server gets a page in the three languages, not JSON', async (t) => {
  const site = await appWithTable({ agency: 'ministry-of-health', dataset: 'clinics', fileName: 'clinics.csv', content: 'city,beds\nAstana,120\n' })
  t.after(site.close)
  await site.app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = site.app.server.address() as AddressInfo
  const answer = await new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port, path: `/kk/data?q=${encodeURIComponent('а'.repeat(8000))}` }, (response) => {
      let body = ''
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => { body += chunk })
      response.on('end', () => resolve({ status: response.statusCode ?? 0, type: String(response.headers['content-type']), body }))
    })
    request.on('error', reject)
    request.end()
  })
  assert.equal(answer.status, 431)
  assert.match(answer.type, /^text\/html/)
  assert.match(answer.body, /Мекенжай тым ұзын/)
  assert.match(answer.body, /Адрес слишком длинный/)
  assert.match(answer.body, /<a href="\/kk\/">/)
})
