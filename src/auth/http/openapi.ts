import { loadOptional, MissingPeerError } from '../core/optional-package';

/**
 * The OpenAPI decorators of the module's routes and bodies: `@nestjs/swagger`'s when the host has it installed, and
 * decorators that do nothing otherwise. `@nestjs/swagger` is an optional peer (tens of megabytes and an install
 * script a host without OpenAPI has no use for): without it, the routes work the same and carry no OpenAPI metadata.
 */
type Decorator = ClassDecorator & MethodDecorator & PropertyDecorator;
type DecoratorFactory = (...options: unknown[]) => Decorator;
type Swagger = Record<(typeof NAMES)[number], DecoratorFactory> & {
  /** @nestjs/swagger's metadata keys; absent from the stand-ins. */
  DECORATORS?: { API_TAGS: string; API_SECURITY: string };
};

const NAMES = [
  'ApiAcceptedResponse',
  'ApiBadRequestResponse',
  'ApiBearerAuth',
  'ApiBody',
  'ApiConflictResponse',
  'ApiCreatedResponse',
  'ApiExcludeController',
  'ApiForbiddenResponse',
  'ApiNoContentResponse',
  'ApiNotFoundResponse',
  'ApiOkResponse',
  'ApiOperation',
  'ApiProperty',
  'ApiPropertyOptional',
  'ApiQuery',
  'ApiTags',
  'ApiTooManyRequestsResponse',
  'ApiUnauthorizedResponse',
] as const;

const nothing: DecoratorFactory = () => () => undefined;

function load(): Swagger {
  try {
    return loadOptional(
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      () => require('@nestjs/swagger') as Swagger,
      ['@nestjs/swagger'],
      'OpenAPI metadata',
    );
  } catch (error) {
    // A host without @nestjs/swagger: expected, and the routes carry no OpenAPI metadata. Anything else is a fault.
    if (error instanceof MissingPeerError) {
      return Object.fromEntries(NAMES.map((name) => [name, nothing])) as unknown as Swagger;
    }
    throw error;
  }
}

const swagger = load();

/**
 * Replaces the OpenAPI tags of `target` (a controller class) with `tags`, not adding to those it inherits (which
 * `@ApiTags` would do); nothing without @nestjs/swagger.
 */
export function setOpenApiTags(target: object, tags: readonly string[]): void {
  if (swagger.DECORATORS) Reflect.defineMetadata(swagger.DECORATORS.API_TAGS, [...tags], target);
}

/** The OpenAPI tags `target` carries, its inherited ones included; none without @nestjs/swagger. */
export function openApiTagsOf(target: object): string[] {
  if (!swagger.DECORATORS) return [];
  return (Reflect.getMetadata(swagger.DECORATORS.API_TAGS, target) as string[] | undefined) ?? [];
}

/** Puts the requirement of the bearer scheme named `scheme` on `handler`; nothing without @nestjs/swagger. */
export function setOpenApiBearer(handler: object, scheme: string): void {
  if (swagger.DECORATORS) {
    Reflect.defineMetadata(swagger.DECORATORS.API_SECURITY, [{ [scheme]: [] }], handler);
  }
}

/** Whether `target` (a controller class or a route handler) states an OpenAPI security requirement already. */
export function hasOpenApiSecurity(target: object): boolean {
  return (
    swagger.DECORATORS !== undefined && Reflect.hasMetadata(swagger.DECORATORS.API_SECURITY, target)
  );
}

export const {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiExcludeController,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiQuery,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} = swagger;
