import type { FastifyReply } from 'fastify'
import { Feed } from 'feed'
import type { Lang } from '../i18n/index.ts'

/** One entry of an Atom feed. */
export interface FeedEntry {
  /** Its page's address, which is also its lasting id. */
  link: string
  title: string
  summary: string
  updated: Date
  published?: Date
  author?: string
}

/** An Atom 1.0 feed (RFC 4287). */
export interface AtomFeed {
  /** The feed's own address (rel="self"), also its id. */
  self: string
  /** The page the feed follows (rel="alternate"). */
  link: string
  title: string
  subtitle?: string
  lang: Lang
  /** Who publishes it (Atom wants an author for the feed or for every entry): the body, or the portal. */
  author: string
  entries: readonly FeedEntry[]
}

/** The feed as Atom XML; its updated time is its latest entry's (or the epoch for an empty feed, so it stays the same). */
export function atomXml(feed: AtomFeed): string {
  const updated = feed.entries.reduce((latest, e) => (e.updated > latest ? e.updated : latest), new Date(0))
  const atom = new Feed({
    id: feed.self, title: feed.title, description: feed.subtitle, link: feed.link, language: feed.lang,
    updated, copyright: '', generator: 'Ashyq', feedLinks: { atom: feed.self }, author: { name: feed.author },
  })
  for (const entry of feed.entries) {
    atom.addItem({
      id: entry.link, link: entry.link, title: entry.title, description: entry.summary, date: entry.updated,
      published: entry.published, author: entry.author ? [{ name: entry.author }] : undefined,
    })
  }
  // The generator writes no language: Atom carries it as xml:lang on the root.
  return atom.atom1().replace('<feed xmlns="http://www.w3.org/2005/Atom">', `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${feed.lang}">`)
}

/** Answers with the feed. */
export function sendAtom(reply: FastifyReply, feed: AtomFeed): FastifyReply {
  return reply.type('application/atom+xml; charset=utf-8').send(atomXml(feed))
}
