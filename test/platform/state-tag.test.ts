import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { createViewEnvironment } from '../../src/platform/html/render.ts'
import { loadModules } from '../../src/platform/modules.ts'
import { translate } from '../../src/platform/notifications/messages.ts'
import { TAG_COLOURS } from '../../src/platform/states/tags.ts'

const COMPONENT = 'src/platform/states/views/tag.njk'

test('the state tag renders each example its documentation gives, in the colour the item\'s state model names', async () => {
  const tags = Object.assign({}, ...(await loadModules()).map((m) => m.tags ?? {})) as Record<string, Record<string, string>>
  const env = createViewEnvironment()
  env.addGlobal('tagColours', tags)
  const examples = readFileSync(COMPONENT, 'utf8').split('Examples')[1]!.split('#}')[0]!.match(/stateTag\(.+\)/g)!
  assert.ok(examples.length >= 3, 'the documentation gives examples')
  for (const example of examples) {
    const html = env.renderString(`{% import "states/views/tag.njk" as tags %}{{ tags.${example} }}`, { t: (key: string) => translate('ru', key) })
    const kind = /kind: "([^"]+)"/.exec(example)![1]!
    const state = /state: "([^"]+)"/.exec(example)![1]!
    const key = /t\("([^"]+)"\)/.exec(example)![1]!
    assert.equal(html.match(/govuk-tag--([a-z-]+)/)?.[1], tags[kind]![state], example)
    assert.match(html, new RegExp(`>${translate('ru', key)}</strong>$`), example)
    const classes = /classes: "([^"]+)"/.exec(example)?.[1]
    if (classes) assert.ok(html.includes(classes), example)
  }
})

test('every kind of item the modules declare gives each of its states one of GOV.UK\'s tag colours', async () => {
  const modules = await loadModules()
  const kinds = modules.flatMap((m) => Object.entries(m.tags ?? {}))
  assert.ok(kinds.length >= 6)
  assert.equal(new Set(kinds.map(([kind]) => kind)).size, kinds.length, 'a kind is declared by one module')
  for (const [kind, colours] of kinds) {
    for (const [state, colour] of Object.entries(colours)) assert.ok((TAG_COLOURS as readonly string[]).includes(colour), `${kind}.${state}: ${colour}`)
  }
})
