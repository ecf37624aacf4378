import type { Type } from '@nestjs/common';
import { Type as NestedType } from 'class-transformer';
import { IsObject, ValidateNested } from 'class-validator';
import { RegisterDto } from './credentials.dto';

/** The host's class of registration profiles (the `registrationProfile` extra), if any (an injection token). */
export const REGISTRATION_PROFILE = Symbol('RegistrationProfile');

/** A registration body with the host's profile: `{ email, password, profile: {...} }`. */
export interface RegisterWithProfile extends RegisterDto {
  profile?: object;
}

/**
 * The DTO of `POST <prefix>/register`: {@link RegisterDto}, plus `profile` validated against `profile`'s own
 * class-validator rules (nested, its unknown fields refused like any other) when the host gives a class.
 */
export function registerDtoFor(profile: Type | undefined): Type<RegisterWithProfile> {
  if (profile === undefined) return RegisterDto;
  class RegisterWithProfileDto extends RegisterDto {
    profile?: object;
  }
  const target = RegisterWithProfileDto.prototype;
  IsObject()(target, 'profile');
  ValidateNested()(target, 'profile');
  NestedType(() => profile)(target, 'profile');
  return RegisterWithProfileDto;
}
