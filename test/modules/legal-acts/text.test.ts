import { test } from 'node:test'
import assert from 'node:assert/strict'
import { splitText, structureText, TextProblem } from '../../../src/modules/legal-acts/versions/text.ts'
import { diffVersions } from '../../../src/modules/legal-acts/versions/diff.ts'

test('a pasted text is split into chapters, articles and numbered paragraphs, with subparagraphs kept in theirs', () => {
  const units = splitText(`Правила выдачи справок

Глава 1. Общие положения
1. Правила определяют порядок.
2. Справка выдаётся:
1) в день обращения;
2) бесплатно.
2-1. Новый пункт.
Статья 5. Ответственность
Текст статьи.`)
  assert.deepEqual(units.map((u) => [u.eId, u.kind, u.num]), [
    ['intro_1', 'paragraph', ''], ['chp_1', 'section', '1'], ['para_1', 'paragraph', '1'], ['para_2', 'paragraph', '2'],
    ['para_2-1', 'paragraph', '2-1'], ['art_5', 'paragraph', '5'],
  ])
  assert.equal(units[3]!.text, '2. Справка выдаётся:\n1) в день обращения;\n2) бесплатно.')
  assert.equal(units[5]!.text, 'Статья 5. Ответственность\nТекст статьи.')
})

test('Kazakh headings and articles ("1-тарау", "5-бап") are recognised, and the two languages are paired by eId', () => {
  const units = structureText({
    kk: '1-тарау. Жалпы ережелер\n1. Қағидалар тәртібін айқындайды.\n5-бап. Жауапкершілік',
    ru: 'Глава 1. Общие положения\n1. Правила определяют порядок.\nСтатья 5. Ответственность',
  })
  assert.deepEqual(units.map((u) => u.eId), ['chp_1', 'para_1', 'art_5'])
  assert.deepEqual(units[1]!.text, { kk: '1. Қағидалар тәртібін айқындайды.', ru: '1. Правила определяют порядок.' })
})

test('texts whose paragraphs differ, or a number written twice, are refused with the place', () => {
  assert.throws(() => structureText({ kk: '1. Бір.\n2. Екі.', ru: '1. Один.\n3. Три.' }), (error: unknown) =>
    error instanceof TextProblem && error.messageKey === 'legalActs.text.structureDiffers' && error.values.unit === 'para_3')
  assert.throws(() => splitText('1. Один.\n1. Снова один.'), (error: unknown) =>
    error instanceof TextProblem && error.messageKey === 'legalActs.text.numberTwice' && error.values.line === 2)
})

test('the difference between versions is word by word, with added and removed units where they stood', () => {
  const v1 = structureText({ kk: '1. Бір.\n2. Парақ 3 күнде жабылады.\n3. Үш.', ru: '1. Один.\n2. Лист закрывается за 3 дня.\n3. Три.' })
  const v2 = structureText({ kk: '1. Бір.\n2. Парақ 5 күнде жабылады.\n4. Төрт.', ru: '1. Один.\n2. Лист закрывается за 5 рабочих дней.\n4. Четыре.' })
  const changes = diffVersions(v1, v2, 'ru')
  assert.deepEqual(changes.map((c) => [c.eId, c.change]), [['para_1', 'same'], ['para_2', 'changed'], ['para_3', 'removed'], ['para_4', 'added']])
  const changed = changes[1]!.parts
  assert.deepEqual(changed.filter((p) => p.change === 'removed').map((p) => p.text.trim()), ['3 дня'])
  assert.deepEqual(changed.filter((p) => p.change === 'added').map((p) => p.text.trim()), ['5 рабочих дней'])
})
