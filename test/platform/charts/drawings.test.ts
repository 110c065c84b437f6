import { test } from 'node:test'
import assert from 'node:assert/strict'
import { chartForScreens, chartLookFor } from '../../../src/platform/charts/draw.ts'
import { parseSettings } from '../../../src/platform/html/accessibility.ts'

const NUMBERS = { categories: ['2025', '2026'], series: [{ id: 'received', values: [1_500_000, 2_500_000] }, { id: 'answered', values: [1_000_000, 2_000_000] }] }

test('a chart is kept under what it draws: the same numbers in another language, with other names or another look are drawn anew', async () => {
  const names = { received: 'Поступило', answered: 'Отвечено' }
  const ru = await chartForScreens({ type: 'bar' }, NUMBERS, chartLookFor(parseSettings(undefined), 'ru', (id) => names[id as 'received' | 'answered']))
  assert.match(ru.wide, /Поступило/)
  assert.match(ru.wide, /млн/)
  const again = await chartForScreens({ type: 'bar' }, NUMBERS, chartLookFor(parseSettings(undefined), 'ru', (id) => names[id as 'received' | 'answered']))
  assert.deepEqual(again, ru)

  const en = await chartForScreens({ type: 'bar' }, NUMBERS, chartLookFor(parseSettings(undefined), 'en', (id) => names[id as 'received' | 'answered']))
  assert.doesNotMatch(en.wide, /млн/, 'numbers in the reader\'s language, though the names are the same')
  assert.match(en.wide, />1.5m</)
  const renamed = await chartForScreens({ type: 'bar' }, NUMBERS, chartLookFor(parseSettings(undefined), 'ru', (id) => (id === 'received' ? 'Получено' : 'Отвечено')))
  assert.match(renamed.wide, /Получено/)
  assert.doesNotMatch(renamed.wide, /Поступило/)
  const dark = await chartForScreens({ type: 'bar' }, NUMBERS, chartLookFor(parseSettings('on.larger.dark.show.wide'), 'ru', (id) => names[id as 'received' | 'answered']))
  assert.notEqual(dark.wide, ru.wide)
  const changed = await chartForScreens({ type: 'bar' }, { ...NUMBERS, series: [{ id: 'received', values: [1_500_000, 3_500_000] }, NUMBERS.series[1]!] }, chartLookFor(parseSettings(undefined), 'ru', (id) => names[id as 'received' | 'answered']))
  assert.notEqual(changed.wide, ru.wide, 'new numbers, a new drawing')
})
