import { test } from 'node:test'
import assert from 'node:assert/strict'
import { appWithTable } from '../../helpers/datastore.ts'

// Input an outside test sent that answered 500: each is the asker's mistake, answered 4xx naming
// the field, or simply works.

test('a NUL character anywhere in a query, path or body is refused up front, naming the field, on pages, the API and CKAN\'s', async (t) => {
  const { app, resourceId, close } = await appWithTable({ agency: 'stat', dataset: 'population', fileName: 'population.csv', content: 'a;b\n1;2\n' })
  t.after(close)
  const cases: Array<[string, number, RegExp]> = [
    ['/en/agencies?q=a%00b', 400, /q: must not contain the NUL character/],
    ['/api/agencies/st%00at', 400, /NUL|slug/],
    ['/en/search?q=a%00b', 400, /q: must not contain the NUL character/],
    ['/api/search?q=a%00b', 400, /"field":"q"/],
    ['/en/data?q=a%00b', 400, /q: must not contain the NUL character/],
    ['/en/data?keyword=a%00b', 400, /keyword: must not contain the NUL character/],
    ['/api/3/action/package_search?q=a%00b', 409, /"q":\["must not contain the NUL character/],
    ['/api/3/action/package_search?fq=tags:a%00b', 409, /"fq":\[/],
    ['/api/3/action/package_show?id=a%00b', 409, /"id":\[/],
    ['/api/3/action/tag_list?query=a%00b', 409, /"query":\[/],
    [`/api/3/action/datastore_search?resource_id=${resourceId}&q=a%00b`, 409, /"q":\[/],
  ]
  for (const [url, status, body] of cases) {
    const response = await app.inject({ url, headers: { 'accept-language': 'en' } })
    assert.equal(response.statusCode, status, url)
    assert.match(response.body, body, url)
  }
  const posted = await app.inject({ method: 'POST', url: '/api/3/action/package_search', payload: { q: 'ok', fq_list: ['tags:x\u0000'] }, headers: { 'accept-language': 'ru' } })
  assert.equal(posted.statusCode, 409)
  assert.match(posted.body, /"fq_list.0":\["не должно содержать символ NUL/)
})

test('numbers past what the database holds, and columns asked for 2,000 times, are not server errors', async (t) => {
  const { app, resourceId, close } = await appWithTable({ agency: 'stat', dataset: 'population', fileName: 'population.csv', content: 'a;b\n1;2\n' })
  t.after(close)
  for (const url of ['/ru/data/requests/99999999999999999999', '/ru/data/unified-list/entries/99999999999999999999']) {
    const response = await app.inject({ url })
    assert.ok(response.statusCode === 400 || response.statusCode === 404, `${url}: ${response.statusCode}`)
  }
  const many = await app.inject({ url: `/api/3/action/datastore_search?resource_id=${resourceId}&fields=${Array(2000).fill('a').join(',')}` })
  assert.equal(many.statusCode, 200)
  assert.deepEqual(many.json().result.records, [{ a: 1 }])
  const unknown = await app.inject({ url: `/api/3/action/datastore_search?resource_id=${resourceId}&fields=${Array.from({ length: 1500 }, (_, i) => `f${i}`).join(',')}` })
  assert.equal(unknown.statusCode, 409)
})
