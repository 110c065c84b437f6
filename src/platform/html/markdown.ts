import MarkdownIt from 'markdown-it'

/**
 * Text that editors write for the public (a body's news and pages, life situations, studies'
 * abstracts) in Markdown, rendered with markdown-it: HTML in the text is shown as text, never run;
 * links to `javascript:`, `vbscript:`, `file:` and `data:` addresses are left as text (markdown-it's
 * own check). Headings start at level 2 (the page's title is its only h1) and take GOV.UK's classes,
 * so an editor's text looks like the rest of the site.
 */
const markdown = new MarkdownIt('commonmark', { html: false, linkify: false, typographer: false })

const CLASSES: Record<string, string> = {
  h2: 'govuk-heading-m', h3: 'govuk-heading-s', h4: 'govuk-heading-s', h5: 'govuk-heading-s', h6: 'govuk-heading-s',
  p: 'govuk-body', ul: 'govuk-list govuk-list--bullet', ol: 'govuk-list govuk-list--number', a: 'govuk-link',
  table: 'govuk-table', blockquote: 'govuk-inset-text',
}

markdown.core.ruler.push('ashyq_headings_and_classes', (state) => {
  for (const token of state.tokens) {
    // The page's title is its one h1: an editor's "# Heading" is a section of it, as "##" is.
    if ((token.type === 'heading_open' || token.type === 'heading_close') && token.tag === 'h1') token.tag = 'h2'
    const tokens = token.type === 'inline' ? token.children ?? [] : [token]
    for (const t of tokens) {
      const classes = t.nesting === 1 ? CLASSES[t.tag] : undefined
      if (classes) t.attrSet('class', classes)
    }
  }
  return true
})

/** An editor's Markdown as HTML safe to put in a page. */
export function renderMarkdown(text: string): string {
  return markdown.render(text)
}

/** The addresses an editor's Markdown links to, in order (for checking links that break). */
export function markdownLinks(text: string): string[] {
  const links: string[] = []
  for (const token of markdown.parse(text, {})) {
    for (const t of token.children ?? []) {
      if (t.type === 'link_open') links.push(String(t.attrGet('href') ?? ''))
      if (t.type === 'image') links.push(String(t.attrGet('src') ?? ''))
    }
  }
  return links.filter((href) => href !== '')
}
