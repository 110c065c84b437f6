import assert from 'node:assert/strict'
import { createTestApp } from '../../helpers/app.ts'
import { makeAgency } from '../../helpers/factories.ts'
import { makeUser } from '../../helpers/users.ts'
import { createApiToken } from '../../../src/platform/auth/tokens.ts'
import { SYSTEM_ACTOR } from '../../../src/platform/audit/index.ts'

export const LINES = [
  'direction,code,economic,phase,period,amount,name_kk,name_ru,name_en',
  'expense,04 2 225 001,111,approved,Y,900.00,,,',
  'expense,05 9 226 002,121,approved,Y,1000.00,Дәрі-дәрмек,Лекарственное обеспечение,Medicines',
].join('\n')

/** A republican budget of 2026 whose programme 226 002 the health ministry administers, 225 001 the enlightenment ministry. */
export async function setup(lines = LINES) {
  const testApp = await createTestApp(async (db) => {
    await makeAgency(db, { slug: 'ministry-of-finance' })
    await makeAgency(db, { slug: 'ministry-of-enlightenment' })
    await makeAgency(db, { slug: 'ministry-of-health', name: { kk: 'Денсаулық сақтау министрлігі', ru: 'Министерство здравоохранения', en: 'Ministry of Health' } })
  })
  const { app, db } = testApp
  const tokenOf = async (role?: 'admin' | 'agency-editor', agency?: string) => (await createApiToken(db, SYSTEM_ACTOR, (await makeUser(db, role, agency, { confirmed: true })).id, 'api')).token
  const headers = (token: string) => ({ 'accept-language': 'ru', authorization: `Bearer ${token}` })
  const admin = await tokenOf('admin')
  const keeper = await tokenOf('agency-editor', 'ministry-of-finance')
  assert.equal((await app.inject({ method: 'POST', url: '/api/budgets', payload: { level: 'republican', year: 2026, agency: 'ministry-of-finance' }, headers: headers(admin) })).statusCode, 201)
  const named = await app.inject({
    method: 'PUT', url: '/api/budgets/names?budget=republican-2026', headers: headers(keeper), payload: {
      names: [
        { dimension: 'administrative', code: '225', name: { en: 'Ministry of Enlightenment' }, agency: 'ministry-of-enlightenment' },
        { dimension: 'administrative', code: '226', name: { en: 'Ministry of Health' }, agency: 'ministry-of-health' },
      ],
    },
  })
  assert.equal(named.statusCode, 200, named.body)
  const form = new FormData()
  form.append('file', new Blob([lines], { type: 'text/csv' }), 'lines.csv')
  assert.equal((await app.inject({ method: 'PUT', url: '/api/budgets/republican-2026/lines', payload: form, headers: headers(keeper) })).statusCode, 200)
  return { ...testApp, tokenOf, headers, keeper }
}

