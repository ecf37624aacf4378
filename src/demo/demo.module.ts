import { Module } from '@nestjs/common';
import { DemoController } from './demo.controller';
import { MailPagesController } from './mail-pages.controller';
import { TotpQrController } from './totp-qr.controller';

/**
 * The reference server's browser demo (`GET /demo`, and the QR codes of its second-factor section) and the pages of
 * mailed links; not part of the module.
 */
@Module({ controllers: [DemoController, TotpQrController, MailPagesController] })
export class DemoModule {}
