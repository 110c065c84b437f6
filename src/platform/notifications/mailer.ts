import nodemailer from 'nodemailer'
import type { Config } from '../config.ts'
import type { Job } from '../jobs/index.ts'
import { OUTBOX_CHANNEL, sendDueMail, type MailSender } from './outbox.ts'

/** The site's mail sender from its configuration: none without ASHYQ_SMTP_URL (mail then waits in the outbox). */
export function createMailSender(config: Pick<Config, 'smtpUrl' | 'mailFrom'>): MailSender | undefined {
  if (!config.smtpUrl) return undefined
  return { transport: nodemailer.createTransport(config.smtpUrl), from: config.mailFrom }
}

/** The job that sends the outbox: at once when a mail is committed, and every minute for retries. */
export function outboxJob(sender: MailSender): Job {
  return {
    name: 'outbox',
    everyMs: 60_000,
    wakeOn: OUTBOX_CHANNEL,
    run: ({ db }) => sendDueMail(db, sender),
  }
}
