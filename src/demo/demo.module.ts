import { Module } from '@nestjs/common';
import { DemoController } from './demo.controller';

/** The reference server's browser demo (`GET /demo`); not part of the module. */
@Module({ controllers: [DemoController] })
export class DemoModule {}
