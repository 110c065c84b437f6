import type { CommentableKind } from '../../platform/comments/service.ts'
import type { Followable } from '../../platform/notifications/subscriptions.ts'
import { translate } from '../../platform/notifications/messages.ts'
import { LANGS } from '../../platform/i18n/index.ts'
import { TOPICS, type Topic } from './kinds.ts'
import { findDraft } from './drafts/service.ts'
import type { Queryable } from '../../platform/db/index.ts'
import { versionById } from './versions/service.ts'

// What comments, votes and subscriptions see of a draft: the public's view, without counts.
const publishedDraft = (db: Queryable, id: number) => findDraft(db, id, null, { counts: false }).catch(() => undefined)

function draftId(key: string): number | undefined {
  return /^\d{1,15}$/.test(key) ? Number(key) : undefined
}

/** What of this portal takes comments: registered by the module's definition. */
export const legalActCommentables: CommentableKind[] = [
  // Votes for and against a draft, while it is discussed.
  {
    type: 'legal-act',
    async find(db, key) {
      const id = draftId(key)
      const draft = id ? await publishedDraft(db, id) : undefined
      if (!draft) return undefined
      return { agencyId: draft.agency.id, open: draft.open, path: `/legal-acts/drafts/${draft.id}`, title: draft.title }
    },
  },
  // Comments on a version's text, on one of its paragraphs or on the whole: taken on the latest
  // version while the draft is discussed; earlier versions keep theirs.
  {
    type: 'legal-act-version',
    async find(db, key) {
      const id = draftId(key)
      const version = id ? await versionById(db, id) : undefined
      if (!version) return undefined
      const draft = await publishedDraft(db, version.draftId)
      if (!draft) return undefined
      return {
        agencyId: draft.agency.id,
        open: draft.open && version.latest,
        anchors: new Set(version.body.filter((u) => u.kind === 'paragraph').map((u) => u.eId)),
        path: version.latest ? `/legal-acts/drafts/${draft.id}` : `/legal-acts/drafts/${draft.id}/versions/${version.number}`,
        title: draft.title,
      }
    },
  },
]

/** What of this portal can be followed: registered by the module's definition. */
export const legalActFollowables: Followable[] = [
  // One draft: its new versions, its closing, its answers.
  {
    prefix: 'legal-act',
    async find(db, key) {
      const id = draftId(key)
      const draft = id ? await publishedDraft(db, id) : undefined
      return draft ? { title: draft.title, path: `/legal-acts/drafts/${draft.id}` } : undefined
    },
  },
  // A topic: every draft published under it.
  {
    prefix: 'legal-act-topic',
    async find(_db, key) {
      if (!TOPICS.includes(key as Topic)) return undefined
      const title = Object.fromEntries(LANGS.map((lang) => [lang, `${translate(lang, 'legalActs.title')}: ${translate(lang, `legalActs.topics.${key}`)}`]))
      return { title, path: `/legal-acts?topic=${key}` }
    },
  },
]
