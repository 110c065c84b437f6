import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs'

/** The text of each page of a PDF, as a reader copying it would get it (Mozilla's pdf.js). */
export async function pdfPages(bytes: Buffer): Promise<string[]> {
  const document = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false }).promise
  const pages: string[] = []
  for (let n = 1; n <= document.numPages; n += 1) {
    const content = await (await document.getPage(n)).getTextContent()
    pages.push(content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : ' ') : '')).join(''))
  }
  await document.destroy()
  return pages
}

/** A PDF's document language and the roles of its first page's structure tree, depth-first (pdf.js getStructTree). */
export async function pdfStructure(bytes: Buffer): Promise<{ lang: string | undefined; roles: string[] }> {
  const document = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false }).promise
  const info = (await document.getMetadata()).info as { Language?: string }
  const roles: string[] = []
  const walk = (node: { role?: string; children?: unknown[] }) => {
    if (node.role) roles.push(node.role)
    for (const child of node.children ?? []) walk(child as { role?: string; children?: unknown[] })
  }
  const tree = await (await document.getPage(1)).getStructTree()
  if (tree) walk(tree as unknown as { role?: string; children?: unknown[] })
  await document.destroy()
  return { lang: info.Language, roles }
}
