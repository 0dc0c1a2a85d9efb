// The documentation fields @fastify/swagger reads from route schemas. @fastify/swagger
// declares them itself, but under pnpm its declaration cannot resolve 'fastify' from where
// it is installed, so the augmentation is repeated here.
import 'fastify';

declare module 'fastify' {
  interface FastifySchema {
    summary?: string;
    description?: string;
    tags?: readonly string[];
    hide?: boolean;
  }
}
