import { SMTPServer, type SMTPServerSession } from 'smtp-server'
import { simpleParser, type ParsedMail } from 'mailparser'
import nodemailer from 'nodemailer'
import type { MailSender } from '../../src/platform/notifications/outbox.ts'

/** An SMTP server on 127.0.0.1 that keeps what it receives; `refuse` answers a recipient with an error instead. */
export interface TestSmtp {
  received: ParsedMail[]
  /** Set to refuse recipients: return [code, text] to refuse, undefined to accept. */
  refuse: ((recipient: string) => [number, string] | undefined) | undefined
  sender: MailSender
  close(): Promise<void>
}

export async function startTestSmtp(): Promise<TestSmtp> {
  const smtp: Partial<TestSmtp> & { received: ParsedMail[] } = { received: [], refuse: undefined }
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session: SMTPServerSession, callback) {
      const refused = smtp.refuse?.(address.address)
      if (!refused) return callback()
      const error = Object.assign(new Error(refused[1]), { responseCode: refused[0] })
      return callback(error)
    },
    onData(stream, _session, callback) {
      simpleParser(stream).then((mail) => {
        smtp.received.push(mail)
        callback()
      }, callback)
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.server.address() as { port: number }
  smtp.sender = { transport: nodemailer.createTransport(`smtp://127.0.0.1:${port}`), from: 'Ashyq <noreply@ashyq.test>' }
  smtp.close = () => new Promise<void>((resolve) => server.close(() => resolve()))
  return smtp as TestSmtp
}
