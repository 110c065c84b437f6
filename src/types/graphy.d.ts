// @graphy/content.xml.scribe ships no types: the part of it the catalog uses (a writable stream of
// RDF/JS quads that emits RDF/XML text).
declare module '@graphy/content.xml.scribe' {
  import type { Quad } from '@rdfjs/types'
  interface XmlScribe {
    on(event: 'data', listener: (chunk: string) => void): XmlScribe
    on(event: 'error', listener: (error: Error) => void): XmlScribe
    on(event: 'end', listener: () => void): XmlScribe
    write(quad: Quad): boolean
    end(): void
  }
  export default function scribe(config?: { prefixes?: Record<string, string> }): XmlScribe
}
