import { DEFAULT_DIALOGUE_RULES, DEFAULT_PETITION_RULES, DEFAULT_LEGAL_ACT_RULES } from '../../../src/platform/config.ts'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestDb } from '../../helpers/db.ts'
import { startTestSmtp } from '../../helpers/smtp.ts'
import { enqueueMail, MOST_ATTEMPTS, retryFailedMail, retryWaitMinutes, sendDueMail, type Mail } from '../../../src/platform/notifications/outbox.ts'
import { outboxJob } from '../../../src/platform/notifications/mailer.ts'
import { startJobs } from '../../../src/platform/jobs/index.ts'
import { testFileStore } from '../../helpers/files.ts'

const mail = (to: string, extra: Partial<Mail> = {}): Mail => ({ to, lang: 'ru', kind: 'test', subject: 'Проект приказа: ответ на ваше предложение', text: 'Текст письма\nвторая строка', ...extra })

async function outboxRow(db: Awaited<ReturnType<typeof createTestDb>>, to: string) {
  const [row] = await db.query<{ state: string; attempts: number; last_error: string | null; wait_minutes: number }>(
    'select state, attempts, last_error, round(extract(epoch from next_attempt_at - now()) / 60)::int as wait_minutes from outbox where recipient = $1',
    [to],
  )
  return row
}

test('mail is sent only when its event commits, once, in its language, with its key deduplicated', async (t) => {
  const db = await createTestDb()
  const smtp = await startTestSmtp()
  t.after(async () => { await smtp.close(); await db.close() })

  await assert.rejects(db.transaction(async (tx) => {
    await enqueueMail(tx, mail('rolled-back@example.kz'))
    throw new Error('the event failed')
  }))
  await db.transaction(async (tx) => {
    assert.equal(await enqueueMail(tx, mail('asker@example.kz', { dedupeKey: 'answer:7' })), true)
    // The same event written again (a retried request) is the same mail.
    assert.equal(await enqueueMail(tx, mail('asker@example.kz', { dedupeKey: 'answer:7' })), false)
  })
  assert.deepEqual(await sendDueMail(db, smtp.sender), { sent: 1, failed: 0 })
  assert.deepEqual(await sendDueMail(db, smtp.sender), { sent: 0, failed: 0 })
  assert.equal(smtp.received.length, 1)
  const [received] = smtp.received
  assert.equal(received!.subject, 'Проект приказа: ответ на ваше предложение')
  assert.equal(received!.text?.trim(), 'Текст письма\nвторая строка')
  assert.equal(received!.headers.get('auto-submitted'), 'auto-generated')
  assert.match(received!.messageId ?? '', /^<outbox-\d+@ashyq\.test>$/)
  assert.equal((await outboxRow(db, 'asker@example.kz'))?.state, 'sent')
})

test('a refused mail is tried again after a growing wait; a mail the server rejects for good is failed at once', async (t) => {
  const db = await createTestDb()
  const smtp = await startTestSmtp()
  t.after(async () => { await smtp.close(); await db.close() })
  smtp.refuse = (to) => (to === 'full@example.kz' ? [452, 'Mailbox full, try later'] : to === 'nobody@example.kz' ? [550, 'No such user'] : undefined)
  await db.transaction(async (tx) => {
    await enqueueMail(tx, mail('full@example.kz'))
    await enqueueMail(tx, mail('nobody@example.kz'))
  })
  assert.deepEqual(await sendDueMail(db, smtp.sender), { sent: 0, failed: 1 })
  const full = await outboxRow(db, 'full@example.kz')
  assert.equal(full?.state, 'pending')
  assert.equal(full?.attempts, 1)
  assert.equal(full?.wait_minutes, 1)
  assert.match(full?.last_error ?? '', /Mailbox full/)
  assert.equal((await outboxRow(db, 'nobody@example.kz'))?.state, 'failed')

  // Not due yet: nothing is tried.
  assert.deepEqual(await sendDueMail(db, smtp.sender), { sent: 0, failed: 0 })
  await db.query("update outbox set next_attempt_at = now() where recipient = 'full@example.kz'")
  assert.deepEqual(await sendDueMail(db, smtp.sender), { sent: 0, failed: 0 })
  assert.equal((await outboxRow(db, 'full@example.kz'))?.wait_minutes, 2)

  smtp.refuse = undefined
  await db.query("update outbox set next_attempt_at = now() where recipient = 'full@example.kz'")
  assert.deepEqual(await sendDueMail(db, smtp.sender), { sent: 1, failed: 0 })
  assert.deepEqual(smtp.received.map((m) => m.to && 'text' in m.to ? m.to.text : ''), ['full@example.kz'])

  // Failed mail goes back in line when an administrator says so.
  assert.equal(await retryFailedMail(db), 1)
  assert.deepEqual(await sendDueMail(db, smtp.sender), { sent: 1, failed: 0 })
  assert.equal(smtp.received.length, 2)

  assert.deepEqual([1, 2, 3, 4, 9, 10, MOST_ATTEMPTS].map(retryWaitMinutes), [1, 2, 4, 8, 256, 360, 360])
})

test('a mail tried the most times is given up', async (t) => {
  const db = await createTestDb()
  const smtp = await startTestSmtp()
  t.after(async () => { await smtp.close(); await db.close() })
  smtp.refuse = () => [421, 'Service not available']
  await db.transaction((tx) => enqueueMail(tx, mail('down@example.kz')))
  await db.query('update outbox set attempts = $1', [MOST_ATTEMPTS - 1])
  assert.deepEqual(await sendDueMail(db, smtp.sender), { sent: 0, failed: 1 })
  assert.equal((await outboxRow(db, 'down@example.kz'))?.state, 'failed')
})

test('two senders at once send each mail once; a claim left by a stopped sender lapses and the mail goes out with the same Message-ID', async (t) => {
  const db = await createTestDb()
  const smtp = await startTestSmtp()
  t.after(async () => { await smtp.close(); await db.close() })
  await db.transaction(async (tx) => {
    for (let i = 0; i < 30; i += 1) await enqueueMail(tx, mail(`reader${i}@example.kz`))
  })
  const results = await Promise.all([sendDueMail(db, smtp.sender), sendDueMail(db, smtp.sender)])
  assert.equal(results[0].sent + results[1].sent, 30)
  assert.equal(smtp.received.length, 30)
  assert.equal(new Set(smtp.received.map((m) => m.messageId)).size, 30)

  // A sender claimed this one and died: within the claim nobody sends it, after it someone does.
  await db.transaction((tx) => enqueueMail(tx, mail('claimed@example.kz')))
  const [{ id }] = await db.query<{ id: number }>("update outbox set state = 'sending', attempts = 1, claimed_until = now() + interval '5 minutes' where recipient = 'claimed@example.kz' returning id") as [{ id: number }]
  assert.deepEqual(await sendDueMail(db, smtp.sender), { sent: 0, failed: 0 })
  await db.query("update outbox set claimed_until = now() - interval '1 second' where id = $1", [id])
  assert.deepEqual(await sendDueMail(db, smtp.sender), { sent: 1, failed: 0 })
  assert.equal(smtp.received.at(-1)?.messageId, `<outbox-${id}@ashyq.test>`)
})

test('the outbox job sends a mail as soon as its transaction commits', async (t) => {
  const db = await createTestDb()
  const smtp = await startTestSmtp()
  const jobs = startJobs({ db, files: testFileStore(), config: { datastoreSql: false, harvestPrivateNetworks: [], legalActs: DEFAULT_LEGAL_ACT_RULES, dialogue: DEFAULT_DIALOGUE_RULES, petitions: DEFAULT_PETITION_RULES, publicUrl: 'http://localhost', opennessPublisher: 'none' } }, [{ ...outboxJob(smtp.sender), everyMs: 3_600_000 }], () => {})
  t.after(async () => { await jobs.stop(); await smtp.close(); await db.close() })
  // Let the job start listening before the commit.
  await new Promise((resolve) => setTimeout(resolve, 200))
  await db.transaction((tx) => enqueueMail(tx, mail('soon@example.kz')))
  for (let waited = 0; smtp.received.length === 0 && waited < 5_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50))
  assert.equal(smtp.received.length, 1)
})
