import { Module } from '@nestjs/common';
import { DemoController } from './demo.controller';
import { MailPagesController } from './mail-pages.controller';
import { PasskeysDemoController } from './passkeys-demo.controller';
import { TotpQrController } from './totp-qr.controller';

/**
 * The reference server's browser demo (`GET /demo`, the QR codes of its second-factor section, the browser side of
 * passkeys) and the pages of mailed links; not part of the module.
 */
@Module({
  controllers: [DemoController, TotpQrController, PasskeysDemoController, MailPagesController],
})
export class DemoModule {}
