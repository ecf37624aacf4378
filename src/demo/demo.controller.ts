import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Public } from '../auth';

/** `src/demo/public`, copied next to the compiled controller by `nest build` (nest-cli.json `assets`). */
const PUBLIC_DIR = join(__dirname, 'public');

/**
 * The browser demo at `GET /demo`: a plain page and one same-origin script (helmet's CSP allows no inline script),
 * no build step. It makes sense in cookie transport (`AUTH_REFRESH_TRANSPORT=cookie`).
 */
@ApiExcludeController()
@Public()
@Controller('demo')
export class DemoController {
  private readonly files = {
    html: readFileSync(join(PUBLIC_DIR, 'index.html'), 'utf8'),
    js: readFileSync(join(PUBLIC_DIR, 'app.js'), 'utf8'),
    css: readFileSync(join(PUBLIC_DIR, 'app.css'), 'utf8'),
    links: readFileSync(join(PUBLIC_DIR, 'links.js'), 'utf8'),
    mfa: readFileSync(join(PUBLIC_DIR, 'mfa.js'), 'utf8'),
  };

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  page(): string {
    return this.files.html;
  }

  @Get('app.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  script(): string {
    return this.files.js;
  }

  /** The second-factor section's script (enrol, log in with a code, remember the device, step up). */
  @Get('mfa.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  mfaScript(): string {
    return this.files.mfa;
  }

  /** The script of the pages that mailed links open (MailPagesController). */
  @Get('links.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  linksScript(): string {
    return this.files.links;
  }

  @Get('app.css')
  @Header('Content-Type', 'text/css; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  styles(): string {
    return this.files.css;
  }
}
