import { createRequire } from 'node:module'
import path from 'node:path'
import pdfmake from 'pdfmake'
import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces.js'

// Roboto, which pdfmake ships, has every letter of Kazakh and Russian (ә, ғ, қ, ң, ө, ұ, ү, һ, і).
const FONT_DIR = path.join(path.dirname(createRequire(import.meta.url).resolve('pdfmake/fonts/Roboto.js')), 'Roboto')
pdfmake.setFonts({
  Roboto: {
    normal: path.join(FONT_DIR, 'Roboto-Regular.ttf'),
    bold: path.join(FONT_DIR, 'Roboto-Medium.ttf'),
    italics: path.join(FONT_DIR, 'Roboto-Italic.ttf'),
    bolditalics: path.join(FONT_DIR, 'Roboto-MediumItalic.ttf'),
  },
})
// A document is made of the site's own text: it never fetches a URL or reads a file beside its fonts.
pdfmake.setUrlAccessPolicy(() => false)
;(pdfmake as unknown as { setLocalAccessPolicy(allow: (file: string) => boolean): void }).setLocalAccessPolicy((file) => path.resolve(file).startsWith(FONT_DIR))

/** A table as a printable document: its title, lines that say what it is, and its columns and rows. */
export interface TableDocument {
  title: string
  /** Lines under the title: whose it is, its period, its totals. */
  lines: string[]
  columns: Array<{ header: string; width: number | '*' | 'auto' }>
  rows: string[][]
  /** "Page 2 of 5", in the reader's language. */
  pageLabel: (page: number, pages: number) => string
  /** Who made it, in the file's properties. */
  author: string
}

/**
 * A table as an A4 landscape PDF (pdfmake): the header row repeats on every page, a row never
 * breaks across two, and every page is numbered.
 */
export async function tablePdf(document: TableDocument): Promise<Buffer> {
  const body = [
    document.columns.map((c): Content => ({ text: c.header, bold: true })),
    ...document.rows.map((row) => row.map((cell): Content => ({ text: cell }))),
  ]
  const definition: TDocumentDefinitions = {
    info: { title: document.title, author: document.author, creator: document.author },
    pageSize: 'A4',
    pageOrientation: 'landscape',
    pageMargins: [36, 36, 36, 42],
    defaultStyle: { font: 'Roboto', fontSize: 8.5, lineHeight: 1.15 },
    content: [
      { text: document.title, fontSize: 14, bold: true, margin: [0, 0, 0, 6] },
      ...document.lines.map((line): Content => ({ text: line, margin: [0, 0, 0, 2] })),
      {
        margin: [0, 8, 0, 0],
        table: { headerRows: 1, dontBreakRows: true, widths: document.columns.map((c) => c.width), body },
        layout: { fillColor: (row: number) => (row === 0 ? '#e8e8e8' : null), hLineColor: () => '#999999', vLineColor: () => '#999999' },
      },
    ],
    footer: (page: number, pages: number) => ({ text: document.pageLabel(page, pages), alignment: 'right', margin: [36, 12, 36, 0], fontSize: 8 }),
  }
  return pdfmake.createPdf(definition).getBuffer()
}

/** A short document of paragraphs under a title, as an A4 PDF: an explanatory note, a notice. */
export async function textPdf(document: { title: string; paragraphs: string[]; author: string }): Promise<Buffer> {
  return pdfmake.createPdf({
    info: { title: document.title, author: document.author, creator: document.author },
    pageSize: 'A4',
    pageMargins: [56, 56, 56, 56],
    defaultStyle: { font: 'Roboto', fontSize: 11, lineHeight: 1.3 },
    content: [
      { text: document.title, fontSize: 14, bold: true, margin: [0, 0, 0, 12] },
      ...document.paragraphs.map((text): Content => ({ text, margin: [0, 0, 0, 8] })),
    ],
  }).getBuffer()
}
