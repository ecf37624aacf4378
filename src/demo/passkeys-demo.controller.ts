import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Public } from '../auth';

/**
 * The passkeys part of the demo page: its script, and `@simplewebauthn/browser`'s browser bundle (the global
 * `SimpleWebAuthnBrowser`) served from this origin, since the page's CSP allows same-origin scripts only.
 */
@ApiExcludeController()
@Public()
@Controller('demo')
export class PasskeysDemoController {
  private readonly files = {
    script: readFileSync(join(__dirname, 'public', 'passkeys.js'), 'utf8'),
    // The package's exports name no bundle: it sits beside its CommonJS build, in dist/bundle.
    library: readFileSync(
      join(
        dirname(require.resolve('@simplewebauthn/browser')),
        '..',
        'dist',
        'bundle',
        'index.umd.min.js',
      ),
      'utf8',
    ),
  };

  @Get('passkeys.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  script(): string {
    return this.files.script;
  }

  @Get('simplewebauthn-browser.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  library(): string {
    return this.files.library;
  }
}
