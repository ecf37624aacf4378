import { Module } from '@nestjs/common';
import { DemoController } from './demo.controller';
import { MailPagesController } from './mail-pages.controller';
import { PasskeysDemoController } from './passkeys-demo.controller';

/** The reference server's browser demo (`GET /demo`) and the pages of mailed links; not part of the module. */
@Module({ controllers: [DemoController, MailPagesController, PasskeysDemoController] })
export class DemoModule {}
