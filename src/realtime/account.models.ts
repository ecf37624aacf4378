import { Field, ID, ObjectType } from '@nestjs/graphql';

/** `me`: the caller, as `GET /auth/me` shows it. */
@ObjectType('Me')
export class MeModel {
  @Field(() => ID)
  id!: string;

  @Field()
  email!: string;

  @Field(() => [String])
  roles!: string[];

  /** Null while the module does not record verification (the account lifecycle adds it). */
  @Field(() => Boolean, { nullable: true })
  emailVerified!: boolean | null;
}

/** One event of the caller's sessions: `revoked`, with the session's id. */
@ObjectType('SessionEvent')
export class SessionEventModel {
  @Field()
  type!: string;

  @Field(() => ID)
  sessionId!: string;
}
