import { Body, Controller, Header, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';

/** What the demo page sends: the `otpauthUrl` that `POST /auth/mfa/totp/setup` answered. */
export class TotpQrDto {
  // An otpauth URI of ours is about 150 characters (a 32-character secret, the issuer, an address).
  @IsString()
  @MaxLength(512)
  @Matches(/^otpauth:\/\/totp\//, { message: 'text must be an otpauth://totp/ URI' })
  text!: string;
}

/**
 * `POST /demo/totp-qr`: the demo page's QR code of an `otpauth://` URI, drawn here as an SVG data URL with the
 * `qrcode` package. Drawn on the server because the page has no build step and its Content-Security-Policy allows
 * same-origin script files only (the package ships no browser file of its own), while `img-src` allows `data:`.
 * The URI holds the TOTP secret this same server just made, so nobody new learns it; it travels in a POST body
 * (never a URL, which logs keep), behind the access token, and the answer is never stored (`no-store`).
 */
@ApiExcludeController()
@Controller('demo')
export class TotpQrController {
  @Post('totp-qr')
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', 'no-store')
  async qr(@Body() body: TotpQrDto): Promise<{ dataUrl: string }> {
    // Loaded at the first QR code, not at boot: most starts of the server never draw one.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { toString: qrSvg } = require('qrcode') as typeof import('qrcode');
    const svg = await qrSvg(body.text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    return { dataUrl: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}` };
  }
}
