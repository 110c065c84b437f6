import { test } from 'node:test'
import assert from 'node:assert/strict'
import { can, knownActions } from '../../../src/platform/auth/policies.ts'
import type { Role, User } from '../../../src/platform/auth/roles.ts'
import { SRC, sourceMatches } from '../../helpers/source.ts'
import { loadModules } from '../../../src/platform/modules.ts'

const OWN_BODY = { id: 1 }
const OTHER_BODY = { id: 2 }

function userWith(role?: Role): User {
  const agencyRole = role === 'agency-editor' || role === 'agency-head'
  return {
    id: 7, email: 'someone@example.kz', displayName: '', lang: 'kk', emailConfirmed: true,
    roles: role ? [{ id: 1, role, agencyId: agencyRole ? OWN_BODY.id : null, agencySlug: agencyRole ? 'own-body' : null, agencyName: null }] : [],
  }
}

type Who = 'anonymous' | 'citizen' | Role
const WHO: Who[] = ['anonymous', 'citizen', 'agency-editor', 'agency-head', 'commission', 'admin']

// Every action, with the resource it is asked about, and who may do it. A new action without a row
// here fails the last test: the matrix is the record of who may do what.
const MATRIX: Record<string, { resource?: unknown; allowed: Who[] }[]> = {
  'agency.create': [{ allowed: ['admin'] }],
  'agency.delete': [{ allowed: ['admin'] }],
  'agency.update': [
    { resource: OWN_BODY, allowed: ['agency-editor', 'agency-head', 'admin'] },
    { resource: OTHER_BODY, allowed: ['admin'] },
  ],
  'role.grant': [{ allowed: ['admin'] }],
  'user.list': [{ allowed: ['admin'] }],
  'token.manage': [{ allowed: ['citizen', 'agency-editor', 'agency-head', 'commission', 'admin'] }],
  'monitoring.read': [{ allowed: ['commission', 'admin'] }],
  ...Object.fromEntries(['openness.manage', 'openness.dispute.accept', 'openness.dispute.reject', 'openness.commission.manage', 'openness.meeting.hold', 'openness.meeting.recommend', 'openness.report.prepare', 'openness.report.publish']
    .map((action) => [action, [{ allowed: ['commission', 'admin'] }]])),
  ...Object.fromEntries(['openness.dispute.submit', 'openness.recommendation.report'].map((action) => [action, [
    { resource: { agencyId: OWN_BODY.id }, allowed: ['agency-editor', 'agency-head', 'admin'] },
    { resource: { agencyId: OTHER_BODY.id }, allowed: ['admin'] },
  ]])),
  'dataset.publish': [{ allowed: ['agency-editor', 'agency-head', 'admin'] }],
  'unified-list.manage': [{ allowed: ['admin'] }],
  'harvest.manage': [{ allowed: ['admin'] }],
  'theme.update': [{ allowed: ['admin'] }],
  'data-request.create': [{ allowed: ['citizen', 'agency-editor', 'agency-head', 'commission', 'admin'] }],
  'data-request.support': [{ allowed: ['citizen', 'agency-editor', 'agency-head', 'commission', 'admin'] }],
  'data-request.answer': [
    { resource: { agencyId: OWN_BODY.id }, allowed: ['agency-editor', 'agency-head', 'admin'] },
    { resource: { agencyId: OTHER_BODY.id }, allowed: ['admin'] },
  ],
  'unified-list.link': [
    { resource: { agencyId: OWN_BODY.id }, allowed: ['agency-editor', 'agency-head', 'admin'] },
    { resource: { agencyId: OTHER_BODY.id }, allowed: ['admin'] },
  ],
  'calendar.manage': [{ allowed: ['admin'] }],
  'budget.create': [{ allowed: ['admin'] }],
  'services.register.keep': [{ allowed: ['admin'] }],
  'studies.manage': [{ allowed: ['admin'] }],
  'budget.import': [
    { resource: { agencyId: OWN_BODY.id }, allowed: ['agency-editor', 'agency-head', 'admin'] },
    { resource: { agencyId: OTHER_BODY.id }, allowed: ['admin'] },
  ],
  'budget.discuss': [
    { resource: { agencyId: OWN_BODY.id }, allowed: ['agency-editor', 'agency-head', 'admin'] },
    { resource: { agencyId: OTHER_BODY.id }, allowed: ['admin'] },
  ],
  ...Object.fromEntries([...['edit', 'submit', 'publish', 'return', 'withdraw'].map((verb) => `site.edition.${verb}`), 'site.offices.edit', 'site.council.edit', 'site.council.answer', 'agency.leadership.edit'].map((action) => [action, [
    { resource: { agencyId: OWN_BODY.id }, allowed: ['agency-editor', 'agency-head', 'admin'] },
    { resource: { agencyId: OTHER_BODY.id }, allowed: ['admin'] },
  ]])),
  'budget.documents': [
    { resource: { agencyId: OWN_BODY.id }, allowed: ['agency-editor', 'agency-head', 'admin'] },
    { resource: { agencyId: OTHER_BODY.id }, allowed: ['admin'] },
  ],
  'outbox.read': [{ allowed: ['admin'] }],
  ...Object.fromEntries(['comment.hide', 'comment.restore'].map((action) => [action, [
    { resource: { agencyId: OWN_BODY.id }, allowed: ['agency-editor', 'agency-head', 'admin'] },
    { resource: { agencyId: OTHER_BODY.id }, allowed: ['admin'] },
    { resource: { agencyId: null }, allowed: ['admin'] },
  ]])) as Record<string, { resource?: unknown; allowed: Who[] }[]>,
  'legal-act.create': [{ allowed: ['agency-editor', 'agency-head', 'admin'] }],
  // Anyone signed in may ask (the service also wants a confirmed address); a body's staff deal with its questions.
  'dialogue.ask': [{ allowed: ['citizen', 'agency-editor', 'agency-head', 'commission', 'admin'] }],
  'dialogue.poll.vote': [{ resource: { agencyId: OWN_BODY.id }, allowed: ['citizen', 'agency-editor', 'agency-head', 'commission', 'admin'] }],
  ...Object.fromEntries(['dialogue.petition.create', 'dialogue.petition.sign'].map((action) => [action, [{ allowed: ['citizen', 'agency-editor', 'agency-head', 'commission', 'admin'] }]])) as Record<string, { resource?: unknown; allowed: Who[] }[]>,
  // The author alone (userWith gives every user id 7), administrators neither.
  ...Object.fromEntries(['dialogue.petition.submit', 'dialogue.petition.withdraw'].map((action) => [action, [
    { resource: { authorId: 7 }, allowed: ['citizen', 'agency-editor', 'agency-head', 'commission', 'admin'] },
    { resource: { authorId: 8 }, allowed: [] },
  ]])) as Record<string, { resource?: unknown; allowed: Who[] }[]>,
  // Anyone but its author joins a draft as a co-author; a co-author alone leaves it (administrators neither).
  'dialogue.petition.join': [
    { resource: { authorId: 8 }, allowed: ['citizen', 'agency-editor', 'agency-head', 'commission', 'admin'] },
    { resource: { authorId: 7 }, allowed: [] },
  ],
  'dialogue.petition.leave': [
    { resource: { authorId: 8, coAuthorIds: [7] }, allowed: ['citizen', 'agency-editor', 'agency-head', 'commission', 'admin'] },
    { resource: { authorId: 8, coAuthorIds: [9] }, allowed: [] },
  ],
  // The portal's administrators moderate: no body judges a petition addressed to it.
  ...Object.fromEntries(['moderate', 'publish', 'reject', 'invalidate'].map((verb) => [`dialogue.petition.${verb}`, [{ resource: { agencyId: OWN_BODY.id }, allowed: ['admin'] }]])) as Record<string, { resource?: unknown; allowed: Who[] }[]>,
  ...Object.fromEntries(['dialogue.petition.discuss', 'dialogue.petition.answer'].map((action) => [action, [
    { resource: { agencyId: OWN_BODY.id }, allowed: ['agency-editor', 'agency-head', 'admin'] },
    { resource: { agencyId: OTHER_BODY.id }, allowed: ['admin'] },
  ]])) as Record<string, { resource?: unknown; allowed: Who[] }[]>,
  ...Object.fromEntries(['dialogue.poll.create', 'dialogue.poll.withdraw'].map((action) => [action, [
    { resource: { agencyId: OWN_BODY.id }, allowed: ['agency-editor', 'agency-head', 'admin'] },
    { resource: { agencyId: OTHER_BODY.id }, allowed: ['admin'] },
  ]])) as Record<string, { resource?: unknown; allowed: Who[] }[]>,
  ...Object.fromEntries(['dialogue.manage', ...['publish', 'reject', 'forward', 'extend', 'answer'].map((verb) => `dialogue.question.${verb}`)].map((action) => [action, [
    { resource: { agencyId: OWN_BODY.id, askerId: 8 }, allowed: ['agency-editor', 'agency-head', 'admin'] },
    { resource: { agencyId: OTHER_BODY.id, askerId: 8 }, allowed: ['admin'] },
  ]])) as Record<string, { resource?: unknown; allowed: Who[] }[]>,
  // Only the asker withdraws, rates and follows up their question: every test user is number 7, so
  // each is the asker of the first and none, administrators neither, of the second.
  ...Object.fromEntries(['withdraw', 'rate', 'follow-up'].map((verb) => [`dialogue.question.${verb}`, [
    { resource: { agencyId: OWN_BODY.id, askerId: 7 }, allowed: ['citizen', 'agency-editor', 'agency-head', 'commission', 'admin'] },
    { resource: { agencyId: OWN_BODY.id, askerId: 8 }, allowed: [] },
  ]])) as Record<string, { resource?: unknown; allowed: Who[] }[]>,
  ...Object.fromEntries(['legal-act.manage', ...['edit', 'version', 'publish', 'answer', 'adopt', 'withdraw'].map((verb) => `legal-act.draft.${verb}`)].map((action) => [action, [
    { resource: { agencyId: OWN_BODY.id }, allowed: ['agency-editor', 'agency-head', 'admin'] },
    { resource: { agencyId: OTHER_BODY.id }, allowed: ['admin'] },
  ]])) as Record<string, { resource?: unknown; allowed: Who[] }[]>,
  ...Object.fromEntries(['dataset.create', 'dataset.update', 'dataset.delete'].map((action) => [action, [
    { resource: { agencyId: OWN_BODY.id }, allowed: ['agency-editor', 'agency-head', 'admin'] },
    { resource: { agencyId: OTHER_BODY.id }, allowed: ['admin'] },
  ]])) as Record<string, { resource?: unknown; allowed: Who[] }[]>,
}

test('the role matrix: every role × action', async () => {
  await loadModules()
  for (const [action, cases] of Object.entries(MATRIX)) {
    for (const { resource, allowed } of cases) {
      for (const who of WHO) {
        const user = who === 'anonymous' ? null : userWith(who === 'citizen' ? undefined : who)
        assert.equal(can(user, action, resource), allowed.includes(who), `${who} ${action} ${JSON.stringify(resource ?? null)}`)
      }
    }
  }
})

test('every defined action is in the role matrix, and an unknown action is an error', async () => {
  await loadModules()
  assert.deepEqual(knownActions(), Object.keys(MATRIX).sort())
  assert.throws(() => can(userWith('admin'), 'agency.obliterate'), /No policy/)
})

// A call at the top of a file, which registers a rule, a commentable or a followable as the file is imported.
const REGISTERED_ON_IMPORT = /^(definePolicies|defineCommentable|defineFollowable)\(/gm

test('policies, commentables and followables are registered by the definitions that loadModules reads, never by importing a file', () => {
  assert.equal([..."definePolicies({\n  'x.y': () => true,\n})".matchAll(REGISTERED_ON_IMPORT)].length, 1, 'the search finds a registration at the top of a file')
  assert.deepEqual(sourceMatches(SRC, REGISTERED_ON_IMPORT), [])
})
