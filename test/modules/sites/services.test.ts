import { test } from 'node:test'
import assert from 'node:assert/strict'
import N3 from 'n3'
import { createTestApp } from '../../helpers/app.ts'
import { makeAgency } from '../../helpers/factories.ts'
import { makeUser, signedInBrowser } from '../../helpers/users.ts'
import { createApiToken } from '../../../src/platform/auth/tokens.ts'
import { SYSTEM_ACTOR } from '../../../src/platform/audit/index.ts'

const SERVICE = {
  code: '00101001', agency: 'ministry-of-justice',
  name: { kk: 'Баланың тууын тіркеу', ru: 'Регистрация рождения ребёнка', en: 'Registration of a child\'s birth' },
  description: { ru: 'В течение трёх месяцев со дня рождения.' },
  recipients: ['individual'], channels: ['egov', 'service_centre'], term: { kk: '1 жұмыс күні', ru: '1 рабочий день' },
  documents: { kk: ['Жеке куәлік'], ru: ['Удостоверение личности', 'Медицинское свидетельство о рождении'] },
  result: { ru: 'Свидетельство о рождении' }, legalBasis: { ru: 'Кодекс «О браке (супружестве) и семье»' }, egovUrl: 'https://egov.kz',
}
const PENSION = {
  code: '00501001', agency: 'ministry-of-labour', name: { kk: 'Зейнетақы төлемдерін тағайындау', ru: 'Назначение пенсионных выплат по возрасту' },
  recipients: ['individual'], channels: ['service_centre', 'body'], feeKzt: '0', term: { ru: '10 рабочих дней' },
}
const REGISTRATION = {
  code: '00301001', agency: 'state-revenue-committee', name: { kk: 'Жеке кәсіпкерді тіркеу', ru: 'Регистрация индивидуального предпринимателя', en: 'Registering as a sole trader' },
  recipients: ['business'], channels: ['egov'], feeKzt: '1150.50', term: { kk: 'Бірден', ru: 'Сразу' },
}

async function setup() {
  const testApp = await createTestApp(async (db) => {
    for (const slug of ['ministry-of-justice', 'ministry-of-labour', 'state-revenue-committee']) await makeAgency(db, { slug })
  })
  const { app, db } = testApp
  const tokenOf = async (role?: 'admin' | 'agency-editor', agency?: string) => (await createApiToken(db, SYSTEM_ACTOR, (await makeUser(db, role, agency, { confirmed: true })).id, 'api')).token
  const call = (method: 'GET' | 'POST' | 'PUT', url: string, token?: string, payload?: object) =>
    app.inject({ method, url, ...(payload ? { payload } : {}), headers: { 'accept-language': 'en', ...(token ? { authorization: `Bearer ${token}` } : {}) } })
  const admin = await tokenOf('admin')
  for (const [code, name] of [['001', 'Семья'], ['003', 'Предпринимательство'], ['005', 'Занятость']] as const) {
    assert.equal((await call('PUT', `/api/services/spheres/${code}`, admin, { name: { kk: `${name} (kk)`, ru: name } })).statusCode, 204)
  }
  for (const [slug, sphere, audience, ru] of [['birth-of-a-child', '001', 'individual', 'Рождение ребёнка'], ['retirement', '005', 'individual', 'Выход на пенсию'], ['starting-a-business', '003', 'business', 'Открытие бизнеса']] as const) {
    const kept = await call('PUT', `/api/life-situations/${slug}`, admin, { sphere, code: '01', audience, title: { kk: `${ru} (kk)`, ru } })
    assert.equal(kept.statusCode, 200, kept.body)
  }
  return { ...testApp, admin, editor: await tokenOf('agency-editor', 'ministry-of-justice'), citizen: await tokenOf(), call }
}

test('the register is kept by administrators: services checked field by field and kept all or none, found by filters and words of any language, taken out with a reason', async (t) => {
  const { call, admin, editor, citizen, close } = await setup()
  t.after(close)
  const keep = (token: string | undefined, services: object[]) => call('PUT', '/api/services', token, { services })
  assert.equal((await keep(undefined, [SERVICE])).statusCode, 401)
  assert.equal((await keep(citizen, [SERVICE])).statusCode, 403, 'a citizen')
  assert.equal((await keep(editor, [SERVICE])).statusCode, 403, 'a body\'s editor keeps its site, not the register')

  const wrong = await keep(admin, [
    SERVICE,
    { ...PENSION, code: '00502001', name: { ru: 'Без казахского названия' }, channels: ['mail'], feeKzt: '-5', egovUrl: 'http://egov.kz' },
    { ...REGISTRATION, agency: 'no-such-body', recipients: [] },
    { ...SERVICE },
  ])
  assert.equal(wrong.statusCode, 400)
  const fields = (wrong.json() as { errors: Array<{ field: string; message: string }> }).errors
  assert.deepEqual(fields.map((f) => f.field), [
    'services[1].code', 'services[1].name.kk', 'services[1].channels', 'services[1].feeKzt', 'services[1].egovUrl',
    'services[2].agency', 'services[2].recipients', 'services[3].code',
  ])
  assert.match(fields[0]!.message, /No life situation has the code 00502/, 'a code\'s first 5 digits name an existing life situation')
  assert.equal((await call('GET', '/api/services')).json().total, 0, 'nothing is kept when one service is wrong')

  const kept = await keep(admin, [SERVICE, PENSION, REGISTRATION])
  assert.equal(kept.statusCode, 200, kept.body)
  assert.deepEqual(kept.json(), { added: 3, replaced: 0 })
  assert.deepEqual((await keep(admin, [{ ...PENSION, term: { ru: '8 рабочих дней' } }])).json(), { added: 0, replaced: 1 })

  const codes = async (query: string) => ((await call('GET', `/api/services?${query}`)).json() as { services: Array<{ code: string }> }).services.map((s) => s.code)
  assert.deepEqual(await codes(''), ['00101001', '00301001', '00501001'], 'by code')
  assert.deepEqual(await codes('sphere=005'), ['00501001'])
  assert.deepEqual(await codes('situation=00101'), ['00101001'])
  assert.deepEqual(await codes('situation=00102'), [])
  assert.deepEqual(await codes('agency=state-revenue-committee'), ['00301001'])
  assert.deepEqual(await codes('agency=no-such-body'), [], 'an unknown body finds nothing, not everything')
  assert.deepEqual(await codes('channel=body'), ['00501001'])
  assert.deepEqual(await codes('recipient=business'), ['00301001'])
  assert.deepEqual(await codes(`q=${encodeURIComponent('пенсион')}`), ['00501001'], 'Russian')
  assert.deepEqual(await codes(`q=${encodeURIComponent('кәсіпкер')}`), ['00301001'], 'Kazakh')
  assert.deepEqual(await codes('q=sole%20trader'), ['00301001'], 'English')
  assert.deepEqual(await codes('q=zeinetaqy'), ['00501001'], 'Kazakh in Latin letters')
  assert.deepEqual(await codes('q=00101001'), ['00101001'], 'the code')
  assert.deepEqual(await codes('q=003'), ['00301001'], 'the start of a code: a sphere')
  assert.equal((await call('GET', '/api/services?channel=mail')).statusCode, 400)

  const one = (await call('GET', '/api/services/00301001')).json()
  assert.equal(one.feeKzt, '1150.50')
  assert.equal(one.situation, '00301')
  assert.equal(one.agency, 'state-revenue-committee')

  assert.equal((await call('POST', '/api/services/00501001/exclude', editor, { reason: { ru: 'Объединена с другой услугой' } })).statusCode, 403)
  assert.equal((await call('POST', '/api/services/00501001/exclude', admin, { reason: { en: 'Merged' } })).statusCode, 400, 'the reason is given in Kazakh or Russian')
  const excluded = await call('POST', '/api/services/00501001/exclude', admin, { on: '2026-12-01', reason: { ru: 'Объединена с другой услугой' } })
  assert.equal(excluded.statusCode, 200, excluded.body)
  assert.deepEqual(excluded.json().excluded, { on: '2026-12-01', reason: { ru: 'Объединена с другой услугой' } })
  assert.equal((await call('POST', '/api/services/00501001/exclude', admin, { reason: { ru: 'Ещё раз' } })).statusCode, 400, 'once')
  assert.deepEqual(await codes('sphere=005'), [], 'the register lists services it provides')
  assert.equal((await call('GET', '/ru/services/00501001')).statusCode, 200, 'its page stays')
  assert.match((await call('GET', '/ru/services/00501001')).body, /Исключена из реестра 1 декабря 2026/)

  // A situation's code is in its services' codes: it cannot move while services have it.
  const moved = await call('PUT', '/api/life-situations/birth-of-a-child', admin, { sphere: '001', code: '02', audience: 'individual', title: { kk: 'Баланың тууы', ru: 'Рождение ребёнка' } })
  assert.equal(moved.statusCode, 400)
  assert.match(moved.body, /Services have the code 00101/)
  const clash = await call('PUT', '/api/life-situations/another', admin, { sphere: '001', code: '01', audience: 'individual', title: { kk: 'Басқа', ru: 'Другая' } })
  assert.equal(clash.statusCode, 400)
  assert.match(clash.body, /belongs to the life situation “birth-of-a-child”/)
})

test('the register\'s CSV: exported with every field, imported back unchanged by an administrator\'s form; a wrong row refuses the file naming its line and column', async (t) => {
  const { app, db, call, admin, close } = await setup()
  t.after(close)
  assert.equal((await call('PUT', '/api/services', admin, { services: [SERVICE, PENSION, REGISTRATION] })).statusCode, 200)
  const csv = await call('GET', '/ru/services.csv?recipient=individual')
  assert.equal(csv.headers['content-type'], 'text/csv; charset=utf-8')
  assert.match(csv.body, /^\ufeffcode,agency,name_kk,name_ru,name_en,/)
  assert.match(csv.body, /"Удостоверение личности\nМедицинское свидетельство о рождении"/, 'documents one per line within their cell')
  assert.doesNotMatch(csv.body, /00301001/, 'the filter holds')
  const before = (await call('GET', '/api/services')).json().services

  const keeper = await signedInBrowser(app, db, 'admin')
  const page = '/ru/services/import'
  assert.equal((await (await signedInBrowser(app, db, 'agency-editor', 'ministry-of-justice')).get(page)).statusCode, 403)
  assert.equal((await keeper.get(page)).statusCode, 200)
  const file = (content: string) => ({ field: 'file', name: 'register.csv', content, type: 'text/csv' })
  const again = await keeper.postFile(page, {}, file(csv.body))
  assert.equal(again.statusCode, 200, again.body.slice(0, 3000))
  assert.match(again.body, /Реестр загружен/)
  assert.match(again.body, /заменено 2 услуги/)
  assert.deepEqual((await call('GET', '/api/services')).json().services.map((s: { updatedAt: string }) => ({ ...s, updatedAt: '' })), before.map((s: { updatedAt: string }) => ({ ...s, updatedAt: '' })), 'the export read back is the register as it was')

  const lines = csv.body.split('\n')
  const header = lines[0]!
  const broken = [header, '00101009,ministry-of-justice,,Без казахского,,,,,individual,egov,abc', '00109001,ministry-of-justice,Атауы,Название,,,,,individual,egov,'].join('\n')
  const refused = await keeper.postFile(page, {}, file(broken))
  assert.equal(refused.statusCode, 400)
  assert.match(refused.body, /Строка 2, столбец name_kk: Укажите название на казахском и русском языках/)
  assert.match(refused.body, /Строка 2, столбец fee_kzt: Стоимость — сумма в тенге/)
  assert.match(refused.body, /Строка 3, столбец code: Нет жизненной ситуации с кодом 00109/)
  const unknown = await keeper.postFile(page, {}, file('code,agency,name_kz,name_ru,recipients,channels\n00101001,ministry-of-justice,x,y,individual,egov'))
  assert.equal(unknown.statusCode, 400)
  assert.match(unknown.body, /Столбец «name_kz» реестр не читает/)
  assert.match(unknown.body, /В файле нет столбца «name_kk»/)
  assert.equal((await call('GET', '/api/services')).json().total, 3, 'a refused file keeps nothing')

  // The API takes the same file, as multipart, with a token.
  const form = new FormData()
  form.append('file', new Blob([broken], { type: 'text/csv' }), 'register.csv')
  const api = await app.inject({ method: 'POST', url: '/api/services/import', payload: form, headers: { 'accept-language': 'en', authorization: `Bearer ${admin}` } })
  assert.equal(api.statusCode, 400)
  assert.deepEqual((api.json() as { errors: Array<{ field: string }> }).errors.map((e) => e.field), ['name_kk', 'term_ru', 'fee_kzt', 'code', 'term_ru'], 'each problem under its column, in the order of the rows')
})

test('a service\'s page, a life situation\'s guide and the body\'s page link each other; the page describes the service as schema.org GovernmentService and the register reads as CPSV-AP', async (t) => {
  const { call, admin, close } = await setup()
  t.after(close)
  assert.equal((await call('PUT', '/api/services', admin, { services: [SERVICE, PENSION, REGISTRATION] })).statusCode, 200)
  const guide = await call('PUT', '/api/life-situations/birth-of-a-child', admin, {
    sphere: '001', code: '01', audience: 'individual', title: { kk: 'Баланың тууы', ru: 'Рождение ребёнка', en: 'A child is born' },
    steps: [
      { title: { kk: 'Тууын тіркеңіз', ru: 'Зарегистрируйте рождение' }, services: ['00101001'], documents: { ru: ['Медицинское свидетельство'] } },
      { title: { ru: 'Оформите пенсию родителю' }, services: ['00501001'], agencies: ['state-revenue-committee'] },
    ],
  })
  assert.equal(guide.statusCode, 200, guide.body)
  assert.deepEqual(guide.json().steps.map((s: { services: string[]; agencies: string[] }) => [s.services, s.agencies]), [[['00101001'], []], [['00501001'], ['state-revenue-committee']]])
  const unknownService = await call('PUT', '/api/life-situations/birth-of-a-child', admin, { sphere: '001', code: '01', audience: 'individual', title: { kk: 'Баланың тууы', ru: 'Рождение ребёнка' }, steps: [{ title: { ru: 'Шаг' }, services: ['00101999'] }] })
  assert.equal(unknownService.statusCode, 400)
  assert.match(unknownService.body, /steps\[0\]\.services/)

  const page = await call('GET', '/ru/services/00101001')
  assert.equal(page.statusCode, 200)
  const ld = JSON.parse(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(page.body)![1]!)
  assert.equal(ld['@type'], 'GovernmentService')
  assert.equal(ld.identifier, '00101001')
  assert.equal(ld.provider['@type'], 'GovernmentOrganization')
  assert.match(ld.provider['@id'], /\/ru\/agencies\/ministry-of-justice$/)
  assert.deepEqual(ld.offers, { '@type': 'Offer', price: '0', priceCurrency: 'KZT' })
  assert.match(page.body, /<a class="govuk-breadcrumbs__link" href="\/ru\/life-situations\/birth-of-a-child">Рождение ребёнка<\/a>/, 'breadcrumbs lead to its life situation')
  assert.match(page.body, /Бесплатно/)
  assert.match(page.body, /<li>Медицинское свидетельство о рождении<\/li>/)
  const kk = await call('GET', '/kk/services/00101001')
  assert.match(kk.body, /<p class="govuk-body-l"><span lang="ru">В течение трёх месяцев/, 'a text missing in Kazakh is shown in Russian, marked')
  assert.match((await call('GET', '/en/services/00301001')).body, /1,150\.5 tenge/)

  const situation = await call('GET', '/ru/life-situations/birth-of-a-child')
  assert.match(situation.body, /Шаг 1<\/span> <span>Зарегистрируйте рождение/)
  assert.match(situation.body, /href="\/ru\/services\/00501001"/, 'a step links a service of another situation')
  assert.match(situation.body, /href="\/ru\/agencies\/state-revenue-committee"/)
  assert.match(situation.body, /href="\/ru\/agencies\/ministry-of-labour"/, 'and the body that provides it')
  assert.match((await call('GET', '/ru/life-situations')).body, /1 услуга реестра/)
  assert.match((await call('GET', '/ru/agencies/ministry-of-labour')).body, /href="\/ru\/services\?agency=ministry-of-labour">Государственные услуги/, 'the body\'s page links the services it provides')
  assert.doesNotMatch((await call('GET', '/ru/agencies/ministry-of-justice')).body, /services\?agency=ministry-of-labour/)

  const turtle = await call('GET', '/services/cpsv.ttl')
  assert.equal(turtle.headers['content-type'], 'text/turtle; charset=utf-8')
  const store = new N3.Store(new N3.Parser().parse(turtle.body))
  const iri = (text: string) => N3.DataFactory.namedNode(text)
  const CV = 'http://data.europa.eu/m8g/'
  const RDF_TYPE = iri('http://www.w3.org/1999/02/22-rdf-syntax-ns#type')
  const services = store.getSubjects(RDF_TYPE, iri('http://purl.org/vocab/cpsv#PublicService'), null).map((s) => s.value.replace(/^.*\//, ''))
  assert.deepEqual(services.sort(), ['00101001', '00301001', '00501001'])
  const birth = store.getSubjects(null, null, null).find((s) => s.value.endsWith('/services/00101001'))!
  assert.match(store.getObjects(birth, iri(`${CV}isGroupedBy`), null)[0]!.value, /\/life-situations\/birth-of-a-child$/)
  assert.match(store.getObjects(birth, iri(`${CV}hasCompetentAuthority`), null)[0]!.value, /\/agencies\/ministry-of-justice$/)
  assert.equal(store.getObjects(birth, iri('http://purl.org/vocab/cpsv#hasInput'), null).length, 2, 'each document as evidence')
  const event = store.getSubjects(RDF_TYPE, iri(`${CV}LifeEvent`), null).find((s) => s.value.endsWith('/birth-of-a-child'))!
  assert.deepEqual(store.getObjects(event, iri('http://purl.org/dc/terms/relation'), null).map((o) => o.value.replace(/^.*\//, '')).sort(), ['00101001', '00501001'])
  assert.equal(store.getSubjects(RDF_TYPE, iri(`${CV}BusinessEvent`), null).length, 1)
})
