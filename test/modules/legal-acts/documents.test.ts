import { test } from 'node:test'
import assert from 'node:assert/strict'
import { legalActsSite } from './setup.ts'
import type { Browser } from '../../helpers/forms.ts'
import { signedInBrowser } from '../../helpers/users.ts'
import { addDays } from '../../../src/platform/calendar/days.ts'
import { today } from '../../../src/modules/legal-acts/drafts/service.ts'
import { DOCX_LIMITS, docxToText } from '../../../src/modules/legal-acts/versions/docx.ts'
import type { ValidationError } from '../../../src/platform/http/errors.ts'
import { docx } from '../../helpers/zip.ts'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'

const TEXT = {
  'text.kk': '1-тарау. Жалпы ережелер\n1. Парақ электрондық түрде беріледі.\n2. Парақ 3 жұмыс күні ішінде жабылады.',
  'text.ru': 'Глава 1. Общие положения\n1. Лист выдаётся в электронном виде.\n2. Лист закрывается в течение 3 рабочих дней.',
}
// The smallest file a PDF reader opens; its type is read from "%PDF-".
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n')

const setup = legalActsSite

async function newDraft(editor: Browser) {
  const response = await editor.post('/ru/legal-acts/drafts/new', {
    agency: 'ministry-of-health', kind: 'order', topic: 'health', 'title.kk': 'Парақ беру қағидаларының жобасы', 'title.ru': 'Проект правил выдачи листа', ...TEXT,
  }, { from: '/ru/legal-acts/drafts/new' })
  assert.equal(response.statusCode, 303, response.body.slice(0, 2000))
  return Number(/drafts\/(\d+)$/.exec(String(response.headers.location))![1])
}

test('an editor attaches documents whose type is read from their contents; the public downloads them once the draft is published', async (t) => {
  const { app, db, files, editor, close } = await setup()
  t.after(close)
  const id = await newDraft(editor)
  const page = `/ru/legal-acts/drafts/${id}/attachments`

  // A program renamed to .pdf, and text named .docx, are refused on the file field; nothing is kept.
  const exe = await editor.postFile(page, { kind: 'explanatory-note' }, { field: 'file', name: 'note.pdf', content: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200)]) })
  assert.equal(exe.statusCode, 400)
  assert.match(exe.body, /Файл — EXE: принимаются только файлы PDF, DOCX/)
  const text = await editor.postFile(page, { kind: 'explanatory-note' }, { field: 'file', name: 'note.docx', content: 'just text' })
  assert.equal(text.statusCode, 400)
  assert.match(text.body, /не похоже ни на один известный формат документа/)
  const noKind = await editor.postFile(page, {}, { field: 'file', name: 'note.pdf', content: PDF })
  assert.equal(noKind.statusCode, 400)
  assert.match(noKind.body, /Выберите вид документа/)
  assert.equal((await db.query('select * from legal_act_attachments')).length, 0)
  const { readdir } = await import('node:fs/promises')
  const stored = async () => (await readdir(files.dir, { recursive: true }).catch(() => [])).filter((f) => String(f).includes('-')).length
  assert.equal(await stored(), 0, 'refused uploads leave no file behind')

  // A PDF named .txt is a PDF: saved under a PDF's name.
  const ok = await editor.postFile(page, { kind: 'explanatory-note', 'title.ru': 'Пояснительная записка к проекту' }, { field: 'file', name: 'записка.txt', content: PDF })
  assert.equal(ok.statusCode, 303, ok.body.slice(0, 1000))
  const [attachment] = await db.query<{ id: number; file_name: string; media_type: string }>('select id, file_name, media_type from legal_act_attachments')
  assert.equal(attachment!.file_name, 'записка.pdf')
  assert.equal(attachment!.media_type, 'application/pdf')
  const download = `/legal-acts/drafts/${id}/attachments/${attachment!.id}/download`
  assert.equal((await app.inject({ url: download })).statusCode, 404, 'in preparation, only its developer downloads it')
  const own = await editor.get(download)
  assert.equal(own.statusCode, 200)
  assert.equal(own.rawPayload.compare(PDF), 0)
  assert.match(String(own.headers['content-disposition']), /filename\*=UTF-8''%D0%B7%D0%B0%D0%BF%D0%B8%D1%81%D0%BA%D0%B0\.pdf/)
  assert.equal(own.headers['x-content-type-options'], 'nosniff')

  // Another body's editor cannot attach to it.
  const other = await signedInBrowser(app, db, 'agency-editor', 'ministry-of-finance')
  assert.equal((await other.get(page)).statusCode, 403)

  // While in preparation a document can be removed; once public, documents stay.
  await editor.postFile(page, { kind: 'other' }, { field: 'file', name: 'draft.pdf', content: PDF })
  const [second] = await db.query<{ id: number }>('select id from legal_act_attachments order by id desc limit 1')
  assert.equal((await editor.post(`${page}/${second!.id}/remove`, {}, { from: page })).statusCode, 303)
  assert.equal((await db.query('select * from legal_act_attachments')).length, 1)
  assert.equal(await stored(), 1)

  assert.equal((await editor.post(`/ru/legal-acts/drafts/${id}/publish`, { end: addDays(today(), 12) }, { from: `/ru/legal-acts/drafts/${id}/publish` })).statusCode, 303)
  const publicPage = await app.inject({ url: `/ru/legal-acts/drafts/${id}` })
  assert.match(publicPage.body, /<h2 class="govuk-heading-m">Документы<\/h2>[\s\S]*Пояснительная записка к проекту[\s\S]*PDF, /)
  const publicDownload = await app.inject({ url: download })
  assert.equal(publicDownload.statusCode, 200)
  assert.equal(publicDownload.headers['content-type'], 'application/pdf')
  const removal = await editor.post(`${page}/${attachment!.id}/remove`, {}, { from: page })
  assert.equal(removal.statusCode, 400)
  assert.match(removal.body, /Проект опубликован: его документы остаются при нём/)
  assert.equal((await db.query('select * from legal_act_attachments')).length, 1)
})

/** A Word file as an official writes an order: chapters as headings, paragraphs in Word's own numbered list. */
async function wordFile(chapters: Array<{ heading: string; paragraphs: Array<string | string[]> }>): Promise<Buffer> {
  const { Document, HeadingLevel, LevelFormat, Packer, Paragraph } = await import('docx')
  const children = chapters.flatMap((chapter) => [
    new Paragraph({ text: chapter.heading, heading: HeadingLevel.HEADING_2 }),
    ...chapter.paragraphs.flatMap((p) => typeof p === 'string'
      ? [new Paragraph({ text: p, numbering: { reference: 'act', level: 0 } })]
      : [new Paragraph({ text: p[0]!, numbering: { reference: 'act', level: 0 } }), ...p.slice(1).map((sub) => new Paragraph({ text: sub, numbering: { reference: 'act', level: 1 } }))]),
  ])
  const document = new Document({
    numbering: { config: [{ reference: 'act', levels: [{ level: 0, format: LevelFormat.DECIMAL, text: '%1.' }, { level: 1, format: LevelFormat.DECIMAL, text: '%2)' }] }] },
    sections: [{ children }],
  })
  return Packer.toBuffer(document)
}

test('a draft\'s texts come from Word files: numbered lists become its numbered paragraphs, through every chapter', async (t) => {
  const { db, files, editor, close } = await setup()
  t.after(close)
  const kk = await wordFile([
    { heading: '1-тарау. Жалпы ережелер', paragraphs: ['Парақ электрондық түрде беріледі.', ['Парақ мыналарды қамтиды:', 'науқастың аты-жөні;', 'мерзімі.']] },
    { heading: '2-тарау. Қорытынды ережелер', paragraphs: ['Бұйрық қолданысқа енгізіледі.'] },
  ])
  const ru = await wordFile([
    { heading: 'Глава 1. Общие положения', paragraphs: ['Лист выдаётся в электронном виде.', ['Лист содержит:', 'имя пациента;', 'срок.']] },
    { heading: 'Глава 2. Заключительные положения', paragraphs: ['Приказ вводится в действие.'] },
  ])
  const fields = { agency: 'ministry-of-health', kind: 'order', topic: 'health', 'title.kk': 'Парақ беру қағидаларының жобасы', 'title.ru': 'Проект правил выдачи листа' }
  const from = '/ru/legal-acts/drafts/new'
  const docxType = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'

  // A PDF in the Word field, and a broken Word file, are named on their field; nothing is created.
  const pdf = await editor.postFile(from, fields, [{ field: 'docx.kk', name: 'kk.docx', content: PDF }, { field: 'docx.ru', name: 'ru.docx', content: ru, type: docxType }])
  assert.equal(pdf.statusCode, 400)
  assert.match(pdf.body, /href="#docx.kk">Файл — PDF: принимаются только файлы DOCX/)
  const broken = await editor.postFile(from, fields, [{ field: 'docx.kk', name: 'kk.docx', content: kk.subarray(0, kk.length - 200) }, { field: 'docx.ru', name: 'ru.docx', content: ru, type: docxType }])
  assert.equal(broken.statusCode, 400)
  assert.match(broken.body, /Файл не читается как документ Word|не похоже ни на один известный формат/)
  assert.equal((await db.query('select * from legal_act_drafts')).length, 0)

  const created = await editor.postFile(from, fields, [{ field: 'docx.kk', name: 'kk.docx', content: kk, type: docxType }, { field: 'docx.ru', name: 'ru.docx', content: ru, type: docxType }])
  assert.equal(created.statusCode, 303, created.body.slice(0, 3000))
  const id = Number(/drafts\/(\d+)$/.exec(String(created.headers.location))![1])
  // The API shows a draft once it is published; its developer reads it from the record.
  const [version] = await db.query<{ body: Array<{ eId: string; text: { ru: string; kk: string } }> }>('select body from legal_act_versions where draft_id = $1', [id])
  const units = version!.body
  assert.deepEqual(units.map((u) => u.eId), ['chp_1', 'para_1', 'para_2', 'chp_2', 'para_3'])
  assert.equal(units[2]!.text.ru, '2. Лист содержит:\n1) имя пациента;\n2) срок.')
  assert.equal(units[4]!.text.kk, '3. Бұйрық қолданысқа енгізіледі.')
  const { readdir } = await import('node:fs/promises')
  const kept = (await readdir(files.dir, { recursive: true }).catch(() => [])).filter((f) => String(f).includes('-'))
  assert.deepEqual(kept, [], 'a Word file is read, never kept')
})

test('a version\'s text is exported as Akoma Ntoso with an eId per unit, in each language it is written in', async (t) => {
  const { app, editor, close } = await setup()
  t.after(close)
  const response = await editor.post('/ru/legal-acts/drafts/new', {
    agency: 'ministry-of-health', kind: 'order', topic: 'health', 'title.kk': 'Жоба', 'title.ru': 'Проект правил <выдачи> & учёта',
    'text.kk': 'Бұйырамын:\n1-тарау. Жалпы ережелер\n1. Парақ беріледі.\n2. Парақ жабылады:\n1) уақытында;\n2) толық.',
    'text.ru': 'Приказываю:\n Глава 1. Общие положения\n1. Лист выдаётся.\n2. Лист закрывается:\n1) вовремя;\n2) полностью < 3 дней.',
  }, { from: '/ru/legal-acts/drafts/new' })
  const id = Number(/drafts\/(\d+)$/.exec(String(response.headers.location))![1])
  const url = `/api/legal-acts/drafts/${id}/versions/1/akn?lang=ru`
  assert.equal((await app.inject({ url })).statusCode, 404, 'a draft in preparation is not exported')
  assert.equal((await editor.post(`/ru/legal-acts/drafts/${id}/publish`, { end: addDays(today(), 12) }, { from: `/ru/legal-acts/drafts/${id}/publish` })).statusCode, 303)

  const akn = await app.inject({ url })
  assert.equal(akn.statusCode, 200)
  assert.equal(akn.headers['content-type'], 'application/akn+xml; charset=utf-8')
  const xml = akn.body
  assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<akomaNtoso xmlns="http:\/\/docs.oasis-open.org\/legaldocml\/ns\/akn\/3.0">\n  <bill name="order">/)
  assert.match(xml, /<FRBRlanguage language="rus"\/>/)
  assert.match(xml, /<FRBRuri value="\/akn\/kz\/bill\/\d{4}-\d{2}-\d{2}\/\d+\/rus@v1"\/>/)
  assert.match(xml, /<docTitle>Проект правил &lt;выдачи&gt; &amp; учёта<\/docTitle>/)
  assert.deepEqual([...xml.matchAll(/eId="([^"]+)"/g)].map((m) => m[1]).filter((e) => e !== 'ashyq' && e !== 'ministry-of-health' && e !== 'longTitle'), ['intro_1', 'chp_1', 'para_1', 'para_2'])
  assert.match(xml, /<preamble>\s*<container name="intro" eId="intro_1">\s*<p>Приказываю:<\/p>/)
  assert.match(xml, /<chapter eId="chp_1">\s*<num>Глава 1.<\/num>\s*<heading>Общие положения<\/heading>/)
  assert.match(xml, /<paragraph eId="para_2">\s*<num>2.<\/num>\s*<content>\s*<p>Лист закрывается:<\/p>\s*<p>1\) вовремя;<\/p>\s*<p>2\) полностью &lt; 3 дней.<\/p>\s*<\/content>\s*<\/paragraph>\s*<\/chapter>/)
  assert.match((await app.inject({ url: url.replace('lang=ru', 'lang=kk') })).body, /<FRBRlanguage language="kaz"\/>[\s\S]*<num>1-тарау.<\/num>\s*<heading>Жалпы ережелер<\/heading>/)
  assert.equal((await app.inject({ url: url.replace('lang=ru', 'lang=en') })).statusCode, 404, 'no English text, no English expression')
  assert.equal((await app.inject({ url: url.replace('lang=ru', 'lang=de') })).statusCode, 400)
  assert.match((await app.inject({ url: `/ru/legal-acts/drafts/${id}` })).body, new RegExp(`href="/api/legal-acts/drafts/${id}/versions/1/akn\\?lang=ru"`))
})

test('a Word file that lies about its size, or nests tables a hundred thousand deep, is refused on its field while the server goes on answering', async (t) => {
  const { app, db, editor, close } = await setup()
  t.after(close)
  const fields = { agency: 'ministry-of-health', kind: 'order', topic: 'health', 'title.kk': 'Жоба', 'title.ru': 'Проект', 'text.ru': TEXT['text.ru'] }
  const from = '/ru/legal-acts/drafts/new'
  // Its directory claims a thousand bytes; the part inflates to 110 MB, past the 100 MB read.
  const liar = docx(Buffer.alloc(110 * 1024 * 1024, 0x20), 1000)
  assert.ok(liar.length < 1024 * 1024)
  const inflated = await editor.postFile(from, fields, [{ field: 'docx.kk', name: 'kk.docx', content: liar }])
  assert.equal(inflated.statusCode, 400)
  assert.match(inflated.body, /href="#docx.kk">Файл Word распаковывается больше чем в 100 МБ/)

  const depth = 100_000
  const nested = docx(`${'<w:tbl><w:tr><w:tc>'.repeat(depth)}<w:p><w:r><w:t>x</w:t></w:r></w:p>${'</w:tc></w:tr></w:tbl>'.repeat(depth)}`)
  const delay = monitorEventLoopDelay({ resolution: 10 })
  delay.enable()
  const [refused, meanwhile] = await Promise.all([
    editor.postFile(from, fields, [{ field: 'docx.kk', name: 'kk.docx', content: nested }]),
    new Promise((resolve) => setTimeout(resolve, 300)).then(() => app.inject({ url: '/ru/legal-acts' })),
  ])
  delay.disable()
  assert.equal(refused.statusCode, 400)
  assert.match(refused.body, /href="#docx.kk">Файл (не читается как документ Word|Word читается дольше)/)
  assert.equal(meanwhile.statusCode, 200)
  // Read on a thread of its own: the server's own thread never stops for it a whole second.
  assert.ok(delay.max < 1e9, `the event loop stopped for ${Math.round(delay.max / 1e6)} ms`)
  assert.equal((await db.query('select * from legal_act_drafts')).length, 0)
})

test('reading a Word file stops at its time bound on its own thread, and the file is refused as too complex', async () => {
  const directory = await mkdtemp(path.join(tmpdir(), 'ashyq-docx-'))
  const file = path.join(directory, 'nested.docx')
  await writeFile(file, docx(`${'<w:tbl><w:tr><w:tc>'.repeat(50_000)}<w:p/>${'</w:tc></w:tr></w:tbl>'.repeat(50_000)}`))
  const started = Date.now()
  await assert.rejects(docxToText(file, 'docx.ru', 'local', { ...DOCX_LIMITS, timeoutMs: 100 }), (error: ValidationError) => {
    assert.deepEqual(error.fields, [{ field: 'docx.ru', messageKey: 'legalActs.errors.docxTooComplex', values: { seconds: 0.1 } }])
    return true
  })
  assert.ok(Date.now() - started < 5000)
  await writeFile(file, docx('<w:p><w:r><w:t>Бұйырамын:</w:t></w:r></w:p><w:p><w:r><w:t>1. Парақ беріледі.</w:t></w:r></w:p>'))
  assert.equal(await docxToText(file, 'docx.ru'), 'Бұйырамын:\n1. Парақ беріледі.')
  await rm(directory, { recursive: true, force: true })
})

/** A Word file as many officials write an order: paragraphs "1." in one list, subparagraphs "1)" in a list of their own, and a table. */
async function wordFileWithSubparagraphsAndTable(texts: { paragraphs: Array<string | string[]>; table: string[][] }): Promise<Buffer> {
  const { Document, LevelFormat, Packer, Paragraph, Table, TableRow, TableCell } = await import('docx')
  const item = (text: string, reference: string) => new Paragraph({ text, numbering: { reference, level: 0 } })
  const children = texts.paragraphs.flatMap((p) => (typeof p === 'string' ? [item(p, 'act')] : [item(p[0]!, 'act'), ...p.slice(1).map((sub) => item(sub, 'sub'))]))
  const table = new Table({ rows: texts.table.map((row) => new TableRow({ children: row.map((cell) => new TableCell({ children: [new Paragraph(cell)] })) })) })
  return Packer.toBuffer(new Document({
    numbering: { config: [
      { reference: 'act', levels: [{ level: 0, format: LevelFormat.DECIMAL, text: '%1.' }] },
      { reference: 'sub', levels: [{ level: 0, format: LevelFormat.DECIMAL, text: '%1)' }] },
    ] },
    sections: [{ children: [...children, table] }],
  }))
}

test('a Word file\'s subparagraphs "1)" in a list of their own stay in their paragraph, and a table stays a table, on the page and in Akoma Ntoso', async (t) => {
  const { app, editor, close } = await setup()
  t.after(close)
  const kk = await wordFileWithSubparagraphsAndTable({ paragraphs: ['Парақ беріледі.', ['Парақ мыналарды қамтиды:', 'аты-жөні;', 'мерзімі.'], 'Мерзімдер кестеде:'], table: [['Көрсеткіш', 'Мәні'], ['Мерзім', '3 күн']] })
  const ru = await wordFileWithSubparagraphsAndTable({ paragraphs: ['Лист выдаётся.', ['Лист содержит:', 'имя;', 'срок.'], 'Сроки в таблице:'], table: [['Показатель', 'Значение'], ['Срок', '3 дня']] })
  const docxType = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
  const from = '/ru/legal-acts/drafts/new'
  const created = await editor.postFile(from, { agency: 'ministry-of-health', kind: 'order', topic: 'health', 'title.kk': 'Жоба', 'title.ru': 'Проект' }, [{ field: 'docx.kk', name: 'kk.docx', content: kk, type: docxType }, { field: 'docx.ru', name: 'ru.docx', content: ru, type: docxType }], { from })
  assert.equal(created.statusCode, 303, created.body.slice(0, 2000))
  const id = Number(/drafts\/(\d+)$/.exec(String(created.headers.location))![1])
  assert.equal((await editor.post(`/ru/legal-acts/drafts/${id}/publish`, { end: addDays(today(), 12) }, { from: `/ru/legal-acts/drafts/${id}/publish` })).statusCode, 303)
  const page = (await app.inject({ url: `/ru/legal-acts/drafts/${id}` })).body
  assert.match(page, /id="para_2"[\s\S]*?2\. Лист содержит:\n1\) имя;\n2\) срок\./, 'the subparagraphs are in paragraph 2')
  assert.match(page, /id="para_3"[\s\S]*?3\. Сроки в таблице:[\s\S]*?<table class="govuk-table[^"]*"[\s\S]*?<th scope="col" class="govuk-table__header">Показатель<\/th>[\s\S]*?<td class="govuk-table__cell">3 дня<\/td>/)
  assert.doesNotMatch(page, /id="para_4"/, 'no paragraph made of a subparagraph')
  const akn = (await app.inject({ url: `/api/legal-acts/drafts/${id}/versions/1/akn?lang=kk` })).body
  assert.match(akn, /<paragraph eId="para_3">[\s\S]*?<table>\s*<tr><th><p>Көрсеткіш<\/p><\/th><th><p>Мәні<\/p><\/th><\/tr>\s*<tr><td><p>Мерзім<\/p><\/td><td><p>3 күн<\/p><\/td><\/tr>\s*<\/table>/)
})
