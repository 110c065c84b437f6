import { createRequire } from 'node:module'
import path from 'node:path'
import type PDFDocument from 'pdfkit'
import type { Lang } from '../i18n/index.ts'

// Roboto, which pdfmake ships, has every letter of Kazakh and Russian (ә, ғ, қ, ң, ө, ұ, ү, һ, і);
// PDFKit embeds the letters a document uses. A document is made of the site's own text and these fonts.
const FONT_DIR = path.join(path.dirname(createRequire(import.meta.url).resolve('pdfmake/fonts/Roboto.js')), 'Roboto')
const FONTS = { regular: path.join(FONT_DIR, 'Roboto-Regular.ttf'), bold: path.join(FONT_DIR, 'Roboto-Medium.ttf') }

/** A table as a printable document: its title, lines that say what it is, and its columns and rows. */
export interface TableDocument {
  title: string
  /** The document's language (its /Lang, which a screen reader speaks it in). */
  lang: Lang
  /** Lines under the title: whose it is, its period, its totals. */
  lines: string[]
  /** Each column's header and its width in points, or '*' for a share of what the others leave. */
  columns: Array<{ header: string; width: number | '*' }>
  rows: string[][]
  /** "Page 2 of 5", in the reader's language. */
  pageLabel: (page: number, pages: number) => string
  /** Who made it, in the file's properties. */
  author: string
}

const PAGE_MARGINS = { top: 36, left: 36, right: 36, bottom: 42 }
const CELL_PADDING = 3
const TABLE_FONT_SIZE = 8.5

/**
 * Column widths on the page: each wide enough for its header's longest word (a header never breaks
 * inside a word), fixed ones as asked, and the '*' columns sharing what is left.
 */
function columnWidths(doc: PDFKit.PDFDocument, columns: TableDocument['columns'], available: number): number[] {
  doc.font('bold').fontSize(TABLE_FONT_SIZE)
  const least = columns.map((c) => Math.max(...c.header.split(/\s+/).map((word) => doc.widthOfString(word))) + 2 * CELL_PADDING + 1)
  const fixed = columns.map((c, i) => (c.width === '*' ? 0 : Math.max(c.width, least[i]!)))
  const shared = columns.filter((c) => c.width === '*').length
  const left = available - fixed.reduce((a, b) => a + b, 0)
  return columns.map((c, i) => (c.width === '*' ? Math.max(least[i]!, left / shared) : fixed[i]!))
}

/**
 * A table as an A4 landscape PDF that a screen reader can read (PDFKit, tagged): the document's
 * language, the title as a heading, the lines as paragraphs, a real table whose header cells are
 * header cells (TH, scope Column); the header row repeats on every page (as a page artifact), a row
 * never breaks across two pages, and every page is numbered (an artifact too).
 */
export async function tablePdf(document: TableDocument): Promise<Buffer> {
  const doc = await newDocument({ layout: 'landscape', margins: PAGE_MARGINS, title: document.title, author: document.author, lang: document.lang })
  const root = doc.struct('Document')
  doc.addStructure(root)
  const width = doc.page.width - PAGE_MARGINS.left - PAGE_MARGINS.right
  root.add(doc.struct('H1', {}, () => {
    doc.font('bold').fontSize(14).text(document.title, { width })
  }))
  doc.moveDown(0.3)
  for (const line of document.lines) {
    root.add(doc.struct('P', {}, () => {
      doc.font('regular').fontSize(TABLE_FONT_SIZE).text(line, { width })
    }))
  }
  doc.moveDown(0.6)

  const widths = columnWidths(doc, document.columns, width)
  const headerCells = document.columns.map((c) => ({ text: c.header, type: 'TH' as const, scope: 'Column', font: { src: 'bold' }, backgroundColor: '#e8e8e8' }))
  // The header row again at the top of every page the table goes on to: drawn as an artifact (a
  // screen reader has it once, in the table), and the page's top margin left below it.
  doc.font('bold').fontSize(TABLE_FONT_SIZE)
  const headerHeight = Math.max(...document.columns.map((c, i) => doc.heightOfString(c.header, { width: widths[i]! - 2 * CELL_PADDING }))) + 2 * CELL_PADDING
  doc.page.margins.top = PAGE_MARGINS.top + headerHeight
  doc.on('pageAdded', () => {
    doc.page.margins.top = PAGE_MARGINS.top + headerHeight
    doc.markContent('Artifact', { type: 'Pagination' })
    let x = PAGE_MARGINS.left
    document.columns.forEach((c, i) => {
      doc.save().rect(x, PAGE_MARGINS.top, widths[i]!, headerHeight).fillAndStroke('#e8e8e8', '#999999').restore()
      doc.fillColor('black').font('bold').fontSize(TABLE_FONT_SIZE).text(c.header, x + CELL_PADDING, PAGE_MARGINS.top + CELL_PADDING, { width: widths[i]! - 2 * CELL_PADDING, lineBreak: true })
      x += widths[i]!
    })
    doc.endMarkedContent()
    doc.font('regular')
  })
  const options = {
    structParent: root,
    columnStyles: widths,
    defaultStyle: { border: 0.5, borderColor: '#999999', padding: CELL_PADDING },
    data: [headerCells, ...document.rows],
  }
  doc.font('regular').fontSize(TABLE_FONT_SIZE)
  doc.table(options as unknown as PDFKit.Mixins.TableOptionsWithData)
  root.end()
  numberPages(doc, document.pageLabel)
  return finish(doc)
}

/** Every page's number at its foot, right-aligned, as a pagination artifact. */
function numberPages(doc: PDFKit.PDFDocument, label: (page: number, pages: number) => string): void {
  doc.removeAllListeners('pageAdded')
  const { start, count } = doc.bufferedPageRange()
  for (let i = start; i < start + count; i += 1) {
    doc.switchToPage(i)
    const bottom = doc.page.margins.bottom
    doc.page.margins.bottom = 0
    doc.markContent('Artifact', { type: 'Pagination' })
    doc.font('regular').fontSize(8).fillColor('black')
      .text(label(i + 1, count), PAGE_MARGINS.left, doc.page.height - PAGE_MARGINS.bottom + 12, { width: doc.page.width - PAGE_MARGINS.left - PAGE_MARGINS.right, align: 'right', lineBreak: false })
    doc.endMarkedContent()
    doc.page.margins.bottom = bottom
  }
}

/** PDFKit, loaded when a first document is made: some 7 MB the server need not hold until then. */
let pdfkit: Promise<typeof PDFDocument> | undefined

async function newDocument(options: { layout?: 'portrait' | 'landscape'; margins: typeof PAGE_MARGINS; title: string; author: string; lang: Lang }): Promise<PDFKit.PDFDocument> {
  const PDF = await (pdfkit ??= import('pdfkit').then((module) => module.default))
  const doc = new PDF({
    size: 'A4', layout: options.layout ?? 'portrait', margins: options.margins, bufferPages: true,
    pdfVersion: '1.7', tagged: true, lang: options.lang, displayTitle: true,
    info: { Title: options.title, Author: options.author, Creator: options.author },
    font: FONTS.regular,
  })
  doc.registerFont('regular', FONTS.regular)
  doc.registerFont('bold', FONTS.bold)
  return doc
}

function finish(doc: PDFKit.PDFDocument): Promise<Buffer> {
  const chunks: Buffer[] = []
  return new Promise((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk))
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
    doc.end()
  })
}

/** A short document of paragraphs under a title, as a tagged A4 PDF: an explanatory note, a notice. */
export async function textPdf(document: { title: string; paragraphs: string[]; author: string; lang: Lang }): Promise<Buffer> {
  const margins = { top: 56, left: 56, right: 56, bottom: 56 }
  const doc = await newDocument({ margins, title: document.title, author: document.author, lang: document.lang })
  const root = doc.struct('Document')
  doc.addStructure(root)
  const width = doc.page.width - margins.left - margins.right
  root.add(doc.struct('H1', {}, () => {
    doc.font('bold').fontSize(14).text(document.title, { width })
  }))
  doc.moveDown(0.8)
  for (const paragraph of document.paragraphs) {
    root.add(doc.struct('P', {}, () => {
      doc.font('regular').fontSize(11).text(paragraph, { width, lineGap: 3 })
    }))
    doc.moveDown(0.6)
  }
  root.end()
  return finish(doc)
}

/** A section of a report: its heading, its paragraphs and, when it has one, a table of text cells. */
export interface ReportSection {
  heading: string
  paragraphs: string[]
  table?: { columns: string[]; rows: string[][] }
}

/**
 * A report of sections as a tagged A4 PDF (an annual report): the title as H1 and the lines under
 * it, each section's heading as H2, its paragraphs, and its table with header cells (TH, scope
 * Column); every page numbered as a pagination artifact.
 */
export async function reportPdf(document: { title: string; lang: Lang; author: string; lines: string[]; sections: ReportSection[]; pageLabel: (page: number, pages: number) => string }): Promise<Buffer> {
  const doc = await newDocument({ margins: PAGE_MARGINS, title: document.title, author: document.author, lang: document.lang })
  const root = doc.struct('Document')
  doc.addStructure(root)
  const width = doc.page.width - PAGE_MARGINS.left - PAGE_MARGINS.right
  root.add(doc.struct('H1', {}, () => {
    doc.font('bold').fontSize(16).text(document.title, { width })
  }))
  for (const line of document.lines) root.add(doc.struct('P', {}, () => { doc.font('regular').fontSize(9).text(line, { width }) }))
  for (const section of document.sections) {
    doc.moveDown(1)
    root.add(doc.struct('H2', {}, () => { doc.font('bold').fontSize(12.5).text(section.heading, { width }) }))
    doc.moveDown(0.3)
    for (const paragraph of section.paragraphs) {
      root.add(doc.struct('P', {}, () => { doc.font('regular').fontSize(10).text(paragraph, { width, lineGap: 2 }) }))
      doc.moveDown(0.4)
    }
    if (section.table && section.table.rows.length > 0) {
      const header = section.table.columns.map((text) => ({ text, type: 'TH' as const, scope: 'Column', font: { src: 'bold' }, backgroundColor: '#e8e8e8' }))
      doc.font('regular').fontSize(TABLE_FONT_SIZE)
      doc.table({ structParent: root, defaultStyle: { border: 0.5, borderColor: '#999999', padding: CELL_PADDING }, data: [header, ...section.table.rows] } as unknown as PDFKit.Mixins.TableOptionsWithData)
      doc.x = PAGE_MARGINS.left
    }
  }
  root.end()
  numberPages(doc, document.pageLabel)
  return finish(doc)
}
