import type { Db } from '../../../platform/db/index.ts'
import { ValidationError } from '../../../platform/http/errors.ts'
import type { User } from '../../../platform/auth/roles.ts'
import { authorize } from '../../../platform/auth/policies.ts'
import { isDay, type Day } from '../../../platform/calendar/days.ts'
import { cleanMultilingual, type MultilingualText } from '../../../platform/i18n/multilingual.ts'
import type { LegalActRules } from '../../../platform/config.ts'
import { checkDraftFields, checkTexts, createDraft, loadDraft, updateDraft, type DraftFields, type VersionTexts } from '../drafts/service.ts'
import { publishDraft } from '../drafts/lifecycle.ts'
import { addVersion, findVersion } from '../versions/service.ts'

/** A draft as the government's drafting system sends it (the documented import format). */
export interface DraftImport {
  /** The body's slug, as in /api/agencies. */
  agency: string
  kind: string
  topic: string
  title: MultilingualText
  summary?: MultilingualText
  publicService?: boolean
  /** The text in each language, as it would be pasted: Kazakh and Russian, with the same chapters and paragraphs. */
  text: VersionTexts
  /** What changed, when this text makes a new version. */
  note?: MultilingualText
  /** The discussion's first and last days, once the drafting system has published it. */
  discussion?: { start: Day; end: Day }
}

/** What an import did: nothing, when the draft already was as sent. */
export interface ImportResult {
  id: number
  created: boolean
  changed: Array<'details' | 'version' | 'discussion'>
}

/** The drafting system's own ids: letters, digits and . _ : / - */
export const EXTERNAL_ID = '^[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}$'

// Keys in a fixed order, so that the same text compares equal however its JSON was written.
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v))
}

/**
 * Brings a draft from the drafting system to the state it is sent in, keyed by its id there:
 * the first import creates it (in preparation, or published for discussion on the days sent);
 * a later one changes its details, adds a version when the text differs from the latest, and
 * opens the discussion if it was not open. Sending the same draft again changes nothing, so the
 * drafting system may retry. A discussion shorter than the rules' minimum is taken and marked
 * (`below_minimum`); its days cannot change once it is open.
 */
export async function importDraft(db: Db, user: User | null, externalId: string, input: DraftImport, rules: LegalActRules, origin: string): Promise<ImportResult> {
  authorize(user, 'legal-act.create')
  if (!new RegExp(EXTERNAL_ID).test(externalId)) throw new ValidationError([{ field: 'externalId', messageKey: 'legalActs.errors.externalId' }])
  const fields: DraftFields = {
    agencySlug: input.agency, kind: input.kind, topic: input.topic, title: input.title, summary: input.summary ?? {}, publicService: input.publicService ?? false,
  }
  // Everything is checked before anything is written: a refused import leaves no half a draft.
  const checked = await checkDraftFields(db, fields)
  authorize(user, 'legal-act.manage', { agencyId: checked.agencyId })
  const body = checkTexts(input.text)
  const { discussion } = input
  if (discussion && (!isDay(discussion.start) || !isDay(discussion.end) || discussion.end < discussion.start)) {
    throw new ValidationError([{ field: 'discussion', messageKey: 'legalActs.errors.endBeforeStart' }])
  }
  const lookup = async () => (await db.query<{ id: number }>('select id from legal_act_drafts where external_id = $1', [externalId]))[0]?.id
  const changed: ImportResult['changed'] = []
  let id = await lookup()
  let created = false
  if (id === undefined) {
    try {
      id = await createDraft(db, user, fields, input.text, externalId)
      created = true
    } catch (error) {
      // Two imports of one new draft at once: the second finds the first's and goes on from there.
      id = await lookup()
      if (id === undefined) throw error
    }
  }
  if (!created) {
    const draft = await loadDraft(db, id, { counts: false })
    if (discussion && draft.status !== 'preparation' && (draft.discussionStart !== discussion.start || draft.discussionEnd !== discussion.end)) {
      throw new ValidationError([{ field: 'discussion', messageKey: 'legalActs.errors.discussionFixed', values: { start: draft.discussionStart, end: draft.discussionEnd } }])
    }
    const same = draft.agency.id === checked.agencyId && draft.kind === fields.kind && draft.topic === fields.topic &&
      draft.publicService === fields.publicService && canonical(draft.title) === canonical(checked.title) && canonical(draft.summary) === canonical(checked.summary)
    if (!same) {
      await updateDraft(db, user, id, fields)
      changed.push('details')
    }
    const latest = await findVersion(db, id)
    if (canonical(latest.body) !== canonical(body)) {
      await addVersion(db, user, id, input.text, cleanMultilingual(input.note ?? {}), origin)
      changed.push('version')
    }
  }
  if (discussion) {
    const draft = await loadDraft(db, id, { counts: false })
    if (draft.status === 'preparation') {
      await publishDraft(db, user, id, discussion.end, rules, origin, { start: discussion.start, recordBelowMinimum: true })
      changed.push('discussion')
    }
  }
  return { id, created, changed }
}
