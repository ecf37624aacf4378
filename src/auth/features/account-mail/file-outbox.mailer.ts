import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Transporter } from 'nodemailer';
import { loadNodemailer } from './nodemailer';
import type { Mailer, OutgoingMail } from './mailer.port';

/**
 * The development mailer: each mail becomes an `.eml` file in `dir` (open it with any mail client, or read it), so a
 * fresh checkout can go through a reset with no SMTP server. The MIME text is nodemailer's own (its stream
 * transport), exactly what SMTP would carry. The log names the file only: the link inside is a live credential.
 */
export class FileOutboxMailer implements Mailer {
  private readonly logger = new Logger('Mailer');
  private readonly transport: Transporter;

  constructor(private readonly dir: string) {
    const { createTransport } = loadNodemailer(
      'accountMail writing mail to .eml files (no smtpUrl, no mailer)',
    );
    this.transport = createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  }

  async send(mail: OutgoingMail): Promise<void> {
    const info = (await this.transport.sendMail(mail)) as { message: Buffer };
    await mkdir(this.dir, { recursive: true });
    // Sortable by time, unique without a shared counter (several instances may write to one folder).
    const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(4).toString('hex')}.eml`;
    const file = join(this.dir, name);
    await writeFile(file, info.message, { mode: 0o600 });
    this.logger.log(`Mail written to ${file}`);
  }
}
