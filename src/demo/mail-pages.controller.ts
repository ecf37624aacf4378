import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Public } from '../auth';

const PUBLIC_DIR = join(__dirname, 'public');
const read = (file: string) => readFileSync(join(PUBLIC_DIR, file), 'utf8');

/**
 * The pages mailed links open (`${APP_URL}/verify-email?token=…`, `/reset-password`, `/confirm-email`): plain HTML
 * and one same-origin script (`/demo/links.js`) that posts the token to the API. `no-store`: a page is the same for
 * every token, but nothing opened from a credential-bearing URL should be kept by a cache.
 */
@ApiExcludeController()
@Public()
@Controller()
export class MailPagesController {
  private readonly pages = {
    verifyEmail: read('verify-email.html'),
    resetPassword: read('reset-password.html'),
    confirmEmail: read('confirm-email.html'),
  };

  @Get('verify-email')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  verifyEmail(): string {
    return this.pages.verifyEmail;
  }

  @Get('reset-password')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  resetPassword(): string {
    return this.pages.resetPassword;
  }

  @Get('confirm-email')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  confirmEmail(): string {
    return this.pages.confirmEmail;
  }
}
