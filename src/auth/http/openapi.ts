import { loadOptional, MissingPeerError } from '../core/optional-package';

/**
 * The OpenAPI decorators of the module's routes and bodies: `@nestjs/swagger`'s when the host has it installed, and
 * decorators that do nothing otherwise. `@nestjs/swagger` is an optional peer (tens of megabytes and an install
 * script a host without OpenAPI has no use for): without it, the routes work the same and carry no OpenAPI metadata.
 */
type Decorator = ClassDecorator & MethodDecorator & PropertyDecorator;
type DecoratorFactory = (...options: unknown[]) => Decorator;
type Swagger = Record<(typeof NAMES)[number], DecoratorFactory>;

const NAMES = [
  'ApiAcceptedResponse',
  'ApiBadRequestResponse',
  'ApiBearerAuth',
  'ApiBody',
  'ApiConflictResponse',
  'ApiCreatedResponse',
  'ApiForbiddenResponse',
  'ApiNoContentResponse',
  'ApiNotFoundResponse',
  'ApiOkResponse',
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
      return Object.fromEntries(NAMES.map((name) => [name, nothing])) as Swagger;
    }
    throw error;
  }
}

const swagger = load();

export const {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiQuery,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} = swagger;
