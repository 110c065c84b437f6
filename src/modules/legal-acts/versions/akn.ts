import type { Lang } from '../../../platform/i18n/index.ts'
import type { MultilingualText } from '../../../platform/i18n/multilingual.ts'
import { textBlocks, type TextUnit } from './text.ts'

/** Akoma Ntoso 3.0 (OASIS LegalDocML): the namespace of every element. */
export const AKN_NAMESPACE = 'http://docs.oasis-open.org/legaldocml/ns/akn/3.0'

// FRBR names languages by ISO 639-2 (three letters).
const ISO_639_2: Record<Lang, string> = { kk: 'kaz', ru: 'rus', en: 'eng' }

/** What an Akoma Ntoso expression of one version says about the draft, beside its text. */
export interface AknDraft {
  id: number
  kind: string
  title: MultilingualText
  agency: { slug: string; name: MultilingualText }
  /** The day the draft was first published for discussion (or created): the work's date. */
  workDate: string
  version: { number: number; createdAt: Date; body: TextUnit[] }
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!)
}

// A unit's lines as Akoma Ntoso: a <p> a line, and a table ("| … | … |" lines) as a <table> whose
// first row is of header cells.
const ps = (lines: readonly string[], indent: string) => textBlocks(lines.join('\n')).map((block) => block.kind === 'lines'
  ? block.lines.map((line) => `${indent}<p>${escapeXml(line)}</p>`).join('\n')
  : [`${indent}<table>`, ...block.rows.map((row, i) => `${indent}  <tr>${row.map((cell) => `<${i === 0 ? 'th' : 'td'}><p>${escapeXml(cell)}</p></${i === 0 ? 'th' : 'td'}>`).join('')}</tr>`), `${indent}</table>`].join('\n')).join('\n')

// A unit's text as the draft writes it: "Глава 1. Общие положения", "3. Лист выдаётся…".
// Its first line's leading number (and a chapter's or an article's word) is the <num>.
function splitNum(unit: TextUnit, text: string): { num: string; rest: string[] } {
  const [first = '', ...more] = text.split('\n')
  if (!unit.num) return { num: '', rest: [first, ...more].filter(Boolean) }
  const at = first.indexOf(unit.num)
  // The number's words ("Глава 1", "5-бап") and the full stop or colon after them.
  const end = at === -1 ? 0 : at + unit.num.length
  const head = /^(?:\s*-\s*(?:тарау|бөлім|бап))?[.:]?/iu.exec(first.slice(end))?.[0] ?? ''
  const num = first.slice(0, end + head.length).trim()
  const restOfFirst = first.slice(end + head.length).trim()
  return { num, rest: [restOfFirst, ...more].filter(Boolean) }
}

/**
 * One version's text in one language as an Akoma Ntoso `bill`: its FRBR identification (work: the
 * draft; expression: this version in this language), the title in the preface, the lines before the
 * first numbered unit as the preamble, chapters with their articles and paragraphs in the body.
 * Every unit keeps its eId, the one comments name as their anchor.
 */
export function toAkomaNtoso(draft: AknDraft, lang: Lang, siteName: string): string {
  const { version } = draft
  const language = ISO_639_2[lang]
  const work = `/akn/kz/bill/${draft.workDate}/${draft.id}`
  const expression = `${work}/${language}@v${version.number}`
  const versionDate = version.createdAt.toISOString().slice(0, 10)
  const text = (u: TextUnit) => u.text[lang] ?? ''
  const preamble: TextUnit[] = []
  const body: string[] = []
  let chapterOpen = false
  let articleOpen = false
  const closeArticle = () => {
    if (articleOpen) body.push('        </article>')
    articleOpen = false
  }
  const closeChapter = () => {
    closeArticle()
    if (chapterOpen) body.push('      </chapter>')
    chapterOpen = false
  }
  version.body.forEach((unit, index) => {
    const { num, rest } = splitNum(unit, text(unit))
    if (unit.kind === 'section') {
      closeChapter()
      body.push(`      <chapter eId="${unit.eId}">`, `        <num>${escapeXml(num)}</num>`)
      if (rest.length) body.push(`        <heading>${escapeXml(rest.join(' '))}</heading>`)
      chapterOpen = true
      return
    }
    if (!unit.num) {
      // Lines before anything numbered open the act; after a chapter's heading, that chapter.
      if (!chapterOpen && body.length === 0) preamble.push(unit)
      else body.push(`        <intro eId="${unit.eId}">`, ps(rest, '          '), '        </intro>')
      return
    }
    const indent = articleOpen ? '          ' : '        '
    if (unit.eId.startsWith('art_')) {
      closeArticle()
      const [heading, ...content] = rest
      body.push(`        <article eId="${unit.eId}">`, `          <num>${escapeXml(num)}</num>`)
      if (heading) body.push(`          <heading>${escapeXml(heading)}</heading>`)
      // An article's own text is its content, or the intro to the paragraphs that follow it.
      const paragraphsFollow = version.body[index + 1]?.eId.startsWith('para_') ?? false
      const wrapper = paragraphsFollow ? 'intro' : 'content'
      if (content.length || !paragraphsFollow) body.push(`          <${wrapper}>`, ps(content.length ? content : [''], '            '), `          </${wrapper}>`)
      articleOpen = true
      return
    }
    body.push(
      `${indent}<paragraph eId="${unit.eId}">`,
      `${indent}  <num>${escapeXml(num)}</num>`,
      `${indent}  <content>`, ps(rest.length ? rest : [''], `${indent}    `), `${indent}  </content>`,
      `${indent}</paragraph>`,
    )
  })
  closeChapter()
  const agencyName = draft.agency.name[lang] ?? draft.agency.name.ru ?? draft.agency.slug
  return `<?xml version="1.0" encoding="UTF-8"?>
<akomaNtoso xmlns="${AKN_NAMESPACE}">
  <bill name="${escapeXml(draft.kind)}">
    <meta>
      <identification source="#ashyq">
        <FRBRWork>
          <FRBRthis value="${work}/!main"/>
          <FRBRuri value="${work}"/>
          <FRBRdate date="${draft.workDate}" name="publication"/>
          <FRBRauthor href="#${escapeXml(draft.agency.slug)}"/>
          <FRBRcountry value="kz"/>
        </FRBRWork>
        <FRBRExpression>
          <FRBRthis value="${expression}/!main"/>
          <FRBRuri value="${expression}"/>
          <FRBRdate date="${versionDate}" name="version"/>
          <FRBRauthor href="#${escapeXml(draft.agency.slug)}"/>
          <FRBRlanguage language="${language}"/>
        </FRBRExpression>
        <FRBRManifestation>
          <FRBRthis value="${expression}/!main.xml"/>
          <FRBRuri value="${expression}.akn"/>
          <FRBRdate date="${new Date().toISOString().slice(0, 10)}" name="generation"/>
          <FRBRauthor href="#ashyq"/>
        </FRBRManifestation>
      </identification>
      <references source="#ashyq">
        <TLCOrganization eId="ashyq" href="/ontology/organization/ashyq" showAs="${escapeXml(siteName)}"/>
        <TLCOrganization eId="${escapeXml(draft.agency.slug)}" href="/ontology/organization/kz/${escapeXml(draft.agency.slug)}" showAs="${escapeXml(agencyName)}"/>
      </references>
    </meta>
    <preface>
      <longTitle eId="longTitle">
        <p><docTitle>${escapeXml(draft.title[lang] ?? draft.title.ru ?? '')}</docTitle></p>
      </longTitle>
    </preface>
${preamble.length ? `    <preamble>\n${preamble.map((u) => `      <container name="intro" eId="${u.eId}">\n${ps(text(u).split('\n').filter(Boolean), '        ')}\n      </container>`).join('\n')}\n    </preamble>\n` : ''}    <body>
${body.join('\n')}
    </body>
  </bill>
</akomaNtoso>
`
}
