import { Field, ID, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { AuthService, type AuthUser, CurrentUser, Public, Roles } from 'nest-session-auth';

@ObjectType()
export class Me {
  @Field(() => ID)
  id!: string;

  @Field()
  email!: string;

  @Field(() => [String])
  roles!: string[];
}

/** The README's resolver. */
@Resolver()
export class AccountResolver {
  constructor(private readonly auth: AuthService) {}

  @Query(() => Me)
  me(@CurrentUser() caller: AuthUser) {
    return this.auth.me(caller);
  }

  @Public()
  @Query(() => String)
  publicPing() {
    return 'pong';
  }

  @Roles('admin')
  @Query(() => String)
  adminPing() {
    return 'pong';
  }
}
