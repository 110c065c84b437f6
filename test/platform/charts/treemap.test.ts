import { test } from 'node:test'
import assert from 'node:assert/strict'
import { treemapForScreens } from '../../../src/platform/charts/treemap.ts'
import { chartSvg, legendLayout, LETTER_WIDTH } from '../../../src/platform/charts/draw.ts'

const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!)

test('a treemap names a part only where its name fits: a large part in full or cut with an ellipsis after six letters or more, a sliver not at all', async () => {
  const parts = [
    { name: 'Социальная помощь и социальное обеспечение', value: 5_900, label: '5,9 трлн ₸' },
    { name: 'Трансферты', value: 2_700, label: '2,7 трлн ₸' },
    { name: 'Образование', value: 2_400, label: '2,4 трлн ₸' },
    { name: 'Культура, спорт, туризм', value: 30, label: '30 млрд ₸' },
  ]
  for (const look of [{ fontSize: 16, narrowFontSize: 16 }, { fontSize: 28, narrowFontSize: 24 }]) {
    const { narrow, wide } = await treemapForScreens(parts, { contrast: 'normal', ...look })
    for (const svg of [narrow, wide]) {
      const names = texts(svg).filter((text) => !text.includes('₸'))
      assert.ok(names.length > 0, 'the largest part is named')
      for (const name of names) {
        const whole = parts.find((p) => p.name === name)
        if (!whole) {
          assert.ok(name.endsWith('…'), `"${name}" is cut with an ellipsis`)
          assert.ok(name.length >= 7, `"${name}" keeps six letters or more`)
        }
      }
      assert.ok(!texts(svg).some((text) => text.startsWith('Культура')), 'a sliver has no room for its name')
    }
  }
})

test('a legend whose names do not fit a phone\'s width in the largest type goes one name a row, each line within the width', async () => {
  const names = ['Біркелкі қарқында немесе озық', 'Біркелкі қарқыннан төмен']
  const narrow = legendLayout(names, { width: 290, fontSize: 24 })
  assert.equal(narrow.option.orient, 'vertical')
  const format = narrow.option.formatter as (name: string) => string
  for (const name of names) {
    for (const line of format(name).split('\n')) assert.ok(30 + line.length * 24 * LETTER_WIDTH <= 290, `"${line}" fits`)
  }
  assert.deepEqual(legendLayout(['received', 'answered'], { width: 760, fontSize: 19 }).option, {}, 'short names stay in a row')
  const svg = await chartSvg({ type: 'bar', stacked: true }, { categories: ['A', 'B'], series: [{ id: names[0]!, values: [50, null] }, { id: names[1]!, values: [null, 30] }] }, {
    width: 290, height: 320, contrast: 'normal', fontSize: 24, seriesName: (id) => id, formatCompact: String,
  })
  assert.deepEqual(texts(svg).filter((text) => /қарқ|озық|төмен/.test(text)), ['Біркелкі қарқында', 'немесе озық', 'қарқыннан төмен'], 'the names wrapped at spaces')
})

test('a legend of three names in two or three rows on a phone leaves the plot\'s top number below its last row', async () => {
  for (const fontSize of [16, 19, 24]) {
    const svg = await chartSvg({ type: 'line' }, { categories: ['2024', '2025', '2026'], series: ['Утверждено', 'Уточнено', 'Исполнено'].map((id, i) => ({ id, values: [2.1e13 + i * 1e12, 2.2e13, 2.4e13] })) }, {
      width: 290, height: 320, contrast: 'normal', fontSize, seriesName: (id) => id, formatCompact: (v) => `${Math.round(v / 1e12)} трлн ₸`,
    })
    const placed = [...svg.matchAll(/<text[^>]*?(?:y="([-\d.]+)")?[^>]*?transform="translate\(([-\d.]+) ([-\d.]+)\)"[^>]*>([^<]*)<\/text>/g)].map((m) => ({ y: Number(m[3]) + Number(m[1] ?? 0), text: m[4]! }))
    const legendBottom = Math.max(...placed.filter((p) => /Утв|Уточ|Испол/.test(p.text)).map((p) => p.y))
    const topNumber = Math.min(...placed.filter((p) => p.text.includes('трлн')).map((p) => p.y))
    assert.ok(topNumber - legendBottom >= fontSize * 1.2, `${fontSize} px: the legend's last row at ${legendBottom}, the top number at ${topNumber}`)
  }
})
