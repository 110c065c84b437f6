import { test } from 'node:test'
import assert from 'node:assert/strict'
import JSZip from 'jszip'
import { setup } from './fixture.ts'

/** A Fiscal Data Package 0.3 of the republican budget's expenses: plan in thousands, execution by month. */
function descriptor(change: (d: Record<string, any>) => void = () => {}) {
  const d: Record<string, any> = {
    name: 'kz-republican-2026', title: 'Republican budget 2026', profiles: { fiscal: '*', tabular: '*' }, countryCode: 'kz',
    resources: [{
      name: 'budget', path: 'data/budget.csv',
      schema: { fields: [{ name: 'date' }, { name: 'programme' }, { name: 'title_ru' }, { name: 'atauy' }, { name: 'econ_category' }, { name: 'econ' },
        { name: 'approved', type: 'number', decimalChar: ',', groupChar: ' ' }, { name: 'executed', type: 'number' }] },
    }],
    model: {
      measures: {
        approved: { source: 'approved', currency: 'KZT', factor: 1000, direction: 'expenditure', phase: 'approved' },
        executed: { source: 'executed', currency: 'KZT', direction: 'expenditure', phase: 'executed' },
      },
      dimensions: {
        programme: {
          dimensionType: 'classification', classificationType: 'functional', primaryKey: 'code',
          attributes: { code: { source: 'programme' }, name_ru: { source: 'title_ru', labelfor: 'code' }, atauy: { source: 'atauy', labelfor: 'code', language: 'kk' } },
        },
        economic: {
          dimensionType: 'classification', classificationType: 'economic', primaryKey: ['category', 'specific'],
          attributes: { category: { source: 'econ_category' }, specific: { source: 'econ', parent: 'category' } },
        },
        date: { dimensionType: 'datetime', primaryKey: 'when', attributes: { when: { source: 'date' } } },
      },
    },
  }
  change(d)
  return d
}

const CSV = [
  'date,programme,title_ru,atauy,econ_category,econ,approved,executed',
  '2026,04.2.225.001,Общее образование,Жалпы білім беру,1,111,"1 200,5",',
  '2026,05.9.226.002,,,1,121,"3 000",',
  '2026-01-31,04.2.225.001,,,1,111,,100000.25',
  '2026-02,04.2.225.001,,,1,111,,200000',
  '2026-01,05.9.226.002,,,1,121,,0.75',
].join('\n')

/** A refusal's problems: each field and what is said of it. */
const problems = (response: { json(): unknown }) =>
  (response.json() as { errors: Array<{ field: string; message: string }> }).errors.map((e) => [e.field, e.message.slice(e.field.length + 2)])

async function zipOf(files: Record<string, string>): Promise<Uint8Array> {
  const zip = new JSZip()
  for (const [name, content] of Object.entries(files)) zip.file(name, content)
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' })
}

test('a Fiscal Data Package imports as lines: its measures in thousands multiplied exactly, codes by points, economic specifics by parent, dates as periods, labels as names', async (t) => {
  const { app, headers, keeper, close } = await setup()
  t.after(close)
  const upload = async (body: Uint8Array | string, name = 'budget.zip') => {
    const form = new FormData()
    form.append('file', new Blob([body as BlobPart]), name)
    return app.inject({ method: 'PUT', url: '/api/budgets/republican-2026/lines', payload: form, headers: { ...headers(keeper), 'accept-language': 'en' } })
  }
  const imported = await upload(await zipOf({ 'datapackage.json': JSON.stringify(descriptor()), 'data/budget.csv': CSV }))
  assert.equal(imported.statusCode, 200, imported.body)
  assert.deepEqual(imported.json().replaced, [{ phase: 'approved', period: 'Y' }, { phase: 'executed', period: 'M01' }, { phase: 'executed', period: 'M02' }])
  assert.equal(imported.json().rows, 5, 'a line for each measure with an amount; empty cells give none')

  const node = async (code: string) => (await app.inject({ method: 'GET', url: `/api/budgets/republican-2026?dimension=functional&code=${encodeURIComponent(code)}` })).json()
  const programme = await node('04 2 225 001')
  assert.equal(programme.node.approved, '1200500.00', '1 200,5 thousand, by the field\'s marks and the factor')
  assert.equal(programme.node.executed, '300000.25')
  assert.deepEqual(programme.node.name, { kk: 'Жалпы білім беру', ru: 'Общее образование' })
  const whole = await node('')
  assert.equal(whole.node.approved, '4200500.00')
  assert.equal(whole.node.executed, '300001.00')
  const economic = (await app.inject({ method: 'GET', url: '/api/budgets/republican-2026?dimension=economic&code=1' })).json()
  assert.deepEqual(economic.parts.map((p: { code: string; approved: string }) => [p.code, p.approved]).sort(), [['111', '1200500.00'], ['121', '3000000.00']])

  // What the portal cannot keep is refused with where it is in the descriptor; nothing changes.
  const refused = await upload(await zipOf({
    'datapackage.json': JSON.stringify(descriptor((d) => {
      d.model.measures.approved.currency = 'USD'
      d.model.measures.executed.phase = 'proposed'
      d.model.measures.approved.factor = '1000'
    })),
    'data/budget.csv': CSV,
  }))
  assert.equal(refused.statusCode, 400, refused.body)
  assert.deepEqual(problems(refused), [
    ['model.measures.approved.currency', 'The measure "approved": the currency must be KZT, not "USD"'],
    ['model.measures.approved.factor', 'The measure "approved": factor must be a positive number, such as 1000'],
    ['model.measures.executed.phase', 'The measure "executed": the phase "proposed" is not kept here; it must be approved, adjusted or executed'],
  ])

  // Wrong rows are named by their line and the package's own column.
  const wrongRows = await upload(await zipOf({
    'datapackage.json': JSON.stringify(descriptor()),
    'data/budget.csv': [CSV.split('\n')[0], '2026,04.2.225,,,1,111,5,', '2025-03,04.2.225.001,,,1,111,,5', '2026-13,04.2.225.001,,,1,111,,5', '2026,04.2.225.001,,,1,1111,5,', '2026,04.2.225.001,,,1,111,"0,000001",'].join('\n'),
  }))
  assert.equal(wrongRows.statusCode, 400, wrongRows.body)
  assert.deepEqual(problems(wrongRows), [
    ['programme', 'Row 2: an expense\'s code is its functional group, subgroup, administrator, programme and subprogramme, such as 04 2 225 001 015'],
    ['date', 'Row 3: 2025-03 is not in 2026, the budget\'s year'],
    ['date', 'Row 4: the period must be Y, Q1 to Q4, M01 to M12, or a date of 2026: 2026, 2026-Q1, 2026-03 or 2026-03-31'],
    ['econ', 'Row 5: the economic specific is three digits, such as 111'],
    ['approved', 'Row 6: the amount must be a number of tenge with at most two decimals, such as 1250000.50'],
  ])
  assert.equal((await node('04 2 225 001')).node.approved, '1200500.00', 'refused packages changed nothing')

  const missing = await upload(await zipOf({ 'datapackage.json': JSON.stringify(descriptor()), 'data/budget.csv': CSV.replace('econ_category', 'category') }))
  assert.equal(missing.statusCode, 400)
  assert.deepEqual(problems(missing), [['resources.budget', 'The resource "budget"\'s file has no column "econ_category"']])
  const noDescriptor = await upload(await zipOf({ 'data/budget.csv': CSV }))
  assert.deepEqual(problems(noDescriptor), [['file', 'The archive has no datapackage.json at its root']])
  const noFunctional = await upload(await zipOf({ 'datapackage.json': JSON.stringify(descriptor((d) => { d.model.dimensions.programme.classificationType = 'administrative' })), 'data/budget.csv': CSV }))
  assert.equal(noFunctional.statusCode, 400)
  assert.match(noFunctional.body, /needs a dimension whose classificationType is \\"functional\\"/)
  const noLanguage = await upload(await zipOf({ 'datapackage.json': JSON.stringify(descriptor((d) => { delete d.model.dimensions.programme.attributes.atauy.language })), 'data/budget.csv': CSV }))
  assert.match(noLanguage.body, /the name's language is not told/)
  const notZip = await upload('date,programme\n', 'budget.zip')
  assert.equal(notZip.statusCode, 400)
  assert.match(notZip.body, /cannot be read as a ZIP archive/)
})

test('a revenue measure reads the revenue classification; a budget\'s CSV may date its periods', async (t) => {
  const { app, headers, keeper, close } = await setup()
  t.after(close)
  const form = new FormData()
  form.append('file', new Blob([await zipOf({
    'datapackage.json': JSON.stringify({
      name: 'revenue', resources: [{ name: 'revenue', path: './revenue.csv' }],
      model: {
        measures: { executed: { source: 'amount', currency: 'KZT', direction: 'revenue', phase: 'executed' } },
        dimensions: {
          revenue: { dimensionType: 'classification', classificationType: 'revenue', primaryKey: 'code', attributes: { code: { source: 'code' } } },
          quarter: { dimensionType: 'datetime', primaryKey: 'q', attributes: { q: { source: 'quarter' } } },
        },
      },
    }),
    'revenue.csv': 'code;quarter;amount\n1.01.1.01;2026-Q1;500\n1.01.1.01;2026-Q2;700,5\n',
  }) as BlobPart]), 'revenue.zip')
  const imported = await app.inject({ method: 'PUT', url: '/api/budgets/republican-2026/lines', payload: form, headers: headers(keeper) })
  assert.equal(imported.statusCode, 200, imported.body)
  assert.deepEqual(imported.json().replaced, [{ phase: 'executed', period: 'Q1' }, { phase: 'executed', period: 'Q2' }])
  const revenue = (await app.inject({ method: 'GET', url: '/api/budgets/republican-2026?dimension=revenue&code=' })).json()
  assert.equal(revenue.node.executed, '1200.50')

  const csv = new FormData()
  csv.append('file', new Blob(['direction,code,economic,phase,period,amount\nexpense,04 2 225 001,111,executed,2026-Q3,10\n']), 'lines.csv')
  const dated = await app.inject({ method: 'PUT', url: '/api/budgets/republican-2026/lines', payload: csv, headers: headers(keeper) })
  assert.equal(dated.statusCode, 200, dated.body)
  assert.deepEqual(dated.json().replaced, [{ phase: 'executed', period: 'Q3' }])
})
