import { Controller, Get, Header, type Type } from '@nestjs/common';
import { Public } from '../../http/decorators/public.decorator';
import { ApiExcludeController } from '../../http/openapi';
import { MAIL_PAGES_SCRIPT, type MailPage, mailPageHtml } from './mail-pages';

const HTML = 'text/html; charset=utf-8';

/**
 * The controller of the module's pages at `/${path}` (`verify-email`, `reset-password`, `confirm-email`, `links.js`),
 * posting to the module's routes under `/${routePrefix}`. Public, out of the OpenAPI document; `no-store` and
 * `no-referrer`, since each page is opened from a URL that carries a credential.
 */
export function mailPagesController(path: string, routePrefix: string): Type {
  const pagesUrl = `/${path}`;
  const apiBase = routePrefix === '' ? '' : `/${routePrefix}`;
  const html = (page: MailPage) => mailPageHtml(page, pagesUrl, apiBase);

  @ApiExcludeController()
  @Public()
  @Controller(path)
  class MailPagesController {
    private readonly pages = {
      verifyEmail: html('verify-email'),
      resetPassword: html('reset-password'),
      confirmEmail: html('confirm-email'),
    };

    @Get('verify-email')
    @Header('Content-Type', HTML)
    @Header('Cache-Control', 'no-store')
    @Header('Referrer-Policy', 'no-referrer')
    verifyEmail(): string {
      return this.pages.verifyEmail;
    }

    @Get('reset-password')
    @Header('Content-Type', HTML)
    @Header('Cache-Control', 'no-store')
    @Header('Referrer-Policy', 'no-referrer')
    resetPassword(): string {
      return this.pages.resetPassword;
    }

    @Get('confirm-email')
    @Header('Content-Type', HTML)
    @Header('Cache-Control', 'no-store')
    @Header('Referrer-Policy', 'no-referrer')
    confirmEmail(): string {
      return this.pages.confirmEmail;
    }

    @Get('links.js')
    @Header('Content-Type', 'text/javascript; charset=utf-8')
    @Header('Cache-Control', 'no-cache')
    script(): string {
      return MAIL_PAGES_SCRIPT;
    }
  }
  return MailPagesController;
}
